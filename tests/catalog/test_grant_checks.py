"""`gitcron validate` on credentials: each use against its grant, at its line, with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import Run, invoke

SETTINGS = """\
datasets:
  products: { sample: products, params: [customer] }
  orders: { sql: "SELECT 1", database: ORDERS_DB_URL }
channels:
  email: { from: reports@ourco.example }
liveness: { heartbeat_url_env: GITCRON_HEARTBEAT_URL }
credentials:
  acme-hooks:
    env: ACME_WEBHOOK_SECRET
    for: webhook
    to: ["https://hooks.acme.example/gitcron"]
    customers: [acme]
  acme-sftp:
    env: ACME_SFTP_KEY
    for: sftp
    to: [sftp.acme.example]
"""
# 1 schedule  2 event  3 deliver  4 - webhook  5 url  6 the credential's line
HOOK = """\
schedule: {{ daily: {{ at: "06:00" }} }}
event: {{ type: report.daily }}
deliver:
  - webhook:
      url: {url}
      {line}
"""
URL = "https://hooks.acme.example/gitcron/daily"
SFTP = """\
schedule: {{ daily: {{ at: "06:00" }} }}
report: {{ dataset: products, params: {{ customer: acme }}, format: csv }}
deliver:
  - sftp:
      url: sftp://acme@sftp.acme.example/in
      {line}
      known_hosts: "sftp.acme.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA=="
"""


def validate(
    tmp_path: Path, text: str, rel: str = "acme/hook.yaml", settings: str = SETTINGS
) -> Run:
    root = tmp_path / "repo"
    path = root / "schedules" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    (root / "gitcron.yaml").write_text(settings, encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return invoke(["--repo", str(root), "validate"])


def only(run: Run) -> tuple[str, str | None]:
    """The one problem's `file:line:col: severity: where: message` and its fix."""
    run.assert_clean_failure(1)
    lines = run.out.splitlines()
    assert len(lines) == 3, run.out
    return lines[0], lines[1].removeprefix("    fix: ")


def test_a_granted_credential_is_clean(tmp_path: Path) -> None:
    for line in ("secret: acme-hooks", "secret_env: ACME_WEBHOOK_SECRET"):
        run = validate(tmp_path, HOOK.format(url=URL, line=line))
        assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")
    run = validate(tmp_path, SFTP.format(line="key: acme-sftp"))
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


@pytest.mark.parametrize(
    ("url", "line", "rel", "message", "fix"),
    [
        pytest.param(
            URL,
            "secret: acme-hook",
            "acme/hook.yaml",
            "delivery 1, webhook.secret: there is no credential named 'acme-hook' in gitcron.yaml",
            "did you mean 'acme-hooks'?",
            id="undeclared",
        ),
        pytest.param(
            URL,
            "token: acme-sftp",
            "acme/hook.yaml",
            "delivery 1, webhook.token: the credential 'acme-sftp' is granted to sftp deliveries,"
            " not to webhooks",
            "use a credential granted for webhooks, or ask an engineer for one in gitcron.yaml"
            " (docs/grants.md)",
            id="another channel",
        ),
        pytest.param(
            "https://hooks.attacker.example/gitcron",
            "secret: acme-hooks",
            "acme/hook.yaml",
            "delivery 1, webhook.secret: the credential 'acme-hooks' may only be sent to"
            " https://hooks.acme.example/gitcron, not to https://hooks.attacker.example/gitcron",
            "send it to one of those addresses, or ask an engineer to add"
            " https://hooks.attacker.example/gitcron to the credential's to: in gitcron.yaml"
            " (docs/grants.md)",
            id="another address",
        ),
        pytest.param(
            URL,
            "secret: acme-hooks",
            "globex/hook.yaml",
            "delivery 1, webhook.secret: the credential 'acme-hooks' is granted to the customer"
            " acme only, not to globex",
            "use a credential granted to globex, or ask an engineer to add globex to the"
            " credential's customers: in gitcron.yaml (docs/grants.md)",
            id="another customer",
        ),
        pytest.param(
            URL,
            "token_env: GITCRON_HEARTBEAT_URL",
            "acme/hook.yaml",
            "delivery 1, webhook.token_env: GITCRON_HEARTBEAT_URL holds the heartbeat address"
            " (liveness.heartbeat_url_env in gitcron.yaml): a schedule can never send it anywhere",
            "this webhook needs a secret of its own: ask an engineer to declare one under"
            " credentials: in gitcron.yaml (docs/grants.md)",
            id="the heartbeat url",
        ),
        pytest.param(
            URL,
            "token_env: ORDERS_DB_URL",
            "acme/hook.yaml",
            "delivery 1, webhook.token_env: ORDERS_DB_URL holds the database address of the dataset"
            " 'orders' (datasets.orders.database in gitcron.yaml): a schedule can never send it"
            " anywhere",
            None,
            id="a dataset's database",
        ),
    ],
)
def test_a_use_outside_its_grant(
    tmp_path: Path, url: str, line: str, rel: str, message: str, fix: str | None
) -> None:
    headline, hint = only(validate(tmp_path, HOOK.format(url=url, line=line), rel))
    col = line.index(":") + 9
    assert headline == f"schedules/{rel}:6:{col}: error: {message}"
    if fix is not None:
        assert hint == fix


