"""History statistics: runs counted by their last attempt, nearest-rank p95, latest instants."""

from __future__ import annotations

import random

import pytest

from gitcron.state.stats import ScheduleStats, Tally, p95, stats_by_schedule
from support import record, utc


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([], None, id="empty"),
        pytest.param([700], 700, id="one value"),
        pytest.param([300, 100, 200], 300, id="three: rank ceil(2.85) = 3"),
        pytest.param(list(range(1, 11)), 10, id="ten: rank ceil(9.5) = 10"),
        pytest.param(list(range(20, 0, -1)), 19, id="twenty unsorted: rank 19"),
        pytest.param(list(range(1, 101)), 95, id="hundred: rank 95"),
    ],
)
def test_p95_is_nearest_rank(values: list[int], expected: int | None) -> None:
    assert p95(values) == expected


# run 1: failed, then succeeded on retry; run 2: partial; run 3: succeeded; run 4: failed twice;
# one fire skipped, one missed.
WEEK = [
    record("2026-11-02T15:00", "2026-11-02T15:00:05", "failed", duration_ms=1000, error="timeout"),
    record("2026-11-02T15:00", "2026-11-02T16:00:05", "succeeded", 2, duration_ms=3000, rows=10),
    record("2026-11-09T15:00", "2026-11-09T15:00:04", "partial", duration_ms=2000, rows=5),
    record("2026-11-16T15:00", "2026-11-16T15:00:03", "succeeded", duration_ms=4000, rows=7),
    record("2026-11-23T15:00", "2026-11-23T15:00:02", "failed", duration_ms=6000),
    record("2026-11-23T15:00", "2026-11-23T16:00:02", "failed", 2, duration_ms=9000),
    record("2026-11-30T15:00", "2026-11-30T15:00:00", "skipped", error="holiday"),
    record("2026-12-07T15:00", "2026-12-07T18:00:00", "missed"),
]

EXPECTED = ScheduleStats(
    schedule="acme/weekly",
    runs=4,
    attempts=6,
    succeeded=2,
    partial=1,
    failed=1,
    skipped=1,
    missed=1,
    records=8,
    rows=22,  # 10 (run 1's retry) + 5 + 7 + 0; the first attempt's rows are not counted again
    success_rate=0.5,
    avg_duration_ms=25000 / 6,
    p95_duration_ms=9000,  # 6 values: rank ceil(5.7) = 6, the largest
    last_success=utc("2026-11-16T15:00:03"),
    last_failure=utc("2026-11-23T16:00:02"),
)


def test_a_month_of_one_schedule() -> None:
    assert stats_by_schedule(WEEK) == {"acme/weekly": EXPECTED}


def test_order_does_not_matter() -> None:
    """Union merges can interleave lines: the last attempt is the highest, not the last read."""
    shuffled = WEEK[:]
    random.Random(7).shuffle(shuffled)
    assert stats_by_schedule(reversed(WEEK)) == {"acme/weekly": EXPECTED}
    assert stats_by_schedule(shuffled) == {"acme/weekly": EXPECTED}


def test_a_partial_attempt_is_the_last_failure() -> None:
    tally = Tally("acme/weekly")
    tally.add(record("2026-11-02T15:00", "2026-11-02T15:00:05", "failed"))
    tally.add(record("2026-11-09T15:00", "2026-11-09T15:00:04", "partial"))
    tally.add(record("2026-11-16T15:00", "2026-11-16T15:00:03", "succeeded"))
    result = tally.result()
    assert (result.last_failure, result.last_success) == (
        utc("2026-11-09T15:00:04"),
        utc("2026-11-16T15:00:03"),
    )
    assert result.success_rate == pytest.approx(1 / 3)


def test_only_skipped_and_missed_fires_are_not_runs() -> None:
    result = stats_by_schedule(WEEK[6:])["acme/weekly"]
    assert result == ScheduleStats("acme/weekly", skipped=1, missed=1, records=2)
    assert (result.success_rate, result.avg_duration_ms, result.p95_duration_ms) == (None,) * 3


def test_schedules_are_kept_apart_and_sorted() -> None:
    records = [
        record("2026-11-02T15:00", "2026-11-02T15:00:05", schedule="zeta/daily", duration_ms=10),
        record("2026-11-02T15:00", "2026-11-02T15:00:06", "failed", schedule="acme/daily"),
    ]
    found = stats_by_schedule(records)
    assert list(found) == ["acme/daily", "zeta/daily"]
    assert (found["acme/daily"].failed, found["acme/daily"].success_rate) == (1, 0.0)
    assert (found["zeta/daily"].succeeded, found["zeta/daily"].p95_duration_ms) == (1, 10)
