"""Notifications: who hears about a run, when (final outcomes only), and what they read."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest

from channels.mailserver import Inbox, serve
from engine.helpers import utc
from gitcron.config.settings import Settings
from gitcron.engine.notify import audience
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.schedule import Schedule
from gitcron.state import StateStore

SCHEDULE = """\
timezone: Europe/London
owner: am@ourco.example
schedule:
  daily: { at: "09:00" }
report: { dataset: products, format: csv, params: { customer: acme } }
deliver:
  - email: { to: [buyer@acme.example] }
retry: { attempts: 1, backoff: 10m }
"""
SECRET = "s3cr3t-Pa55word"
DOWN = f"smtp://reports:{SECRET}@127.0.0.1:9"  # nothing listens on port 9
LOOPBACK = 'network:\n  allow: ["127.0.0.1"]\n'  # the test mail server's address, allowed


def repo_with(root: Path, schedule: str, settings_extra: str = "") -> Path:
    (root / "schedules/acme").mkdir(exist_ok=True)
    (root / "schedules/acme/daily.yaml").write_text(schedule)
    if settings_extra:
        with (root / "gitcron.yaml").open("a") as f:
            f.write(settings_extra)
    return root


def tick(root: Path, at: str, env: dict[str, str]):
    return run_tick(root, utc(at), TickOptions(env=env, sleep=lambda _: None))


def test_a_permanent_failure_tells_the_owner_once_by_email(empty_repo: Path) -> None:
    root = repo_with(empty_repo, SCHEDULE, LOOPBACK)
    (root / "gitcron.yaml").write_text(
        (root / "gitcron.yaml")
        .read_text()
        .replace("from: Reports", "max_attachment_mb: 0.00001\n    from: Reports")
    )
    inbox = Inbox()
    with serve(inbox) as port:
        env = {"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        tick(root, "2026-11-23T08:52", env)
        result = tick(root, "2026-11-23T09:07", env)
    [record] = result.records
    assert record.status == "failed"
    assert result.warnings == []
    [envelope] = inbox.received  # the report itself never went: only the notification
    assert envelope.rcpt_tos == ["am@ourco.example"]
    message = email.message_from_bytes(envelope.content, policy=default)
    assert message["Subject"] == "acme/daily failed (Mon 23 Nov 2026 09:00 Europe/London)"
    body = message.get_content()
    assert "When:  Mon 23 Nov 2026 09:00 Europe/London (2026-11-23T09:00:00Z UTC)" in body
    assert "email:buyer@acme.example: acme/daily: daily-" in body  # the default file name
    assert "over the 1e-05 MB email attachment limit" in body
    assert "Retrying cannot fix this error" in body
    assert "gitcron trigger acme/daily" in body
    assert message["Message-ID"].startswith("<notify-")


def test_a_failure_with_a_retry_left_stays_quiet_until_the_last_attempt(empty_repo: Path) -> None:
    root = repo_with(empty_repo, SCHEDULE, LOOPBACK)
    env = {"GITCRON_SMTP_URL": DOWN}
    tick(root, "2026-11-23T08:52", env)
    first = tick(root, "2026-11-23T09:07", env)
    assert [r.status for r in first.records] == ["failed"]
    assert first.warnings == []  # a retry is due at 09:17: nobody is told yet
    last = tick(root, "2026-11-23T09:22", env)
    [record] = last.records
    assert (record.trigger, record.attempt, record.status) == ("retry", 2, "failed")
    [warning] = last.warnings  # the mail server is down for the notification too
    assert warning.startswith("acme/daily: the email notification was not sent:")
    assert "127.0.0.1:9" in warning
    assert SECRET not in warning
    state = StateStore(root).load_customer("acme")["daily"]
    assert (state.failed, state.pending_retry) == (1, None)  # the record is what it was


def test_misses_and_successes_are_told_when_asked(empty_repo: Path) -> None:
    schedule = SCHEDULE + "notify: { on: [missed, success], email: [ops@ourco.example] }\n"
    root = repo_with(empty_repo, schedule)
    tick(root, "2026-11-22T08:52", {})
    result = tick(root, "2026-11-23T09:07", {})  # no mail server: mail goes to the outbox
    assert sorted(r.status for r in result.records) == ["missed", "succeeded"]
    folder = root / "outbox/_notifications/acme"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "daily@2026-11-22T09-00-00Z.missed.1.eml",
        "daily@2026-11-23T09-00-00Z.succeeded.1.eml",
    ]
    missed = email.message_from_bytes((folder / names[0]).read_bytes(), policy=default)
    assert missed["To"] == "ops@ourco.example"
    assert missed["Subject"] == "acme/daily was missed (Sun 22 Nov 2026 09:00 Europe/London)"
    assert "Ticks did not come in time" in missed.get_content()


def test_no_notification_for_what_nobody_asked_about(empty_repo: Path) -> None:
    """Owners hear of failures and misses by default (a miss was silent before), not successes."""
    root = repo_with(empty_repo, SCHEDULE)
    tick(root, "2026-11-22T08:52", {})
    result = tick(root, "2026-11-23T09:07", {})  # a miss and a success
    assert sorted(r.status for r in result.records) == ["missed", "succeeded"]
    folder = root / "outbox/_notifications/acme"
    assert sorted(p.name for p in folder.iterdir()) == ["daily@2026-11-22T09-00-00Z.missed.1.eml"]
    told = email.message_from_bytes(next(folder.iterdir()).read_bytes(), policy=default)
    assert told["To"] == "am@ourco.example"


@pytest.mark.parametrize(
    ("schedule", "defaults", "expected"),
    [
        pytest.param(
            {}, {}, ({"failure", "partial", "missed"}, ("accounts@x.example",), None), id="owner"
        ),
        pytest.param(
            {"owner": "am@x.example"},
            {},
            ({"failure", "partial", "missed"}, ("am@x.example",), None),
            id="schedule owner",
        ),
        pytest.param(
            {"notify": {"on": ["success"], "webhook": "https://hooks.x.example/n"}},
            {},
            ({"success"}, ("accounts@x.example",), "https://hooks.x.example/n"),
            id="webhook, owner mailed",
        ),
        pytest.param(
            {},
            {"notify": {"on": ["missed"], "email": ["ops@x.example"]}},
            ({"missed"}, ("ops@x.example",), None),
            id="defaults.notify",
        ),
    ],
)
def test_audience(schedule: dict, defaults: dict, expected: tuple) -> None:
    settings = Settings.model_validate({"defaults": {"owner": "accounts@x.example", **defaults}})
    base = {"schedule": {"daily": {"at": "09:00"}}, "event": {"type": "x"}}
    who = audience(Schedule.model_validate({**base, **schedule}), settings)
    assert (set(who.on), who.emails, who.webhook) == expected


def test_a_schedule_without_a_timezone_is_told_in_the_default_one(empty_repo: Path) -> None:
    schedule = SCHEDULE.replace("timezone: Europe/London\n", "") + (
        "notify: { on: [success], email: [ops@ourco.example] }\n"
    )
    root = repo_with(empty_repo, schedule)
    settings = root / "gitcron.yaml"
    settings.write_text(settings.read_text().replace("timezone: UTC", "timezone: Asia/Tokyo"))
    tick(root, "2026-11-23T23:52", {})
    tick(root, "2026-11-24T00:07", {})  # 09:00 in Tokyo
    [eml] = (root / "outbox/_notifications/acme").iterdir()
    message = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert message["Subject"] == "acme/daily succeeded (Tue 24 Nov 2026 09:00 Asia/Tokyo)"
