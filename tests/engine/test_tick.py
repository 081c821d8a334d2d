"""Whole ticks on a copy of the example repo: files written, state left, history kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.helpers import utc
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.engine.trigger import trigger
from gitcron.state import StateStore, iter_records

FIRST = utc("2026-12-07T05:52")  # the repo's first tick
LATE = utc("2026-12-07T14:07")  # 8 h later: the first Monday of December
EXPECTED_RUNS = {
    "customer-001/weekly-products@2026-12-07T14:00:00Z",
    "customer-002/monthly-products@2026-12-07T10:00:00Z",
    "customer-003/weekday-stock@2026-12-07T13:30:00Z",
    "customer-004/products-every-6h@2026-12-07T12:00:00Z",
}
NO_SMTP = TickOptions(env={})


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under state/ and outbox/, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("state", "outbox")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def test_first_tick_writes_state_and_runs_nothing(repo: Path) -> None:
    result = run_tick(repo, FIRST, NO_SMTP)
    assert result.records == []
    store = StateStore(repo)
    assert store.load_tick() == FIRST
    state = store.load_customer("customer-001")["weekly-products"]
    assert state.anchor == FIRST
    assert state.next_fire == utc("2026-12-07T14:00")
    assert not (repo / "outbox").exists()


def test_a_late_tick_runs_what_came_due_and_records_the_rest(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    result = run_tick(repo, LATE, NO_SMTP)
    assert {r.run_id for r in result.ran} == EXPECTED_RUNS
    assert all(r.status == "succeeded" for r in result.ran)
    missed = sorted((r.schedule, r.note) for r in result.records if r.status == "missed")
    assert missed == [
        ("customer-004/products-every-6h", "more than 6h late (max_delay)"),
        ("customer-004/stock-event", "more than 6h late (max_delay)"),
    ]
    history = list(iter_records(repo))
    assert sorted(r.run_id for r in history) == sorted(r.run_id for r in result.records)
    weekly = StateStore(repo).load_customer("customer-001")["weekly-products"]
    assert (weekly.runs, weekly.succeeded, weekly.last_fire) == (1, 1, utc("2026-12-07T14:00"))
    assert weekly.next_fire == utc("2026-12-14T14:00")
    emails = sorted(
        p.name for p in (repo / "outbox").rglob("*.eml") if "_notifications" not in p.parts
    )
    assert len(emails) == 4
    # the two misses share an owner, who hears of them in one message (owners hear of misses)
    told = sorted(p.relative_to(repo / "outbox").as_posix()
                  for p in (repo / "outbox/_notifications").rglob("*.eml"))  # fmt: skip
    assert told == ["_notifications/_missed/2026-12-07T14-07-00Z.missed.d2e975a29461.eml"]
    assert "state/tick.json" in result.changed


def test_the_same_tick_twice_delivers_nothing_new(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    run_tick(repo, LATE, NO_SMTP)
    before = snapshot(repo)
    again = run_tick(repo, LATE, NO_SMTP)
    assert again.records == []
    assert again.changed == []
    assert snapshot(repo) == before


def test_dry_run_renders_into_the_outbox_and_writes_no_state(repo: Path, tmp_path: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    state_before = snapshot(repo)
    out = tmp_path / "preview"
    result = run_tick(repo, LATE, TickOptions(dry_run=True, outbox=out, env={}))
    assert {r.run_id for r in result.ran} == EXPECTED_RUNS
    assert snapshot(repo) == state_before  # neither state nor the repo's outbox changed
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert "northwind-products-2026-12-07.xlsx" in names
    assert sum(name.endswith(".eml") for name in names) == 4
    assert {r.run_id for r in run_tick(repo, LATE, NO_SMTP).ran} == EXPECTED_RUNS  # still due


def test_only_runs_the_named_schedule_and_keeps_the_tick_file(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    result = run_tick(repo, LATE, TickOptions(only=("customer-001/weekly-products",), env={}))
    assert [r.schedule for r in result.records] == ["customer-001/weekly-products"]
    assert StateStore(repo).load_tick() == FIRST
    rest = run_tick(repo, LATE, NO_SMTP)
    assert {r.run_id for r in rest.ran} == EXPECTED_RUNS - {
        "customer-001/weekly-products@2026-12-07T14:00:00Z"
    }


def test_a_broken_schedule_is_reported_and_the_others_run(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    broken = repo / "schedules/customer-002/monthly-products.yaml"
    broken.write_text(broken.read_text().replace("first monday", "first mondai"))
    result = run_tick(repo, LATE, NO_SMTP)
    assert [e.id for e in result.invalid] == ["customer-002/monthly-products"]
    assert {r.run_id for r in result.ran} == EXPECTED_RUNS - {
        "customer-002/monthly-products@2026-12-07T10:00:00Z"
    }
    assert "monthly-products" in StateStore(repo).load_customer("customer-002")  # state is kept


def test_a_manual_trigger_is_counted_and_leaves_the_next_fire(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    before = StateStore(repo).load_customer("customer-001")["weekly-products"]
    at = utc("2026-12-07T07:00")
    result = trigger(repo, at, "customer-001/weekly-products", NO_SMTP)
    [record] = result.records
    assert (record.trigger, record.status, record.fire) == ("manual", "succeeded", at)
    assert record.run_id == "customer-001/weekly-products@2026-12-07T07:00:00Z"
    after = StateStore(repo).load_customer("customer-001")["weekly-products"]
    assert (after.runs, after.manual_runs, after.succeeded) == (1, 1, 1)
    assert after.next_fire == before.next_fire == utc("2026-12-07T14:00")
    assert after.last_fire == before.last_fire
    assert after.last_manual == at
    later = run_tick(repo, LATE, NO_SMTP)  # the scheduled fire still runs
    assert "customer-001/weekly-products@2026-12-07T14:00:00Z" in {r.run_id for r in later.ran}


RETRYING = """\
timezone: UTC
schedule:
  daily: { at: "09:00" }
