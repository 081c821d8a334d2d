"""How `gitcron history` writes a measured run time."""

from __future__ import annotations

import pytest

from gitcron.cli.history_text import duration


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
