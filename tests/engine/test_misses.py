"""A 3-day outage: one notice to the operators, one message per owner listing its misses.

Real SMTP (aiosmtpd on 127.0.0.1); time is the ticks' `at`, never slept on.
"""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from channels.mailserver import Inbox, serve
from engine.helpers import utc
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick

LOOPBACK = 'network:\n  allow: ["127.0.0.1"]\n'
OPERATORS = "operators: [platform@ourco.example, oncall@ourco.example]\n"


def schedule(owner: str, cron: str, customer: str) -> str:
    return (
        f'owner: {owner}\ntimezone: UTC\nschedule:\n  cron: "{cron}"\n'
        f"report: {{ dataset: products, format: csv, params: {{ customer: {customer} }} }}\n"
        f"deliver:\n  - email: {{ to: [buyer@{customer}.example] }}\n"
    )


def repo(root: Path, settings_extra: str) -> Path:
    files = {
        "acme/hourly.yaml": schedule("am@ourco.example", "0 * * * *", "acme"),
        "acme/six-hourly.yaml": schedule("am@ourco.example", "0 */6 * * *", "acme"),
        "beta/daily.yaml": schedule("bo@ourco.example", "0 9 * * *", "beta"),
    }
    for rel, text in files.items():
        (root / "schedules" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "schedules" / rel).write_text(text)
    with (root / "gitcron.yaml").open("a") as handle:
        handle.write(LOOPBACK + settings_extra)
    return root


def told(inbox: Inbox, *buyers: str) -> dict[str, list[EmailMessage]]:
    """Messages by recipient, without the reports delivered to customers."""
    found: dict[str, list[EmailMessage]] = {}
    for envelope in inbox.received:
        message = email.message_from_bytes(envelope.content, policy=default)
        for rcpt in envelope.rcpt_tos:
            if not rcpt.startswith("buyer@"):
                found.setdefault(rcpt, []).append(message)  # type: ignore[arg-type]
    return found


def test_a_three_day_outage_is_told_once_to_operators_and_once_per_owner(
    empty_repo: Path,
) -> None:
    root = repo(empty_repo, OPERATORS)
    inbox = Inbox()
    with serve(inbox) as port:
        env = {"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        options = TickOptions(env=env, sleep=lambda _: None)
        run_tick(root, utc("2026-11-23T08:52"), options)
        result = run_tick(root, utc("2026-11-26T09:07"), options)  # 3 days without a tick
        again = run_tick(root, utc("2026-11-26T09:22"), options)  # the next tick is on time
    missed = [r for r in result.records if r.status == "missed"]
    assert len(missed) > 70
    assert result.warnings == again.warnings == []
    by_rcpt = told(inbox)
    assert sorted(by_rcpt) == ["am@ourco.example", "bo@ourco.example",
                               "oncall@ourco.example", "platform@ourco.example"]  # fmt: skip
    [outage] = by_rcpt["platform@ourco.example"]
    assert by_rcpt["oncall@ourco.example"] == [outage]  # one message to both operators
    assert outage["Subject"] == f"gitcron: no tick for 3 days; {len(missed)} fires missed"
    body = outage.get_content().replace("\r\n", "\n")
    assert "No tick ran from 2026-11-23T08:52:00Z to 2026-11-26T09:07:00Z UTC" in body
    acme_hourly = sum(r.schedule == "acme/hourly" for r in missed)
    assert f"  - acme/hourly: {acme_hourly} (2026-11-23T09:00:00Z .. " in body
    assert "  - beta/daily: 3 (2026-11-23T09:00:00Z .. 2026-11-25T09:00:00Z)" in body

    [am] = by_rcpt["am@ourco.example"]  # both of its schedules' misses, in one message
    mine = [r for r in missed if r.schedule.startswith("acme/")]
    assert am["Subject"] == (
        f"{len(mine)} scheduled runs were missed (acme/hourly, acme/six-hourly)"
    )
    lines = [line for line in am.get_content().splitlines() if line.startswith("  - ")]
    assert len(lines) == len(mine)
    assert lines[0].startswith("  - acme/hourly (Mon 23 Nov 2026 09:00 UTC)")
    [bo] = by_rcpt["bo@ourco.example"]
    assert bo["Subject"] == "3 scheduled runs were missed (beta/daily)"


def test_without_operators_only_owners_hear(empty_repo: Path) -> None:
    root = repo(empty_repo, "")
    inbox = Inbox()
    with serve(inbox) as port:
        options = TickOptions(env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"})
        run_tick(root, utc("2026-11-23T08:52"), options)
        run_tick(root, utc("2026-11-26T09:07"), options)
    assert sorted(told(inbox)) == ["am@ourco.example", "bo@ourco.example"]


def test_a_late_tick_within_stale_after_tells_no_operator(empty_repo: Path) -> None:
    root = repo(empty_repo, OPERATORS)
    inbox = Inbox()
    with serve(inbox) as port:
        options = TickOptions(env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"})
        run_tick(root, utc("2026-11-23T08:52"), options)
        run_tick(root, utc("2026-11-23T10:37"), options)  # 1h45m: GitHub's delays, not an outage
    assert "platform@ourco.example" not in told(inbox)
