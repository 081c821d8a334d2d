"""The named detectors: what a leaked credential looks like, each found from a literal marker.

A detector's name is what a finding shows and what an allow comment names, so names are short,
lower-case and stable. Each detector lists the literal markers its matches contain; its regex is
tried only where one of them occurs, `lead` characters into the match (`sk_live_...` is found from
`k_live_`, so Stripe and OpenAI keys share one search for "k").

Shapes that are only identifiers or checksums (sha256/sha1/md5 hex, UUIDs) have no marker and are
never flagged on their own; they are flagged only as the value of a credential-named query
parameter (`?api_key=<32 hex>`), since an API key is often exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Span = tuple[int, int]
Locate = Callable[[str, "re.Match[str]"], list[Span]]  # where the secrets in a match are


@dataclass(frozen=True, slots=True)
class Detector:
    name: str  # shown in the message and named by an allow comment, e.g. "jwt"
    what: str  # how a finding names it to a reader, e.g. "a JSON Web Token"
    markers: tuple[str, ...]  # literals every match contains, `lead` characters in
    pattern: re.Pattern[str]  # matched where a marker occurs, `lead` characters before it
    locate: Locate
    lead: int = 0


# Values that stand in for a secret rather than being one.
_TEMPLATE = ("{{", "{%", "${", "$(", "%(", "<", ">")
_STAND_INS = (
    *("changeme", "change-me", "change_me", "placeholder", "redacted", "your", "xxxx"),
    *("example", "dummy", "insert", "replace"),
)
_FILLER = frozenset("-_.*xX0")
_SEPARATORS = frozenset("-_.")


def placeholder(value: str) -> bool:
    """`{{ params.token }}`, `${TOKEN}`, `<token>`, `xxxxxxxx`, `changeme`, `YOUR_API_KEY`..."""
    lowered = value.lower()
    if not value or value.startswith("$") or any(mark in value for mark in _TEMPLATE):
        return True
    if set(value) <= _FILLER or len(set(lowered) - _SEPARATORS) <= 1:
        return True
    return any(word in lowered for word in _STAND_INS)


def wordlike(value: str) -> bool:
    """A plain word or slug in one case (`weekly-report`, `API_KEY`): a name, not a secret."""
    letters = set(value) - _SEPARATORS
    return all(c.isalpha() for c in letters) and (value.islower() or value.isupper())


def whole(text: str, match: re.Match[str]) -> list[Span]:
    return [match.span()]


def bounded(text: str, match: re.Match[str]) -> list[Span]:
    """The whole match, when it is not a piece of a longer word."""
    start, end = match.span()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return [] if before.isalnum() or after.isalnum() else [(start, end)]


def random_key(text: str, match: re.Match[str]) -> list[Span]:
    """A bounded match whose key mixes upper case, lower case and digits, as random keys do."""
    key = match["secret"]
    mixed = any(c.isupper() for c in key) and any(c.islower() for c in key)
    return bounded(text, match) if mixed and any(c.isdigit() for c in key) else []


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*$")


def address(text: str, match: re.Match[str]) -> list[Span]:
    """A secret address (`https://user:password@host`, a webhook's secret path), from its start;
    nothing when the secret part is a placeholder (`https://user:{{ password }}@`)."""
    secret = match["secret"]
    if placeholder(secret) or secret.lower() in ("password", "pass"):
        return []
    start = match.start()
    scheme = _SCHEME.search(text, max(0, start - 20), start)
    return [((scheme.start() if scheme else start), match.end())]


# A query parameter named like a credential: `token`, `api_key`, `client_secret`, `X-Amz-Signature`,
# `subscription-key`... (a credential word after any `_`/`-` words), or exactly `code`.
_WORDS = "token|key|apikey|secret|password|passwd|pwd|sig|signature|auth"
_PARAM = re.compile(
    rf"[?&;](?i:(?:[a-z0-9]+[_-])*(?:{_WORDS})|code)=(?P<secret>[^\s&#\"'<>\\,;)\]}}]+)"
)


def query(text: str, match: re.Match[str]) -> list[Span]:
    """The values of credential-named parameters in a query, when long and random enough."""
    spans = []
    for param in _PARAM.finditer(text, match.start(), match.end()):
        value = param["secret"]
        if len(value) >= 8 and not placeholder(value) and not wordlike(value):
            spans.append(param.span("secret"))
    return spans


_B64URL = "[A-Za-z0-9_-]"
_URL = "(?:[A-Za-z0-9-]+\\.)*"  # any subdomains
_HEX = "[0-9a-f]"


def _table() -> list[Detector]:
    # fmt: off
    rows: list[tuple[str, str, tuple[str, ...], str, Locate, int]] = [
        # name, what, markers, pattern, locate, lead: earlier rows win where two find one secret
        ("private-key", "a private key", ("-----BEGIN ",),
         r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----", whole, 0),
        ("jwt", "a JSON Web Token", ("eyJ",),
         rf"eyJ{_B64URL}{{10,}}\.{_B64URL}{{10,}}\.{_B64URL}*", whole, 0),
        ("github", "a GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
         r"gh[pousr]_[A-Za-z0-9]{20,}", whole, 0),
        ("github", "a GitHub token", ("github_pat_",), r"github_pat_\w{20,}", whole, 0),
        ("gitlab", "a GitLab token",
         tuple(f"gl{kind}-" for kind in ("pat", "dt", "rt", "ptt", "cbt", "oas", "soat", "ft")),
         r"gl[a-z]{2,4}-[A-Za-z0-9_-]{20,}", whole, 0),
        ("slack-webhook", "a Slack webhook address (the address itself is the password)",
         ("://",), r"://hooks\.slack\.com/(?:services|workflows|triggers)/"
         r"(?P<secret>[A-Za-z0-9_/-]{20,})", address, 0),
        ("slack", "a Slack token", ("xox",), r"xox[abeprs]-[A-Za-z0-9-]{10,}", whole, 0),
        ("discord-webhook", "a Discord webhook address (the address itself is the password)",
         ("://",), rf"://{_URL}discord(?:app)?\.com/api/webhooks/\d{{5,}}/"
         r"(?P<secret>[A-Za-z0-9_-]{30,})", address, 0),
        ("teams-webhook", "a Microsoft Teams webhook address (the address itself is the password)",
         ("://",), rf"://{_URL}office(?:365)?\.com/webhook(?:b2)?/[^\s/]+/IncomingWebhook/"
         rf"(?P<secret>{_HEX}{{32}}/{_HEX}{{8}}-[0-9a-f-]{{27}})", address, 0),
        ("stripe", "a Stripe secret key", ("k_live_", "k_test_"),
         r"[sr]k_(?:live|test)_[A-Za-z0-9]{8,}", whole, 1),
        ("anthropic", "an Anthropic API key", ("k-ant-",),
         r"sk-ant-(?P<secret>[A-Za-z0-9_-]{32,})", random_key, 1),
        ("openai", "an OpenAI API key", ("k-",),
         r"sk-(?:proj-|svcacct-|admin-)?(?P<secret>[A-Za-z0-9_-]{20,})", random_key, 1),
        ("aws", "an AWS access key", ("AKIA", "ASIA"), r"A[KS]IA[0-9A-Z]{16}", whole, 0),
        ("google-api-key", "a Google API key", ("AIza",), r"AIza[0-9A-Za-z_-]{35}", whole, 0),
        ("atlassian", "an Atlassian API token", ("ATATT3", "ATCTT3"),
         r"AT[AC]TT3[A-Za-z0-9_=-]{50,}", whole, 0),
        ("atlassian", "a Bitbucket app password", ("ATBB",), r"ATBB[A-Za-z0-9]{32}", whole, 0),
        ("sendgrid", "a SendGrid API key", ("SG.",), r"SG\.[\w-]{16,}\.[\w-]{16,}", whole, 0),
        ("twilio", "a Twilio API key", ("SK",), rf"SK{_HEX}{{32}}", bounded, 0),
        ("npm", "an npm token", ("pm_",), r"npm_[A-Za-z0-9]{36}", whole, 1),
        ("pypi", "a PyPI token", ("pypi-",), r"pypi-AgE[A-Za-z0-9_-]{50,}", whole, 0),
        ("whsec", "a webhook signing secret", ("whsec_",), r"whsec_[A-Za-z0-9+/=]{8,}", whole, 0),
        ("url-query", "a key or token written into a web address", ("?",),
         r"\?[^\s#\"'<>]*", query, 0),
        ("url-password", "a password inside a web address", ("://",),
         r"://[^/\s:@]+:(?P<secret>[^/\s@]+)@", address, 0),
    ]
    # fmt: on
    return [
        Detector(name, what, markers, re.compile(pattern), locate, lead)
        for name, what, markers, pattern, locate, lead in rows
    ]


DETECTORS = tuple(_table())
NAMES = frozenset(d.name for d in DETECTORS)