def test_an_ungranted_variable_is_one_edit_from_clean(tmp_path: Path) -> None:
    text = HOOK.format(url=URL, line="token_env: ACME_WEBHOOK_TOKEN")
    headline, hint = only(validate(tmp_path, text))
    assert headline == (
        "schedules/acme/hook.yaml:6:18: error: delivery 1, webhook.token_env: ACME_WEBHOOK_TOKEN is"
        " not granted in gitcron.yaml, so this webhook cannot use it"
    )
    assert hint is not None
    prefix = "an engineer adds this entry under credentials: in gitcron.yaml (docs/grants.md): "
    assert hint.startswith(prefix)
    entry = hint.removeprefix(prefix)
    assert entry == (
        "acme-webhook-token: { env: ACME_WEBHOOK_TOKEN, for: webhook,"
        ' to: ["https://hooks.acme.example/gitcron/daily"], customers: [acme] }'
    )
    fixed = SETTINGS.replace("credentials:\n", f"credentials:\n  {entry}\n")
    run = validate(tmp_path, text, settings=fixed)
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


@pytest.mark.parametrize("key", ["password_env", "key_env"])
def test_an_sftp_login_naming_gitcrons_mail_login(tmp_path: Path, key: str) -> None:
    headline, _ = only(validate(tmp_path, SFTP.format(line=f"{key}: GITCRON_SMTP_URL")))
    assert headline.startswith(
        f"schedules/acme/hook.yaml:6:{len(key) + 9}: error: delivery 1, sftp.{key}:"
        " GITCRON_SMTP_URL holds the mail server's address and password"
    )


def test_known_hosts_env_may_not_name_gitcrons_secrets(tmp_path: Path) -> None:
    text = SFTP.format(line="key: acme-sftp").replace(
        '      known_hosts: "sftp.acme.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA=="\n',
        "      known_hosts_env: GITCRON_SMTP_URL\n",
    )
    headline, hint = only(validate(tmp_path, text))
    assert headline.startswith(
        "schedules/acme/hook.yaml:7:24: error: delivery 1, sftp.known_hosts_env: GITCRON_SMTP_URL"
        " holds the mail server's"
    )
    assert hint == (
        "host keys are not secret: paste the server's known_hosts line under known_hosts:"
    )


@pytest.mark.parametrize(
    ("settings", "where", "message"),
    [
        pytest.param(
            SETTINGS + "  again:\n    env: ACME_SFTP_KEY\n    for: sftp\n    to: [b.example]\n",
            "18:10",
            "credentials.again.env: ACME_SFTP_KEY is granted twice: by 'acme-sftp' and by 'again'",
            id="granted twice",
        ),
        pytest.param(
            SETTINGS
            + "  mail:\n    env: GITCRON_SMTP_URL\n    for: webhook\n    to: [e.example]\n",
            "18:10",
            "credentials.mail.env: GITCRON_SMTP_URL holds the mail server's address and password"
            " (channels.email.smtp_url_env in gitcron.yaml): it cannot be granted to schedules",
            id="gitcron's own secret",
        ),
        pytest.param(
            SETTINGS.replace("to: [sftp.acme.example]", 'to: ["https://a.example/"]'),
            "14:5",
            "credentials.acme-sftp: 'https://a.example/' is not an address an sftp delivery goes"
            " to",
            id="another channel's address",
        ),
        pytest.param(
            SETTINGS.replace("to: [sftp.acme.example]", 'to: [a.example, "sftp://a.example/x?y"]'),
            "16:21",
            "credentials.acme-sftp.to item 2: 'sftp://a.example/x?y' has a query or a fragment",
            id="a query",
        ),
    ],
)
def test_gitcron_yaml_grants_each_variable_once_and_never_its_own(
    tmp_path: Path, settings: str, where: str, message: str
) -> None:
    run = validate(tmp_path, HOOK.format(url=URL, line="secret: acme-hooks"), settings=settings)
    run.assert_clean_failure(1)
    assert run.out.splitlines()[0].startswith(f"gitcron.yaml:{where}: error: {message}"), run.out
    assert "schedules/" not in run.out  # the schedules' names are not judged meanwhile


def test_each_schedule_gets_the_verdict_of_its_own_customer_and_address(tmp_path: Path) -> None:
    """Verdicts are worked out once per credential, address and customer in a repository: a
    schedule of another customer, or to another address, naming the same credential is judged
    on its own."""
    root = tmp_path / "repo"
    (root / "schedules").mkdir(parents=True)
    (root / "gitcron.yaml").write_text(SETTINGS, encoding="utf-8")
    files = {
        "acme/a.yaml": URL,
        "acme/b.yaml": URL,
        "acme/c.yaml": "https://hooks.evil.example/x",
        "globex/d.yaml": URL,
    }
    for rel, url in files.items():
        path = root / "schedules" / rel
        path.parent.mkdir(exist_ok=True)
        path.write_text(HOOK.format(url=url, line="secret: acme-hooks"), encoding="utf-8")
    run = invoke(["--repo", str(root), "validate"])
    run.assert_clean_failure(1)
    flagged = [line.split(":", 1)[0] for line in run.out.splitlines() if ": error:" in line]
    assert flagged == ["schedules/acme/c.yaml", "schedules/globex/d.yaml"], run.out
