"""The timing contract: what a schedule's `schedule:` section means, free of YAML and pydantic.

The config models turn a validated schedule file into a `Timing`; everything under `timing/`
works from these plain values, so the rules of when things fire live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

# Python's weekday numbering (Monday is 0), used by every named form.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LAST = -1  # `nth` of MonthlyNth meaning "the last one in the month"
LAST_DAY = -1  # `day` of MonthlyDay: the last calendar day of the month
LAST_WEEKDAY = -2  # `day` of MonthlyDay: the last Monday-to-Friday day of the month


@dataclass(frozen=True, slots=True)
class Daily:
    times: tuple[time, ...]  # sorted, distinct, wall-clock in the schedule's zone


@dataclass(frozen=True, slots=True)
class Weekly:
    days: frozenset[int]  # Python weekdays, Monday = 0
    times: tuple[time, ...]


@dataclass(frozen=True, slots=True)
class MonthlyNth:
    nth: int  # 1..4, or LAST
    weekday: int  # Python weekday, Monday = 0
    times: tuple[time, ...]


@dataclass(frozen=True, slots=True)
class MonthlyDay:
    day: int  # 1..31 (months without that day are skipped), LAST_DAY or LAST_WEEKDAY
    times: tuple[time, ...]


@dataclass(frozen=True, slots=True)
class Cron:
    expr: str  # five fields, already checked by the validator


@dataclass(frozen=True, slots=True)
class Once:
    at: datetime  # naive wall-clock datetime in the schedule's zone


@dataclass(frozen=True, slots=True)
class Interval:
    every: timedelta  # elapsed time between fires (not wall-clock)
    anchor: datetime  # aware instant of one fire; the others are anchor + k * every


Form = Daily | Weekly | MonthlyNth | MonthlyDay | Cron | Once | Interval


class ClosedDays(Protocol):
    """A calendar of days on which a schedule does not run."""

    def reason(self, day: date) -> str | None:
        """Why `day` is closed ("weekend", "holiday: Christmas Day (US)"), or None if open."""
        ...


@dataclass(frozen=True, slots=True)
class Timing:
    form: Form
    zone: ZoneInfo
    closed: ClosedDays | None = None
    on_closed: Literal["skip", "next-open-day"] = "skip"
    start: datetime | None = None  # aware; no fire before it (active.from)
    until: datetime | None = None  # aware; no fire at or after it (active.until)


@dataclass(frozen=True, slots=True)
class Fire:
    at: datetime  # aware UTC instant at which the run is due
    nominal: datetime  # aware UTC instant before any calendar move (== at unless moved)
    closed: str | None = None  # set when the day is closed and on_closed is "skip": not run


MAX_CALENDAR_MOVE = timedelta(days=31)  # next-open-day looks this far ahead at most
