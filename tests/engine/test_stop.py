"""A tick asked to stop (`Stop`, what SIGINT and SIGTERM do) starts no new step, keeps what it
recorded, and leaves state from which the next tick runs exactly what did not run, once.

The stop is asked for in-process here, at a chosen point: before the tick, from a record, from
inside a run. The signals themselves reach a real `gitcron run` in tests/cli/test_stop_signals.py.
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import gitcron.engine.steps as steps
from engine.helpers import utc
from engine.test_tick import EXPECTED_RUNS, FIRST, LATE
from gitcron.catalog.view import ScheduleView
from gitcron.engine.phases import Stop, TickOptions
from gitcron.engine.plans import PlannedRun
from gitcron.engine.tick import run_tick
from gitcron.state import Record, StateStore, iter_records

NEXT = utc("2026-12-07T14:12")  # the tick after the stopped one
WEEKLY = "customer-001/weekly-products@2026-12-07T14:00:00Z"  # the first run with --jobs 1
MISSED = Counter(
    {
        "customer-004/products-every-6h@2026-12-07T06:00:00Z": 1,
        "customer-004/stock-event@2026-12-07T06:00:00Z": 1,
    }
)


def stopping(stop: Stop, jobs: int = 1) -> TickOptions:
    return TickOptions(env={}, jobs=jobs, stop=stop)


def history(root: Path) -> list[tuple[str, str]]:
    return [(r.run_id, r.status) for r in iter_records(root)]


def assert_the_next_tick_finishes(root: Path) -> None:
    """Every state file loads; the next tick runs what is left; each run happened once."""
    store = StateStore(root)
    for customer in store.customers():
        store.load_customer(customer)
    run_tick(root, NEXT, TickOptions(env={}))
    final = history(root)
    succeeded = Counter(run_id for run_id, status in final if status == "succeeded")
    assert succeeded == Counter(dict.fromkeys(EXPECTED_RUNS, 1))
    assert Counter(run_id for run_id, status in final if status == "missed") == MISSED
    assert StateStore(root).load_tick() == NEXT


def test_a_second_request_or_the_end_of_the_grace_period_stops_the_waiting() -> None:
    stop = Stop()
    assert not stop.requested
    assert not stop.given_up()
    stop.request(signal.SIGTERM)
    assert stop.requested
    assert not stop.given_up()
    stop.request(signal.SIGINT)
    assert stop.given_up()
    assert stop.signal == signal.SIGTERM  # the first one says how the tick was stopped
    patient = Stop(grace=0)
    assert not patient.given_up()  # no request, nothing to give up on
    patient.request(signal.SIGINT)
    assert patient.given_up()


def test_a_tick_stopped_before_its_runs_starts_none_and_is_not_stamped(repo: Path) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    stop = Stop()
    stop.request(signal.SIGTERM)
    result = run_tick(repo, LATE, stopping(stop, jobs=4))
    assert result.records == []
    assert result.cut == []
    assert {run.run_id for run in result.not_started} == EXPECTED_RUNS
    assert history(repo) == []
    assert StateStore(repo).load_tick() == FIRST  # the next tick decides against the same one
    assert not (repo / "outbox").exists()
    assert_the_next_tick_finishes(repo)


def test_a_stop_between_steps_leaves_the_schedule_at_its_last_record(repo: Path) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    stop = Stop()

    def on_record(record: Record, view: ScheduleView) -> None:
        if record.schedule == "customer-004/products-every-6h":  # its 06:00 fire, missed
            stop.request(signal.SIGINT)

    result = run_tick(repo, LATE, stopping(stop), on_record)
    assert {r.run_id for r in result.ran} == EXPECTED_RUNS - {
        "customer-004/products-every-6h@2026-12-07T12:00:00Z"
    }
    assert [run.run_id for run in result.not_started] == [
        "customer-004/products-every-6h@2026-12-07T12:00:00Z"
    ]
    assert "customer-004/stock-event@2026-12-07T06:00:00Z" not in dict(history(repo))
    every_6h = StateStore(repo).load_customer("customer-004")["products-every-6h"]
    assert every_6h.last_fire == utc("2026-12-07T06:00")  # not the planned 12:00
    weekly = StateStore(repo).load_customer("customer-001")["weekly-products"]
    assert weekly.next_fire == utc("2026-12-14T14:00")  # schedules that finished are settled
    assert_the_next_tick_finishes(repo)


def test_a_run_in_progress_finishes_and_is_recorded(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    stop = Stop()
    original = steps.run_one

    def run_one(run: PlannedRun, *args: Any, **kwargs: Any) -> Record:
        stop.request(signal.SIGTERM)  # the signal arrives while this run is in progress
        return original(run, *args, **kwargs)

    monkeypatch.setattr(steps, "run_one", run_one)
    result = run_tick(repo, LATE, stopping(stop))
    assert [r.run_id for r in result.ran] == [WEEKLY]
    assert {run.run_id for run in result.not_started} == EXPECTED_RUNS - {WEEKLY}
    assert result.cut == []
    assert (WEEKLY, "succeeded") in history(repo)
    monkeypatch.setattr(steps, "run_one", original)
    assert_the_next_tick_finishes(repo)


def test_a_run_the_tick_stops_waiting_for_is_never_recorded(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    stop = Stop(grace=0)  # as if the grace period were over at once
    release, ended = threading.Event(), threading.Event()
    original = steps.run_one

    def stuck(run: PlannedRun, *args: Any, **kwargs: Any) -> Record:
        stop.request(signal.SIGTERM)
        release.wait(timeout=60)
        try:
            return original(run, *args, **kwargs)
        finally:
            ended.set()

    monkeypatch.setattr(steps, "run_one", stuck)
    result = run_tick(repo, LATE, stopping(stop))
    assert [run.run_id for run in result.cut] == [WEEKLY]
    assert {run.run_id for run in result.not_started} == EXPECTED_RUNS - {WEEKLY}
    assert result.records == []
    release.set()  # the run ends after the tick gave up on it: its record is dropped
    assert ended.wait(timeout=60)
    for thread in threading.enumerate():
        if thread.name.startswith("gitcron-tick-"):
            thread.join(timeout=60)
    assert history(repo) == []
    monkeypatch.setattr(steps, "run_one", original)
    assert_the_next_tick_finishes(repo)


def test_a_catchup_none_fire_a_stopped_tick_did_not_run_still_runs(repo: Path) -> None:
    weekly = repo / "schedules/customer-001/weekly-products.yaml"
    weekly.write_text(weekly.read_text() + "catchup: none\n")
    run_tick(repo, FIRST, TickOptions(env={}))
    stop = Stop()
    stop.request(signal.SIGTERM)
    run_tick(repo, LATE, stopping(stop))
    # had the stopped tick been stamped, 14:00 would look like a fire a tick passed over
    assert_the_next_tick_finishes(repo)


def test_an_error_in_one_schedule_is_raised_after_the_others_ran(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    original = steps.run_one

    def broken(run: PlannedRun, *args: Any, **kwargs: Any) -> Record:
        if run.schedule == "customer-002/monthly-products":
            raise RuntimeError("a bug in a run")
        return original(run, *args, **kwargs)

    monkeypatch.setattr(steps, "run_one", broken)
    with pytest.raises(RuntimeError, match="a bug in a run"):
        run_tick(repo, LATE, TickOptions(env={}, jobs=2))
    succeeded = {run_id for run_id, status in history(repo) if status == "succeeded"}
    assert succeeded == EXPECTED_RUNS - {"customer-002/monthly-products@2026-12-07T10:00:00Z"}
