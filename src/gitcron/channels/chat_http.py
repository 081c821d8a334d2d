"""One guarded HTTP request to a chat service (Slack, Teams), and the pause a rate limit asks for.

Chat services are reached like webhooks: the host is checked by the address guard (public, or
`network.allow` in gitcron.yaml), the request goes to the checked address and is never
redirected. Their answers differ, so each channel reads its own (`slack/answer.py`,
`teams/channel.py`); what they share is the request, its transport errors and `pause`, the wait a
429 or 503 asks for (`Retry-After`, else the `RateLimit-Reset` family), which the in-tick retries
of `channels/retrying.py` honour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from gitcron.channels.base import DeliveryError, unreachable
from gitcron.channels.webhook.answer import retry_after
from gitcron.channels.webhook.body import one_line
from gitcron.channels.webhook.send import Wire
from gitcron.config.settings import Settings
from gitcron.core.redact import Redactor
from gitcron.net import http
from gitcron.net.guard import NetError, Purpose, Unresolved, allowed

if TYPE_CHECKING:
    import httpx

TIMEOUT = timedelta(seconds=30)  # a target's `timeout:` when it gives none
READ = 65_536  # bytes of an answer read at most (Slack's JSON answers are far smaller)
SNIPPET = 200  # characters of an answer quoted in an error
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_EPOCH = 1_000_000_000  # a reset value above this is a Unix time, below it a number of seconds


@dataclass(frozen=True, slots=True)
class Answer:
    """What the service answered: the status, its headers and the start of its body."""

    status: int
    reason: str
    headers: httpx.Headers
    body: bytes

    def quoted(self, redact: Redactor) -> str:
        """The start of the body on one line, secrets masked, at most SNIPPET characters."""
        text = redact(" ".join(one_line(self.body[:4096].decode("utf-8", "replace")).split()))
        return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


@dataclass(frozen=True, slots=True)
class Request:
    """One request: where, what, and how it is named in errors (never with its secrets)."""

    url: httpx.URL
    content: bytes
    headers: dict[str, str]
    shown: str  # "Slack (hooks.slack.com)": what errors call the receiver
    redact: Redactor


def parse(text: str, shown: str) -> httpx.URL:
    """An http(s) URL with a host; errors never echo it (it may be a secret)."""
    import httpx

    try:
        url = httpx.URL(text.strip())
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.raw_host:
        raise DeliveryError(
            f"the address of {shown} is not an https:// URL with a host",
            "check the value of the credential's variable: it should be the whole URL the"
            " service gave, starting with https://",
            permanent=True,
        )
    if url.scheme == "http" and url.host not in _LOOPBACK:
        raise DeliveryError(
            f"the address of {shown} starts with http://, so its secret would travel unencrypted",
            "use the https:// address the service gave",
            permanent=True,
        )
    return url


def send(request: Request, settings: Settings, timeout: timedelta | None, wire: Wire) -> Answer:
    """POST once to the checked address; transport failures are DeliveryErrors (transient)."""
    import httpx

    purpose = Purpose("post to", f"{request.shown} server")
    try:
        to = http.pinned(request.url, allowed(settings), purpose, wire.resolve)
    except Unresolved as error:
        raise DeliveryError(
            f"{request.shown}: the host cannot be resolved: {error.reason}",
            "a DNS outage is retried; check the address if it persists",
        ) from None
    except NetError as error:
        raise unreachable(error) from None
    seconds = (timeout or TIMEOUT).total_seconds()
    sent = {"content": request.content, "headers": request.headers}
    try:
        with (
            http.client(timeout=seconds, transport=wire.transport) as session,
            http.stream(session, "POST", request.url, to, **sent) as response,
        ):
            body = http.read_at_most(response, READ)[0]
            return Answer(response.status_code, response.reason_phrase, response.headers, body)
    except httpx.TimeoutException as error:
        raise DeliveryError(
            f"{request.shown} did not answer within {seconds:g}s ({type(error).__name__})",
            "this is retried; if the service is always slow, raise the delivery's timeout",
        ) from None
    except httpx.HTTPError as error:
        text = request.redact(one_line(str(error)) or type(error).__name__)[:SNIPPET]
        raise DeliveryError(
            f"{request.shown} could not be reached: {text}", "this is retried"
        ) from None


def pause(headers: httpx.Headers, now: float) -> float | None:
    """Seconds a rate-limited answer asks to wait: Retry-After (seconds or an HTTP date), else
    RateLimit-Reset / X-RateLimit-Reset (seconds, or a Unix time when that large)."""
    asked = retry_after(headers.get("retry-after"), now)
    if asked is not None:
        return asked
    for name in ("ratelimit-reset", "x-ratelimit-reset"):
        text = headers.get(name, "").strip()
        try:
            value = float(text)
        except ValueError:
            continue
        return retry_after(str(int(max(value - now if value > _EPOCH else value, 0.0))), now)
    return None


def busy(said: str, headers: httpx.Headers, now: float) -> DeliveryError:
    """A transient error that waits as long as the service asked."""
    wait = pause(headers, now)
    hint = "this is retried" + (f" after the {wait:g}s the service asked for" if wait else "")
    return DeliveryError(said, hint, retry_after=wait)