report: { dataset: products, format: csv, params: { customer: acme } }
deliver:
  - email: { to: [buyer@acme.example] }
  - outbox: { dir: drop }
retry: { attempts: 2, backoff: 10m }
"""


def test_retries_resend_only_the_failed_delivery(empty_repo: Path) -> None:
    root = empty_repo
    (root / "schedules/acme").mkdir()
    (root / "schedules/acme/daily.yaml").write_text(RETRYING)
    with (root / "gitcron.yaml").open("a") as settings:  # the mail server below is on loopback
        settings.write('network:\n  allow: ["127.0.0.1"]\n')
    waits: list[float] = []
    down = TickOptions(env={"GITCRON_SMTP_URL": "smtp://127.0.0.1:9"}, sleep=waits.append)
    run_tick(root, utc("2026-11-23T08:52"), down)
    first = run_tick(root, utc("2026-11-23T09:07"), down)
    [record] = first.records
    assert record.status == "partial"
    assert len(waits) == 2  # nothing listens on port 9: two more tries inside the tick
    assert [(d.target, d.status) for d in record.deliveries] == [
        ("email:buyer@acme.example", "failed"),
        ("outbox:drop", "succeeded"),
    ]
    pending = StateStore(root).load_customer("acme")["daily"].pending_retry
    assert pending is not None
    assert (pending.due, pending.failed_targets) == (
        utc("2026-11-23T09:17"),
        ("email:buyer@acme.example",),
    )
    dropped = {p: p.stat().st_mtime_ns for p in (root / "drop").rglob("*")}
    assert run_tick(root, utc("2026-11-23T09:12"), down).records == []  # not due yet
    second = run_tick(root, utc("2026-11-23T09:22"), down)
    [retry] = second.records
    assert (retry.trigger, retry.attempt, retry.status) == ("retry", 2, "partial")
    assert [(d.target, d.status) for d in retry.deliveries] == [
        ("email:buyer@acme.example", "failed"),
        ("outbox:drop", "skipped"),
    ]
    # The SMTP server is fixed (here: no server configured, mail goes to the outbox folder).
    third = run_tick(root, utc("2026-11-23T09:45"), TickOptions(env={}))
    [final] = third.records
    assert (final.attempt, final.status) == (3, "succeeded")
    assert {p: p.stat().st_mtime_ns for p in (root / "drop").rglob("*")} == dropped  # not re-sent
    state = StateStore(root).load_customer("acme")["daily"]
    assert (state.runs, state.succeeded, state.failed, state.pending_retry) == (1, 1, 0, None)


def test_overlapping_ticks_on_one_checkout_run_each_fire_once(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    command = [
        sys.executable,
        "-m",
        "gitcron",
        "--repo",
        str(repo),
        "run",
        "--at",
        "2026-12-07T14:07:00Z",
    ]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(repo)}
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    ran = [r.run_id for r in iter_records(repo) if r.status == "succeeded"]
    assert sorted(ran) == sorted(EXPECTED_RUNS)  # each once, though three ticks overlapped
    assert sum("4 runs" in out for out in outputs) == 1
    assert sum("0 runs" in out for out in outputs) == 2


def test_history_days_past_retention_are_pruned(repo: Path) -> None:
    old = repo / "state/history/2025-10-01.jsonl"
    old.parent.mkdir(parents=True)
    old.write_text("")
    kept = repo / "state/history/2025-11-08.jsonl"
    kept.write_text("")
    result = run_tick(repo, FIRST, NO_SMTP)  # keep_months: 13 -> from 2025-11-07 on
    assert not old.exists()
    assert kept.exists()
    assert "state/history/2025-10-01.jsonl" in result.changed


def test_state_files_are_byte_stable_json(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    run_tick(repo, LATE, NO_SMTP)
    raw = (repo / "state/schedules/customer-001.json").read_bytes()
    assert raw == (json.dumps(json.loads(raw), indent=2, sort_keys=True) + "\n").encode()


@pytest.mark.parametrize("sid", ["nobody/nothing"])
def test_only_an_unknown_id_is_an_error(repo: Path, sid: str) -> None:
    from gitcron.errors import ScheduleNotFoundError

    with pytest.raises(ScheduleNotFoundError):
        run_tick(repo, FIRST, TickOptions(only=(sid,)))


def test_a_corrupt_customer_file_stops_only_that_customer(repo: Path) -> None:
    run_tick(repo, FIRST, NO_SMTP)
    broken = repo / "state/schedules/customer-002.json"
    text = broken.read_text().replace('"runs": 0,', '"runs": 0,,', 1)
    broken.write_text(text)
    result = run_tick(repo, LATE, NO_SMTP)
    [problem] = result.state_problems
    assert str(problem).startswith("state/schedules/customer-002.json:")
    assert "gitcron state repair" in str(problem)
    assert {r.run_id for r in result.ran} == EXPECTED_RUNS - {
        "customer-002/monthly-products@2026-12-07T10:00:00Z"
    }
    assert broken.read_text() == text  # never reset or rewritten
