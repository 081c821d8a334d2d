"""`gitcron backfill`: a past period's fires run late, each with its own data interval."""

from __future__ import annotations

import email
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")
from engine.byhand import MAIL, STORE, Place, hook, place
from gitcron.engine.backfill import MAX_RUNS

AT = ("--at", "2026-11-10T10:00:00Z")


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Place]:
    with place(tmp_path) as where:
        yield where


def after_a_gap(repo: Place, deliver: str = MAIL, timing: str = 'daily: { at: "08:00" }') -> None:
    """The first tick on 1 November, the next on the 10th: 2 to 9 November were missed."""
    repo.write(deliver, timing)
    assert repo.gitcron("run", "--at", "2026-11-01T07:00:00Z").code == 0
    assert repo.gitcron("run", "--at", "2026-11-10T09:00:00Z").code == 0


def test_missed_fires_run_each_with_its_own_interval(repo: Place) -> None:
    after_a_gap(repo)
    course = repo.course()
    run = repo.gitcron(
        "backfill", "acme/daily", "--from", "2026-11-04", "--until", "2026-11-05", *AT
    )
    assert run.code == 0, run.both
    listed = run.out.splitlines()
    assert listed[0] == (
        "backfill acme/daily, 2026-11-04 00:00 to 2026-11-05 23:59 UTC: 2 fire(s), 2 to run"
    )
    assert listed[1].startswith("  run   2026-11-04 08:00 UTC  missed")
    assert listed[1].endswith("(data since 2026-11-03 08:00 UTC)")
    records = [r for r in repo.history() if r["trigger"] == "backfill"]
    assert [(r["fire"], r["status"]) for r in records] == [
        ("2026-11-04T08:00:00Z", "succeeded"),
        ("2026-11-05T08:00:00Z", "succeeded"),
    ]
    subjects = [email.message_from_bytes(m)["Subject"] for m in repo.mails()]
    assert len(subjects) == 3  # the tick's one run, then the two backfilled fires
    # a backfill is beside the schedule's course: its state is what the tick left
    assert repo.course() == course


def test_a_dry_run_lists_every_fire_and_runs_nothing(repo: Place) -> None:
    after_a_gap(repo)
    before = repo.history()
    run = repo.gitcron(
        "backfill", "acme/daily", "--from", "2026-11-08", "--until", "2026-11-12", "--dry-run", *AT
    )
    assert run.code == 0, run.both
    assert "3 fire(s), 2 to run" in run.out
    assert "  skip  2026-11-10 08:00 UTC  delivered (--force sends it again)" in run.out
    assert "fires after 2026-11-10 08:00 UTC are the next tick's to run, not here" in run.out
    assert "dry run: nothing ran" in run.out
    assert repo.history() == before
    assert len(repo.mails()) == 1


def test_force_sends_delivered_fires_again_as_new_attempts(repo: Place) -> None:
    after_a_gap(repo, MAIL + hook(repo.hook_port))
    day = ("--from", "2026-11-10", "--until", "2026-11-10")
    assert "0 to run" in repo.gitcron("backfill", "acme/daily", *day, *AT).out
    run = repo.gitcron("backfill", "acme/daily", *day, "--force", *AT)
    assert run.code == 0, run.both
    record = repo.history()[-1]
    assert (record["trigger"], record["attempt"]) == ("backfill", 2)
    ids = [p.headers["webhook-id"] for p in repo.hooks.received]
    assert ids == ["acme/daily@2026-11-10T08:00:00Z", "acme/daily@2026-11-10T08:00:00Z#2"]


def test_a_partly_delivered_fire_sends_only_what_is_missing(repo: Place) -> None:
    repo.write(STORE + MAIL)
    assert repo.gitcron("run", "--at", "2026-11-01T07:00:00Z").code == 0
    down = repo.smtp_port
    repo.smtp_port = 9  # nothing listens: the email fails, the storage delivery arrives
    assert repo.gitcron("run", "--at", "2026-11-02T08:05:00Z").code == 1
    repo.smtp_port = down
    run = repo.gitcron(
        "backfill", "acme/daily", "--from", "2026-11-02", "--until", "2026-11-02", *AT
    )
    assert run.code == 0, run.both
    assert "sends to 1 of 2 targets" in run.out
    deliveries = {d["target"]: d["status"] for d in repo.history()[-1]["deliveries"]}
    assert deliveries == {
        "storage:exports/acme": "skipped",
        "email:buyer@acme.example": "succeeded",
    }


def test_more_fires_than_the_cap_are_refused_before_anything_runs(repo: Place) -> None:
    after_a_gap(repo, MAIL, "every: 1h")
    run = repo.gitcron(
        "backfill", "acme/daily", "--from", "2026-11-02", "--until", "2026-11-09", *AT
    )
    assert run.code == 1
    assert f"more than the {MAX_RUNS} one backfill runs" in run.err
    assert "split the period" in run.err
    assert not [r for r in repo.history() if r["trigger"] == "backfill"]
    assert len(repo.mails()) == 1


def test_mistakes_in_the_period_are_usage_errors(repo: Place) -> None:
    after_a_gap(repo)
    wrong = repo.gitcron(
        "backfill", "acme/daily", "--from", "2026-11-05", "--until", "2026-11-04", *AT
    )
    assert wrong.code == 2
    assert "is before --from" in wrong.err
    bad = repo.gitcron(
        "backfill", "acme/daily", "--from", "2026-13-01", "--until", "2026-11-04", *AT
    )
    assert bad.code == 2
    assert "--from: '2026-13-01' is not a date" in bad.err
    unknown = repo.gitcron(
        "backfill", "acme/nope", "--from", "2026-11-01", "--until", "2026-11-02", *AT
    )
    assert unknown.code == 1
    assert "there is no schedule 'acme/nope'" in unknown.err
