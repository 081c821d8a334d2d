"""Daylight-saving changes a schedule will meet in the coming year, said before they happen.

A reviewer approving "daily at 02:30, America/New_York" should learn that 02:30 does not exist
on 2027-03-14 (it runs at 03:00) and happens twice on 2026-11-01 (it runs once, at the first).
The rules themselves live in `timing.localize`; this only finds where they apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from gitcron.timing import iter_fires
from gitcron.timing.cronexpr import parse_cron
from gitcron.timing.localize import first_instant
from gitcron.timing.spec import Cron, Interval, Once, Timing

HORIZON_DAYS = 366
_ONE_DAY = timedelta(days=1)
_SHOWN_TIMES = 4  # a `*` cron names this many of its missing or doubled times, then "..."


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of a zone's offset: wall-clock [start, end) is missing (gap) or doubled."""

    instant: datetime  # UTC, the first instant with the new offset
    gap: bool  # clocks go forward (a gap) or back (an overlap)
    start: datetime  # naive wall clock
    end: datetime  # naive wall clock


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _bisect(low: datetime, high: datetime, zone: ZoneInfo) -> datetime:
    """The first second in (low, high] whose offset differs from low's."""
    before = _offset(low, zone)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _offset(middle, zone) == before:
            low = middle
        else:
            high = middle
    return high


@lru_cache(maxsize=256)
def transitions(zone: ZoneInfo, first_day: date) -> tuple[Transition, ...]:
    """The zone's transitions within HORIZON_DAYS of `first_day` (shared by every schedule)."""
    found: list[Transition] = []
    low = datetime.combine(first_day, time(), UTC) - _ONE_DAY
    for _ in range(HORIZON_DAYS + 1):
        high = low + _ONE_DAY
        if _offset(low, zone) != _offset(high, zone):
            instant = _bisect(low, high, zone)
            before, after = _offset(instant - timedelta(seconds=1), zone), _offset(instant, zone)
            naive = instant.replace(tzinfo=None)
            found.append(
                Transition(
                    instant, after > before, naive + min(before, after), naive + max(before, after)
                )
            )
        low = high
    return tuple(found)


def _times(timing: Timing, day: date) -> tuple[list[time], bool]:
    """The wall-clock times the schedule reads on `day`, and whether they are fixed-time."""
    form = timing.form
    if isinstance(form, Interval):
        return [], False  # runs on elapsed time: a clock change moves nothing
    if isinstance(form, Once):
        return ([form.at.time()] if form.at.date() == day else []), True
    if isinstance(form, Cron):
        parsed = parse_cron(form.expr)
        return [time(m // 60, m % 60) for m in parsed.times], parsed.fixed
    return list(form.times), True


def _fires_on(timing: Timing, day: date) -> bool:
    """Whether the schedule has a run (not a skipped fire) on that local day."""
    start = first_instant(datetime.combine(day, time()), timing.zone) - timedelta(microseconds=1)
    for fire in iter_fires(timing, start):
        if fire.at.astimezone(timing.zone).date() != day:
            return False
        if fire.closed is None:
            return True
    return False


def dst_notes(timing: Timing, now: datetime) -> list[str]:
    """One sentence per clock change in the coming year that touches one of the schedule's times."""
    notes: list[str] = []
    for change in transitions(timing.zone, now.astimezone(timing.zone).date()):
        if change.instant <= now:
            continue
        for day in sorted({change.start.date(), change.end.date()}):
            times, fixed = _times(timing, day)
            hit = [t for t in times if change.start <= datetime.combine(day, t) < change.end]
            if hit and _fires_on(timing, day):
                notes.append(_sentence(timing, change, day, hit, fixed))
    return notes


def _sentence(timing: Timing, change: Transition, day: date, hit: list[time], fixed: bool) -> str:
    where = _clock_move(timing, change, day)
    shown = [f"{t:%H:%M}" for t in hit[:_SHOWN_TIMES]]
    shown += ["..."] if len(hit) > _SHOWN_TIMES else []
    names = ", ".join(shown)
    verb = "does" if len(hit) == 1 else "do"
    happens = "happens" if len(hit) == 1 else "happen"
    if change.gap and fixed:
        runs = first_instant(datetime.combine(day, hit[0]), timing.zone)
        return (
            f"{where}: {names} {verb} not exist that day, so it runs once at "
            f"{runs.astimezone(timing.zone):%H:%M %Z} ({runs:%H:%M} UTC)"
        )
    if change.gap:
        return f"{where}: the runs at {names} do not happen that day"
    if fixed:
        runs = first_instant(datetime.combine(day, hit[0]), timing.zone)
        return (
            f"{where}: {names} {happens} twice that day, and it runs once, at the first "
            f"({runs.astimezone(timing.zone):%H:%M %Z}, {runs:%H:%M} UTC)"
        )
    return f"{where}: {names} {happens} twice that day, and it runs at both"


def _clock_move(timing: Timing, change: Transition, day: date) -> str:
    """'on Sun 2027-03-14 clocks in America/New_York go forward from 02:00 to 03:00'."""
    if change.gap:
        return (
            f"on {day:%a %Y-%m-%d} clocks in {timing.zone.key} go forward "
            f"from {change.start:%H:%M} to {change.end:%H:%M}"
        )
    return (
        f"on {day:%a %Y-%m-%d} clocks in {timing.zone.key} go back "
        f"from {change.end:%H:%M} to {change.start:%H:%M}"
    )
