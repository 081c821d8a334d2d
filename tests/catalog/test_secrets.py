"""The raw-text secret scan: each named detector, what it must leave alone, and allow comments.

Fake credentials are built by joining pieces so that no complete token appears in this file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitcron.catalog.load import load
from gitcron.catalog.secrets import NAMES, scan
from gitcron.config.problems import Problem
from support import GOOD

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
FILE = "schedules/acme/test.yaml"

HEX32 = "0123456789abcdef" * 2
HEX64 = HEX32 * 2
MIXED = "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW"  # 32 random-looking characters
JWT = ".".join(
    [
        "eyJ" + "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "eyJ" + "zdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ]
)
UUID = "123e4567-e89b-12d3-a456-426614174000"


def found(text: str) -> list[tuple[int, int, str]]:
    """(line, col, detector name) of every finding."""
    return [(p.line, p.col, detector(p)) for p in scan(FILE, text)]


def detector(problem: Problem) -> str:
    return problem.message.split(" (")[-1].split(")")[0]


POSITIVES = [
    # The issue's two examples: a JWT in a query string, and an API key of 32 hex.
    pytest.param(f"  url: https://hooks.example/in?token={JWT}\n", 1, 39, "jwt", id="issue-jwt"),
    pytest.param(
        f"  url: https://api.example/v1?api_key={HEX32}\n", 1, 39, "url-query", id="issue-hex"
    ),
    pytest.param(f"note: {JWT}\n", 1, 7, "jwt", id="jwt-bare"),
    pytest.param("k: " + "gh" + "p_" + MIXED + "\n", 1, 4, "github", id="github-classic"),
    pytest.param(
        "k: " + "github" + "_pat_11AB" + MIXED * 2 + "\n", 1, 4, "github", id="github-pat"
    ),
    pytest.param("k: " + "gl" + "pat-" + MIXED[:20] + "\n", 1, 4, "gitlab", id="gitlab"),
    pytest.param("k: " + "xo" + "xb-1234567890-" + MIXED + "\n", 1, 4, "slack", id="slack-token"),
    pytest.param(
        "url: https://hooks.slack.com/services/T024BE7LD/B024BE7LD/" + MIXED[:24] + "\n",
        *(1, 6, "slack-webhook"),
        id="slack-webhook",
    ),
    pytest.param(
        "url: https://discord.com/api/webhooks/123456789012345678/" + MIXED * 2 + "\n",
        *(1, 6, "discord-webhook"),
        id="discord-webhook",
    ),
    pytest.param(
        f"url: https://acme.webhook.office.com/webhookb2/{UUID}@{UUID}/IncomingWebhook/"
        f"{HEX32}/{UUID}\n",
        *(1, 6, "teams-webhook"),
        id="teams-webhook",
    ),
    pytest.param(
        "url: https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
        "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + MIXED + "\n",
        *(1, 156, "url-query"),
        id="teams-workflow-sig",
    ),
    pytest.param("k: " + "sk" + "_live_" + MIXED + "\n", 1, 4, "stripe", id="stripe-live"),
    pytest.param("k: " + "rk" + "_test_" + MIXED + "\n", 1, 4, "stripe", id="stripe-restricted"),
    pytest.param("k: " + "sk" + "-proj-" + MIXED * 2 + "\n", 1, 4, "openai", id="openai-project"),
    pytest.param("k: " + "sk" + "-" + MIXED + "\n", 1, 4, "openai", id="openai-legacy"),
    pytest.param(
        "k: " + "sk" + "-ant-api03-" + MIXED * 2 + "\n", 1, 4, "anthropic", id="anthropic"
    ),
    pytest.param("k: " + "AK" + "IA" + "IOSFODNN7ABCDEFG\n", 1, 4, "aws", id="aws-akia"),
    pytest.param("k: " + "AS" + "IA" + "IOSFODNN7ABCDEFG\n", 1, 4, "aws", id="aws-asia"),
    pytest.param("k: " + "AI" + "za" + MIXED + "abc\n", 1, 4, "google-api-key", id="google"),
    pytest.param("k: " + "SG" + "." + MIXED[:22] + "." + MIXED + "\n", 1, 4, "sendgrid", id="sg"),
    pytest.param("k: " + "S" + "K" + HEX32 + "\n", 1, 4, "twilio", id="twilio"),
    pytest.param("k: " + "npm" + "_" + MIXED + "abcd\n", 1, 4, "npm", id="npm"),
    pytest.param("k: " + "py" + "pi-AgEIcHlwaS5vcmc" + MIXED * 2 + "\n", 1, 4, "pypi", id="pypi"),
    pytest.param("k: " + "ATA" + "TT3" + MIXED * 3 + "\n", 1, 4, "atlassian", id="atlassian"),
    pytest.param("k: " + "AT" + "BB" + MIXED + "\n", 1, 4, "atlassian", id="bitbucket"),
    pytest.param("k: " + "wh" + "sec_" + MIXED + "\n", 1, 4, "whsec", id="standard-webhooks"),
    pytest.param(
        "key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIE\n", 2, 3, "private-key", id="pem-rsa"
    ),
    pytest.param(
        "key: |\n  -----BEGIN OPENSSH PRIVATE KEY-----\n", 2, 3, "private-key", id="pem-openssh"
    ),
    pytest.param("k: -----BEGIN PGP PRIVATE KEY BLOCK-----\n", 1, 4, "private-key", id="pgp"),
    pytest.param("k: -----BEGIN PRIVATE KEY-----\n", 1, 4, "private-key", id="pem-pkcs8"),
    pytest.param("url: https://ops:pa55word@hooks.example\n", 1, 6, "url-password", id="password"),
    pytest.param("url: https://x.example/in?Token=Ab3dE5fG7h\n", 1, 33, "url-query", id="caps"),
    pytest.param(
        f"url: https://x.example/in?page=2&client_secret={MIXED}\n",
        *(1, 48, "url-query"),
        id="second-param",
    ),
    pytest.param(
        f"url: https://x.example/in?X-Amz-Signature={HEX64}\n",
        *(1, 43, "url-query"),
        id="presigned-signature",
    ),
    pytest.param(
        f"url: https://x.example/in?key={UUID}\n", 1, 31, "url-query", id="uuid-as-query-key"
    ),
    pytest.param(
        f"url: https://fn.example/api/run?code={MIXED}==\n",
        *(1, 38, "url-query"),
        id="function-code",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "name"), POSITIVES)
def test_each_detector_finds_its_secret_at_its_line_and_column(
    text: str, line: int, col: int, name: str
) -> None:
    assert found(text) == [(line, col, name)]


def test_every_detector_has_a_positive_case() -> None:
    assert {p.values[3] for p in POSITIVES} == NAMES


NEGATIVES = [
    pytest.param(f"sha256: {HEX64}\n", id="sha256"),
    pytest.param(f"sha1: {HEX32[:8]}{HEX32}\n", id="sha1"),
    pytest.param(f"md5: {HEX32}\n", id="md5"),
    pytest.param(f"labels: {{ request: {UUID} }}\n", id="uuid-label"),
    pytest.param(f"url: https://x.example/files/{HEX64}.csv\n", id="hash-in-path"),
    pytest.param("url: https://x.example/export?page=2&format=csv\n", id="harmless-query"),
    pytest.param("url: https://x.example/export?sort_key=created_at_desc\n", id="word-key"),
    pytest.param("url: https://x.example/in?code=product-catalogue\n", id="word-code"),
    pytest.param("url: https://x.example/in?key=SHORT12\n", id="short-value"),
    pytest.param("url: https://x.example/in?token={{ params.token }}\n", id="template-spaced"),
    pytest.param("url: https://x.example/in?token={{params.token}}\n", id="template"),
    pytest.param("url: https://x.example/in?token=${ACME_TOKEN}\n", id="shell-variable"),
    pytest.param("url: https://x.example/in?token=<token>\n", id="angle-placeholder"),
    pytest.param("url: https://x.example/in?api_key=xxxxxxxxxxxx\n", id="xxx"),
    pytest.param("url: https://x.example/in?password=changeme\n", id="changeme"),
    pytest.param("url: https://x.example/in?api_key=YOUR_API_KEY\n", id="your-api-key"),
    pytest.param("url: https://x.example/in?sig=********\n", id="stars"),
    pytest.param("url: https://user:{{ password }}@x.example/\n", id="template-password"),
    pytest.param("url: https://user:<password>@x.example/\n", id="angle-password"),
    pytest.param(
        "url: https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX\n",
        id="slack-docs-placeholder",
    ),
    pytest.param("description: task-manager-for-customer-003-weekly-report\n", id="slug-sk"),
    pytest.param("filename: desk-Report0123456789abcdefghij.csv\n", id="word-then-sk"),
    pytest.param("description: SKU list for the ASK team\n", id="sk-word"),
    pytest.param("email: { to: [buyer@example.com] }\n", id="email"),
    pytest.param("known_hosts: sftp.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG\n", id="pubkey"),
    pytest.param("cert: -----BEGIN CERTIFICATE-----\n", id="certificate"),
    pytest.param(GOOD, id="good-schedule"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_what_is_not_a_secret_is_left_alone(text: str) -> None:
    assert found(text) == []


TOKEN_LINE = f"  url: https://hooks.example/in?token={JWT}"


@pytest.mark.parametrize(
    ("comment", "kept"),
    [
        pytest.param("  # gitcron: allow-secret jwt", [], id="names-the-detector"),
        pytest.param("  #gitcron: allow-secret jwt", [], id="no-space-after-hash"),
        pytest.param("  # gitcron: allow-secret jwt, url-query", [], id="a-list"),
        pytest.param(
            "  # gitcron: allow-secret jwt the receiver's public demo token", [], id="with-a-reason"
        ),
        pytest.param("  # gitcron: allow-secret", [(1, 39, "jwt")], id="bare"),
        pytest.param("  # gitcron: allow-secret stripe", [(1, 39, "jwt")], id="other-detector"),
        pytest.param("  # gitcron: allow-secret jwtt", [(1, 39, "jwt")], id="misspelt"),
        pytest.param("  # gitcron: allow-secret url-query", [(1, 39, "jwt")], id="absorbed-one"),
        pytest.param("#gitcron: allow-secret jwt", [(1, 39, "jwt")], id="not-a-comment"),
    ],
)
def test_an_allow_comment_suppresses_only_the_detector_it_names(
    comment: str, kept: list[tuple[int, int, str]]
) -> None:
    assert found(TOKEN_LINE + comment + "\n") == kept


def test_an_allow_comment_covers_only_its_own_line() -> None:
    above = "# gitcron: allow-secret jwt\n" + TOKEN_LINE + "\n"
    assert found(above) == [(2, 39, "jwt")]
    twice = TOKEN_LINE + "  # gitcron: allow-secret jwt\n" + TOKEN_LINE + "\n"
    assert found(twice) == [(2, 39, "jwt")]


def test_an_allow_comment_leaves_other_secrets_on_its_line() -> None:
    line = f"url: https://ops:pa55word@x.example/in?token={JWT}  # gitcron: allow-secret jwt\n"
    assert found(line) == [(1, 6, "url-password")]


def test_the_finding_tells_what_it_is_and_what_to_do() -> None:
    (problem,) = scan(FILE, TOKEN_LINE + "\n")
    assert problem.message == (
        "this looks like a JSON Web Token (jwt), and secrets must never be in files"
    )
    assert (problem.file, problem.kind, problem.severity) == (FILE, "secret", "error")
    assert problem.hint is not None
    for words in ("remove it", "rotate it", "repository secret", "*_env setting"):
        assert words in problem.hint
    assert problem.hint.endswith("end the line with '# gitcron: allow-secret jwt'")


def test_a_comment_that_does_not_apply_says_so() -> None:
    (problem,) = scan(FILE, TOKEN_LINE + "  # gitcron: allow-secret stripe\n")
    assert problem.hint is not None
    assert problem.hint.startswith(
        "the allow comment on this line does not name jwt, so it does not apply; remove it"
    )


def test_findings_are_in_file_order_one_per_secret() -> None:
    text = (
        "description: see https://ops:pa55word@x.example\n"
        f"url: https://x.example/in?token={JWT}&api_key={HEX32}\n"
    )
    assert found(text) == [(1, 18, "url-password"), (2, 33, "jwt"), (2, 174, "url-query")]


def webhook(url: str) -> str:
    return GOOD + f"  - webhook:\n      url: {url}\n"


@pytest.mark.parametrize(
    ("url", "col", "name"),
    [
        pytest.param(f"https://hooks.example/in?token={JWT}", 43, "jwt", id="jwt"),
        pytest.param(f"https://hooks.example/in?api_key={HEX32}", 45, "url-query", id="hex"),
    ],
)
def test_the_issue_examples_fail_validation(
    empty_repo: Path, url: str, col: int, name: str
) -> None:
    path = empty_repo / FILE
    path.parent.mkdir(parents=True)
    path.write_text(webhook(url), encoding="utf-8")
    problems = load(empty_repo, NOW).problems
    assert [(p.file, p.line, p.col, p.kind, detector(p)) for p in problems] == [
        (FILE, 13, col, "secret", name)
    ]
    path.write_text(webhook(f"{url}  # gitcron: allow-secret {name}"), encoding="utf-8")
    assert load(empty_repo, NOW).problems == []
