"""`gitcron validate` on slack: and teams: deliveries: the model's rules, each grant at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import Run, invoke

SETTINGS = """\
datasets:
  products: { sample: products, params: [customer] }
channels:
  email: { from: reports@ourco.example }
credentials:
  acme-slack:
    env: ACME_SLACK_WEBHOOK
    for: slack
    to: ["https://hooks.slack.com/services"]
    customers: [acme]
  acme-slack-bot: { env: ACME_SLACK_BOT, for: slack, to: ["https://slack.com/api"] }
  acme-teams: { env: ACME_TEAMS_FLOW, for: teams, to: [prod-00.westeurope.logic.azure.com] }
  acme-hooks: { env: ACME_WEBHOOK_SECRET, for: webhook, to: [hooks.acme.example] }
"""
# 1 schedule  2 report  3 deliver  4 storage  5 the chat delivery  6 its first key
SCHEDULE = """\
schedule: {{ daily: {{ at: "06:00" }} }}
report: {{ dataset: products, params: {{ customer: acme }}, format: csv }}
deliver:
  - storage: {{ path: exports/acme, link_expires: 7d }}
  - {channel}:
      {line}
"""


def validate(tmp_path: Path, channel: str, line: str, rel: str = "acme/daily.yaml") -> Run:
    root = tmp_path / "repo"
    path = root / "schedules" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    (root / "gitcron.yaml").write_text(SETTINGS, encoding="utf-8")
    path.write_text(SCHEDULE.format(channel=channel, line=line), encoding="utf-8")
    return invoke(["--repo", str(root), "validate"])


def only(run: Run) -> tuple[str, str]:
    run.assert_clean_failure(1)
    lines = run.out.splitlines()
    assert len(lines) == 3, run.out
    return lines[0], lines[1].removeprefix("    fix: ")


@pytest.mark.parametrize(
    ("channel", "line"),
    [
        ("slack", "webhook: acme-slack"),
        ("slack", "token: acme-slack-bot\n      channel: C0123456789"),
        ("teams", "webhook: acme-teams"),
    ],
)
def test_granted_chat_deliveries_are_clean(tmp_path: Path, channel: str, line: str) -> None:
    run = validate(tmp_path, channel, line)
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


@pytest.mark.parametrize(
    ("channel", "line", "rel", "message"),
    [
        pytest.param(
            "slack",
            "webhook: acme-hooks",
            "acme/daily.yaml",
            "6:16: error: delivery 2, slack.webhook: the credential 'acme-hooks' is granted to"
            " webhook deliveries, not to Slack deliveries",
            id="another channel",
        ),
        pytest.param(
            "slack",
            "webhook: acme-slack",
            "globex/daily.yaml",
            "6:16: error: delivery 2, slack.webhook: the credential 'acme-slack' is granted to the"
            " customer acme only, not to globex",
            id="another customer",
        ),
        pytest.param(
            "slack",
            "token: acme-slack-bot\n      channel: C0123456789\n      api: https://evil.example/api",
            "acme/daily.yaml",
            "6:14: error: delivery 2, slack.token: the credential 'acme-slack-bot' may only be sent"
            " to https://slack.com/api, not to https://evil.example/api",
            id="another api",
        ),
        pytest.param(
            "teams",
            "webhook: acme-teem",
            "acme/daily.yaml",
            "6:16: error: delivery 2, teams.webhook: there is no credential named 'acme-teem' in"
            " gitcron.yaml",
            id="undeclared",
        ),
    ],
)
def test_uses_outside_their_grant_are_errors_at_their_line(
    tmp_path: Path, channel: str, line: str, rel: str, message: str
) -> None:
    first, _ = only(validate(tmp_path, channel, line, rel))
    assert first == f"schedules/{rel}:{message}"


@pytest.mark.parametrize(
    ("line", "message", "fix"),
    [
        pytest.param(
            "token: acme-slack-bot",
            "a Slack upload with token: needs the channel: to upload to",
            "add channel: with the channel's ID, e.g. channel: C0123456789",
            id="no channel",
        ),
        pytest.param(
            "token: acme-slack-bot\n      channel: '#reports'",
            "'#reports' is not a Slack channel ID",
            "write the channel's ID",
            id="channel name",
        ),
        pytest.param(
            "token: acme-slack-bot\n      channel: C0123456789\n      api: http://slack.example/api",
            "the api: address starts with http://, so the bot token would travel unencrypted",
            "use https://",
            id="clear api",
        ),
        pytest.param(
            "webhook: acme-slack\n      token: acme-slack-bot",
            "a Slack delivery: found webhook and token",
            "keep only one of webhook or token",
            id="both",
        ),
        pytest.param(
            "webhook: https://hooks.slack.com/services/T0/B0/abcdefABCDEF1234567890ab",
            "this looks like a Slack webhook address (the address itself is the password)",
            "",
            id="pasted url",
        ),
    ],
)
def test_the_target_model_explains_its_rules(
    tmp_path: Path, line: str, message: str, fix: str
) -> None:
    first, hint = only(validate(tmp_path, "slack", line))
    assert message in first
    assert fix in hint


def test_a_chat_link_needs_a_storage_delivery_above(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    path = root / "schedules/acme/daily.yaml"
    path.parent.mkdir(parents=True)
    (root / "gitcron.yaml").write_text(SETTINGS, encoding="utf-8")
    path.write_text(
        'schedule: { daily: { at: "06:00" } }\n'
        "report: { dataset: products, params: { customer: acme }, format: csv }\n"
        "deliver:\n  - teams: { webhook: acme-teams }\n",
        encoding="utf-8",
    )
    first, hint = only(invoke(["--repo", str(root), "validate"]))
    assert "a teams message carries the report as a link: it needs a storage delivery" in first
    assert "link_expires: 7d" in hint
