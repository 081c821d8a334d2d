"""The StateStore facade: loads, minimal saves, and the exact list of files a commit must stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gitcron.state import ScheduleState, StateError, StateStore
from gitcron.state.records import Record, make_run_id
from support import utc


def state(runs: int = 0) -> ScheduleState:
    return ScheduleState(
        fingerprint="3f2a9c0d1e4b5a67",
        first_seen=utc("2026-11-01T09:15:00"),
        last_fire=utc("2026-11-16T15:00:00"),
        next_fire=utc("2026-11-23T15:00:00"),
        runs=runs,
        succeeded=runs,
    )


def record(started: str) -> Record:
    fire = utc("2026-11-22T15:00:00")
    return Record(
        run_id=make_run_id("acme-corp/weekly", fire),
        schedule="acme-corp/weekly",
        fire=fire,
        trigger="scheduled",
        status="succeeded",
        attempt=1,
        started=utc(started),
    )


def test_fresh_repo_has_no_state(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.load_tick() is None
    assert store.load_customer("acme-corp") == {}
    assert store.customers() == []
    assert store.changed_files() == []


def test_tick_round_trip_and_bytes(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.save_tick(utc("2026-11-22T14:00:07")) is True
    assert (tmp_path / "state" / "tick.json").read_bytes() == (
        b'{\n  "format": 1,\n  "last_tick": "2026-11-22T14:00:07Z"\n}\n'
    )
    assert StateStore(tmp_path).load_tick() == utc("2026-11-22T14:00:07")
    assert store.changed_files() == ["state/tick.json"]


def test_only_changed_customers_are_written_and_listed(tmp_path: Path) -> None:
    first = StateStore(tmp_path)
    first.save_customer("acme-corp", {"weekly": state(3)})
    first.save_customer("globex", {"daily": state(7)})
    assert first.changed_files() == [
        "state/schedules/acme-corp.json",
        "state/schedules/globex.json",
    ]
    globex = tmp_path / "state" / "schedules" / "globex.json"
    mtime = globex.stat().st_mtime_ns

    tick = StateStore(tmp_path)
    loaded = tick.load_customer("globex")
    assert loaded == {"daily": state(7)}
    assert tick.save_customer("globex", loaded) is False
    assert tick.save_customer("acme-corp", {"weekly": state(4)}) is True
    assert tick.changed_files() == ["state/schedules/acme-corp.json"]
    assert globex.stat().st_mtime_ns == mtime
    assert tick.customers() == ["acme-corp", "globex"]


def test_no_schedules_left_removes_the_customer_file(tmp_path: Path) -> None:
    StateStore(tmp_path).save_customer("acme-corp", {"weekly": state()})
    store = StateStore(tmp_path)
    assert store.save_customer("acme-corp", {}) is True
    assert not (tmp_path / "state" / "schedules" / "acme-corp.json").exists()
    assert store.changed_files() == ["state/schedules/acme-corp.json"]
    assert store.save_customer("acme-corp", {}) is False


HAND_EDITED = """\
{
  "format": 1,
  "schedules": {
    "weekly": {
      "completed_reason": null,
    }
  }
}
"""


def test_corrupt_customer_file_is_reported_not_reset(tmp_path: Path) -> None:
    path = tmp_path / "state" / "schedules" / "acme-corp.json"
    path.parent.mkdir(parents=True)
    path.write_text(HAND_EDITED)
    with pytest.raises(StateError) as caught:
        StateStore(tmp_path).load_customer("acme-corp")
    assert caught.value.message.startswith("state/schedules/acme-corp.json:5:31: ")
    assert "trailing comma" in caught.value.message
    assert path.read_text() == HAND_EDITED


def test_newer_tick_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state" / "tick.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 9, "last_tick": "2026-11-22T14:00:00Z"}')
    with pytest.raises(StateError, match=r"state/tick.json: written by a newer gitcron"):
        StateStore(tmp_path).load_tick()


def test_history_appends_and_prunes_are_listed(tmp_path: Path) -> None:
    old = tmp_path / "state" / "history" / "2025-01-01.jsonl"
    old.parent.mkdir(parents=True)
    old.write_text("")
    store = StateStore(tmp_path)
    records = [record("2026-11-22T15:01:00"), record("2026-11-23T00:05:00")]
    assert store.append_history(records) == 2
    assert store.append_history(records) == 0
    assert store.prune_history(date(2026, 11, 23), keep_months=13) == [
        "state/history/2025-01-01.jsonl"
    ]
    assert store.changed_files() == [
        "state/history/2025-01-01.jsonl",
        "state/history/2026-11-22.jsonl",
        "state/history/2026-11-23.jsonl",
    ]


@pytest.mark.parametrize(
    "customer",
    [
        pytest.param("", id="empty"),
        pytest.param("..", id="parent"),
        pytest.param("acme/sub", id="slash"),
    ],
)
def test_customer_must_be_one_folder_name(tmp_path: Path, customer: str) -> None:
    with pytest.raises(ValueError, match="not a customer folder name"):
        StateStore(tmp_path).load_customer(customer)
