"""From a validated schedule file to the plain `Timing` the timing engine works on.

Wall-clock readings of the file (the active window's edges, an interval's default anchor)
become instants by the timing engine's own gap/overlap rule (`first_instant`), as runs do.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from gitcron.catalog.anchor import interval_anchor
from gitcron.config.fields import zone
from gitcron.config.settings import Settings
from gitcron.timing import AnyClosed, ClosedDates, Holidays, Weekends
from gitcron.timing.localize import first_instant
from gitcron.timing.spec import (
    ClosedDays,
    Cron,
    Daily,
    Form,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekly,
)

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule


def zone_name(schedule: Schedule, settings: Settings) -> str:
    return schedule.timezone or settings.defaults.timezone


def form_of(schedule: Schedule, anchor: datetime) -> Form:
    """The timing form of `schedule:`; `anchor` is where an `every:` interval counts from."""
    when = schedule.schedule
    if when.daily:
        return Daily(when.daily.at)
    if when.weekly:
        return Weekly(when.weekly.on, when.weekly.at)
    if when.monthly:
        day, weekday = when.monthly.on
        if weekday is None:
            return MonthlyDay(day, when.monthly.at)
        return MonthlyNth(day, weekday, when.monthly.at)
    if when.cron:
        return Cron(when.cron)
    if when.once:
        return Once(when.once)
    assert when.every is not None
    return Interval(when.every, anchor)


def closed_days(schedule: Schedule, settings: Settings) -> ClosedDays | None:
    return closed_days_of(tuple(schedule.skip), settings)


def closed_days_of(skip: tuple[tuple[str, str], ...], settings: Settings) -> ClosedDays | None:
    """The calendar of a `skip:` list (a tuple, so callers can share one per distinct list)."""
    parts: list[ClosedDays] = []
    for kind, value in skip:
        if kind == "weekends":
            parts.append(Weekends())
        elif kind == "holidays":
            parts.append(_holidays(value))
        elif value in settings.calendars:
            calendar = settings.calendars[value]
            parts.append(ClosedDates(value, frozenset(calendar.dates)))
            if calendar.weekends:
                parts.append(Weekends())
            if calendar.holidays:
                parts.append(_holidays(calendar.holidays))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AnyClosed(tuple(parts))


def _holidays(code: str) -> ClosedDays:
    country, _, subdivision = code.partition("-")
    return Holidays(country.upper(), subdivision.upper() or None)


def local_instant(naive: datetime, zone_key: str) -> datetime:
    """A wall-clock reading in the named zone as an aware UTC instant, by the runs' rule.

    A reading in a spring-forward gap is the first instant after the gap (02:30 on 2026-03-08
    in New York is 03:00 EDT), not the reading with the old offset (03:30 EDT); one that
    happens twice is the first time.
    """
    return first_instant(naive, zone(zone_key))


def timing_for(
    schedule: Schedule, settings: Settings, first_seen: datetime, calendars: bool = True
) -> Timing:
    """`first_seen`: when a tick first saw the schedule, or will (`catalog.anchor.FirstSeen`)."""
    name = zone_name(schedule, settings)
    active = schedule.active
    start = local_instant(active.start, name) if active and active.start else None
    until = local_instant(active.until, name) if active and active.until else None
    # only an `every:` counts from an anchor: the other forms never read it
    every = schedule.schedule.every is not None
    anchor = interval_anchor(name, start, first_seen) if every else first_seen
    return Timing(
        form=form_of(schedule, anchor),
        zone=zone(name),
        closed=closed_days(schedule, settings) if calendars else None,
        on_closed=schedule.on_closed,
        start=start,
        until=until,
    )
