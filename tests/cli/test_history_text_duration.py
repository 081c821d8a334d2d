"""How `gitcron history` writes a measured run time."""

from __future__ import annotations

import pytest

from gitcron.cli.history_text import duration, stats_block
from gitcron.state.stats import ScheduleStats


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0.0s"),
        (49, "0.0s"),
        (50, "0.1s"),
        (150, "0.2s"),  # half up: a p95 bucket of 150 ms never reads below an average of 154 ms
        (154, "0.2s"),
        (5_349, "5.3s"),
        (59_949, "59.9s"),
        (59_950, "1m 00s"),
        (125_000, "2m 05s"),
        (3_720_000, "1h 02m"),
    ],
)
def test_a_run_time_reads_as_a_person_needs_it(ms: int, text: str) -> None:
    assert duration(ms) == text


def test_one_attempt_s_p95_is_that_attempt_not_its_rounded_bucket() -> None:
    one = ScheduleStats("acme/daily", runs=1, attempts=1, avg_duration_ms=145, p95_duration_ms=150)
    [took] = [line for line in stats_block(one, {}) if "duration" in line]
    assert took.split(None, 1)[1] == "avg 0.1s, p95 0.1s"
