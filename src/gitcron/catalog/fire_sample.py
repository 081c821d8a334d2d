"""The runs validate rehearses a schedule's templates for: its next ones, a year's variety, and
the row counts a template may branch on.

The tick gives each run a data interval from the fire before it (`timing.fires.previous_fire`),
so the rehearsal does too. A template of `{{ a.b }}` only renders alike for every run; a template
with branches may take another one on the 1st of the month, in December, on a Monday, after a
daylight-saving change or at another hour, so it is rendered for one fire of each such kind over
the next year as well. Both are worked out once per distinct timing: schedules share forms, zones
and calendars, and validate asks at one instant.

A template may branch on the row count too (`{% if rows > 100 %}`), and the sample's count and no
rows are only two of them: one row, and each side of the send conditions' thresholds, are the
counts where such a branch turns (`row_counts`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from gitcron.timing import Timing, iter_fires, next_fires
from gitcron.timing.fires import previous_fire

if TYPE_CHECKING:
    from gitcron.config.job import Report

YEAR = timedelta(days=370)
MAX_SCANNED = 5_000  # fires looked at for the year's variety (a 15-minute cron: about 52 days)


@dataclass(frozen=True, slots=True)
class Sampled:
    fire: datetime  # aware UTC
    start: datetime | None  # the run's data interval starts here (the fire before it)


@functools.lru_cache(maxsize=4096)
def next_runs(timing: Timing, now: datetime) -> tuple[Sampled, Sampled]:
    """The next run, and the one after it (the same run when there is no other)."""
    fires = [fire.at for fire in next_fires(timing, now, 2)] or [now]
    first = Sampled(fires[0], previous_fire(timing, fires[0]))
    if len(fires) == 1:
        return first, first
    return first, Sampled(fires[1], fires[0])


@functools.lru_cache(maxsize=1024)
def year_of_runs(timing: Timing, now: datetime) -> tuple[Sampled, ...]:
    """One run for each weekday, day of the month, month, hour, minute and UTC offset met over
    the next year (or the first `MAX_SCANNED` fires), in order."""
    found: list[Sampled] = []
    seen: set[tuple[str, object]] = set()
    before = previous_fire(timing, now)
    horizon = now + YEAR
    for count, fire in enumerate(iter_fires(timing, now)):
        if fire.at > horizon or count >= MAX_SCANNED:
            break
        if fire.closed is not None:
            continue
        local = fire.at.astimezone(timing.zone)
        kinds = {
            ("weekday", local.weekday()),
            ("day", local.day),
            ("last day", (local + timedelta(days=1)).month != local.month),
            ("month", local.month),
            ("hour", local.hour),
            ("minute", local.minute),
            ("offset", local.utcoffset()),
        }
        if not kinds <= seen:
            seen |= kinds
            found.append(Sampled(fire.at, before))
        before = fire.at
    return tuple(found)


def row_counts(report: Report | None, rehearsed: tuple[int, ...]) -> tuple[int, ...]:
    """The counts a template reading `rows` is also rendered with: one row, and below, at and
    above `min_rows` and `max_rows`, less those already `rehearsed` (the sample's, none) and
    those no template sees (with `outside_rows: fail` such a run fails before its file is named).
    """
    if report is None:
        return ()
    low, high = report.min_rows, report.max_rows
    wanted = {1}
    for threshold in (low, high):
        if threshold is not None:
            wanted |= {threshold - 1, threshold, threshold + 1}
    if report.outside_rows == "fail":
        wanted = {n for n in wanted if (low is None or n >= low) and (high is None or n <= high)}
    return tuple(sorted(n for n in wanted if n >= 0 and n not in rehearsed))
