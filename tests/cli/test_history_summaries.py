"""`gitcron history` from the tick's summaries: the same answers, without reading old day files."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from gitcron.state import Record, ScheduleState, StateStore
from gitcron.state.summaries import Summary, folded
from support import Run, invoke, record, utc

SEEN = utc("2026-01-01T00:00")
FIRST = date(2026, 10, 1)
DAYS = 60


def history(root: Path, *args: str) -> Run:
    return invoke(["--repo", str(root), "history", *args])


def records() -> list[Record]:
    """60 days: acme/daily every day (every 7th fails, then succeeds on retry), acme/weekly on
    Mondays, beta/hourly three times a day (one missed fire a week)."""
    found = []
    for n in range(DAYS):
        day = (FIRST + timedelta(days=n)).isoformat()
        failing = n % 7 == 3
        found.append(
            record(
                f"{day}T06:00",
                f"{day}T06:00:03",
                "failed" if failing else "succeeded",
                schedule="acme/daily",
                duration_ms=1000 + 37 * n,
                rows=n,
            )
        )
        if failing:
            found.append(
                record(
                    f"{day}T06:00",
                    f"{day}T07:00:02",
                    "succeeded",
                    2,
                    schedule="acme/daily",
                    duration_ms=900,
                    rows=n,
                )
            )
        if (FIRST + timedelta(days=n)).weekday() == 0:
            found.append(record(f"{day}T09:00", f"{day}T09:00:01", schedule="acme/weekly"))
        for hour in ("08", "12", "16"):
            status = "missed" if (n % 7, hour) == (5, "12") else "succeeded"
            found.append(
                record(
                    f"{day}T{hour}:00",
                    f"{day}T{hour}:00:09",
                    status,
                    schedule="beta/hourly",
                    duration_ms=50 + n,
                )
            )
    return found


@pytest.fixture
def root(empty_repo: Path) -> Path:
    """History and the customer state files a tick would leave: summaries folded record by
    record, as engine/outcomes does."""
    store = StateStore(empty_repo)
    states: dict[str, ScheduleState] = {}
    for item in records():
        start = ScheduleState("f", SEEN, summary=Summary())
        states[item.schedule] = folded(states.get(item.schedule, start), item)
        store.append_history([item])
    for customer in ("acme", "beta"):
        mine = {k.split("/", 1)[1]: v for k, v in states.items() if k.startswith(customer + "/")}
        store.save_customer(customer, mine)
    return empty_repo


def without_p95(stats: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in s.items() if k != "p95_duration_ms"} for s in stats]


def garble(root: Path, day: date) -> None:
    (root / "state/history" / f"{day.isoformat()}.jsonl").write_text("not history\n")


def test_stats_from_summaries_equal_stats_from_day_files(root: Path) -> None:
    quick = history(root, "--stats", "--format", "json")
    counted = history(root, "--stats", "--since", "2000-01-01", "--format", "json")
    assert (quick.code, quick.err) == (0, "")
    assert without_p95(quick.json()) == without_p95(counted.json())
    assert [s["schedule"] for s in quick.json()] == ["acme/daily", "acme/weekly", "beta/hourly"]
    daily = quick.json()[0]
    assert (daily["runs"], daily["attempts"], daily["outcomes"]["succeeded"]) == (60, 69, 60)
    assert quick.json()[2]["missed"] == 8
    text = history(root, "acme", "--stats").out  # p95 rounds alike at the precision shown
    assert text == history(root, "acme", "--stats", "--since", "2000-01-01").out


def test_stats_read_no_day_file(root: Path) -> None:
    before = history(root, "--stats").out
    for n in range(DAYS):
        garble(root, FIRST + timedelta(days=n))
    after = history(root, "--stats")
    assert (after.code, after.err, after.out) == (0, "", before)


def test_a_schedules_newest_records_read_only_their_days(root: Path) -> None:
    listed = history(root, "acme/daily", "--limit", "5")
    counted = history(root, "acme/daily", "--limit", "5", "--since", "2000-01-01")
    lines = listed.out.splitlines()
    assert lines[:-1] == counted.out.splitlines()[:-1]
    assert counted.out.splitlines()[-1] == "(64 earlier records not shown; --limit 0 shows all)"
    assert lines[-2].startswith("2026-11-29 07:00:02  acme/daily")
    assert lines[-1] == "(earlier records not shown; --limit 0 shows all)"
    for n in range(DAYS - 55):  # days older than the newest 50 records of acme/daily
        garble(root, FIRST + timedelta(days=n))
    again = history(root, "acme/daily", "--limit", "5")
    assert (again.code, again.err, again.out) == (0, "", listed.out)
    garble(root, FIRST + timedelta(days=DAYS - 1))  # the newest day is read
    assert "skipped 1 unreadable history line" in history(root, "acme/daily").err


def test_a_state_from_before_summaries_is_answered_from_day_files(root: Path) -> None:
    store = StateStore(root)
    states = store.load_customer("beta")
    store.save_customer("beta", {"hourly": ScheduleState("f", SEEN, runs=5)})
    counted = history(root, "--stats", "--format", "json").json()
    assert counted[2]["runs"] == 172  # counted from the day files: no summary to answer
    store.save_customer("beta", states)


def test_a_summary_started_late_is_trusted_once_older_days_are_gone(root: Path) -> None:
    store = StateStore(root)
    since = utc("2026-11-15T00:00")
    late = ScheduleState(
        "f", SEEN, runs=1, summary=Summary(since=since, records=1, runs=1, attempts=1, succeeded=1)
    )
    store.save_customer("beta", {"hourly": late})
    assert history(root, "beta", "--stats", "--format", "json").json()[0]["runs"] == 172
    store.prune_history(date(2026, 11, 16), 0)  # retention removed every day before `since`
    assert history(root, "beta", "--stats", "--format", "json").json()[0]["runs"] == 1
