"""History summaries: folded record by record, they say what stats.py says from the day files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from functools import reduce

import pytest

from gitcron.state import ScheduleState, StateError
from gitcron.state.model import customer_from_json, customer_to_json
from gitcron.state.records import Record
from gitcron.state.stats import stats_by_schedule
from gitcron.state.summaries import (
    RECENT,
    Summary,
    add,
    bucket,
    folded,
    recent_days,
    summary_of,
    to_stats,
)
from support import record, utc

SID = "acme/weekly"
FAILED = record("2026-11-16T15:00", "2026-11-16T15:00:05", "failed", duration_ms=5300, rows=7)
RETRIED = record(
    "2026-11-16T15:00", "2026-11-16T16:00:07", "succeeded", 2, duration_ms=65_400, rows=1200
)
PARTIAL = record("2026-11-23T15:00", "2026-11-23T15:00:04", "partial", duration_ms=800, rows=3)
MISSED = record("2026-11-30T15:00", "2026-12-01T09:00:00", "missed")
SKIPPED = record("2026-12-07T15:00", "2026-12-07T15:00:00", "skipped")
MANUAL = record("2026-12-08T10:00", "2026-12-08T10:00:02", trigger="manual", duration_ms=40)


def fold(records: list[Record]) -> Summary:
    return reduce(add, records, Summary())


@pytest.mark.parametrize(
    "records",
    [
        pytest.param([FAILED, RETRIED, PARTIAL, MISSED, SKIPPED, MANUAL], id="mixed"),
        pytest.param([FAILED, PARTIAL, RETRIED], id="retry-after-a-newer-run"),
        pytest.param([RETRIED], id="retry-of-a-run-before-summaries"),
        pytest.param([MISSED, SKIPPED, MANUAL], id="not-run-and-manual"),
        pytest.param([], id="nothing"),
    ],
)
def test_a_summary_gives_the_statistics_of_its_records(records: list[Record]) -> None:
    exact = stats_by_schedule(records).get(SID)
    summed = to_stats(SID, fold(records))
    if exact is None:
        assert summed.records == 0
        return
    assert exact.p95_duration_ms is not None
    assert summed.p95_duration_ms is not None
    assert abs(summed.p95_duration_ms - exact.p95_duration_ms) <= 0.05 * exact.p95_duration_ms
    assert replace(summed, p95_duration_ms=None) == replace(exact, p95_duration_ms=None)


def test_a_retry_replaces_the_outcome_and_rows_of_its_run() -> None:
    summary = fold([FAILED, RETRIED])
    assert (summary.runs, summary.failed, summary.succeeded, summary.rows) == (1, 0, 1, 1200)
    assert summary.open == ()
    assert (summary.last_failure, summary.last_success) == (FAILED.started, RETRIED.started)


def test_durations_are_bucketed_to_two_digits() -> None:
    assert [bucket(ms) for ms in (0, 99, 100, 104, 105, 65_400, 65_500, 3_600_000)] == [
        0,
        99,
        100,
        100,
        110,
        65_000,
        66_000,
        3_600_000,
    ]
    durations = [record("2026-11-16T15:00", "2026-11-16T15:00:05", duration_ms=ms)
                 for ms in range(1000, 21_000, 1000)]  # fmt: skip
    assert to_stats(SID, fold(durations)).p95_duration_ms == 19_000


def test_days_keep_only_what_the_newest_records_need() -> None:
    start = date(2026, 1, 1)
    records = [
        record(f"{start + timedelta(days=n)}T15:00", f"{start + timedelta(days=n)}T15:00:05")
        for n in range(200)
        for _ in range(1)
    ]
    summary = fold(records)
    assert len(summary.days) == RECENT
    assert recent_days(summary)[0] == start + timedelta(days=150)
    assert summary.records == 200


def test_an_older_state_starts_its_summary_at_its_next_record() -> None:
    fresh = ScheduleState("f", utc("2026-01-01T00:00"))
    assert summary_of(fresh) == Summary()
    older = ScheduleState("f", utc("2026-01-01T00:00"), runs=4, last_fire=utc("2026-11-09T15:00"))
    assert summary_of(older) is None
    after = folded(older, FAILED)
    assert after.summary is not None
    assert (after.summary.since, after.summary.runs) == (FAILED.started, 1)


def test_summaries_round_trip_through_the_customer_file() -> None:
    state = folded(ScheduleState("f", utc("2026-01-01T00:00")), FAILED)
    data = customer_to_json({"weekly": state})
    assert customer_from_json(data, "state/schedules/acme.json") == {"weekly": state}
    assert (
        "summary"
        not in customer_to_json({"w": ScheduleState("f", utc("2026-01-01T00:00"))})["schedules"][
            "w"
        ]
    )


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        pytest.param({"days": {"yesterday": 1}}, "summary.days", id="day"),
        pytest.param({"durations": {"-3": 1}}, "summary.durations", id="bucket"),
        pytest.param({"runs": -1}, "summary.runs: expected a whole number >= 0", id="runs"),
        pytest.param({"surprise": 1}, 'unknown key "surprise"', id="unknown"),
    ],
)
def test_a_hand_edited_summary_is_damage(summary: dict[str, object], message: str) -> None:
    data = customer_to_json({"weekly": ScheduleState("f", utc("2026-01-01T00:00"))})
    data["schedules"]["weekly"]["summary"] = summary
    with pytest.raises(StateError, match=r"schedules\.weekly\.summary") as caught:
        customer_from_json(data, "state/schedules/acme.json")
    assert message in str(caught.value)
