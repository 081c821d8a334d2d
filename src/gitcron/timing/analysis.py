"""Static questions the validator asks about a timing: how often at most, and does it ever fire.

The tick runs every 15 minutes, so a schedule whose fires can come closer together than that
is rejected; a schedule that never fires is almost certainly a mistake.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from gitcron.timing.cronexpr import CronExpr, parse_cron
from gitcron.timing.fires import horizon_after, iter_fires
from gitcron.timing.localize import first_instant
from gitcron.timing.named import iter_named
from gitcron.timing.spec import (
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

_DAY_MINUTES = 24 * 60
_WEEK_MINUTES = 7 * _DAY_MINUTES
_DEFAULT_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)
# 2000-2032 holds every weekday/leap-year layout of the calendar (the 28-year cycle, and 2000
# is a leap century), so gaps between matching days seen there are the gaps of any year.
_SAMPLE_START = datetime(2000, 1, 1)
_SAMPLE_YEARS = 33


def min_gap(form: Form) -> timedelta | None:
    """Smallest wall-clock gap between two consecutive fires, ignoring DST; None for once."""
    if isinstance(form, Once):
        return None
    if isinstance(form, Interval):
        return form.every
    if isinstance(form, Daily):
        return _cyclic_gap([_minutes(t) for t in form.times], _DAY_MINUTES)
    if isinstance(form, Weekly):
        marks = [day * _DAY_MINUTES + _minutes(t) for day in form.days for t in form.times]
        return _cyclic_gap(marks, _WEEK_MINUTES)
    if isinstance(form, Cron):
        return _cron_gap(parse_cron(form.expr))
    return _sampled_gap(form)


def _minutes(moment: time) -> float:
    """Minutes since midnight, with seconds as a fraction."""
    return moment.hour * 60 + moment.minute + moment.second / 60


def _cyclic_gap(marks: list[float], period: int) -> timedelta | None:
    """Smallest distance between consecutive marks of a pattern that repeats every `period`."""
    ordered = sorted(set(marks))
    if not ordered:
        return None
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    gaps.append(period - ordered[-1] + ordered[0])
    return timedelta(minutes=min(gaps))


@lru_cache(maxsize=256)
def _sampled_gap(form: MonthlyNth | MonthlyDay) -> timedelta | None:
    """Monthly forms: smallest gap between consecutive readings over the sample years."""
    end = _SAMPLE_START.replace(year=_SAMPLE_START.year + _SAMPLE_YEARS)
    best: timedelta | None = None
    previous: datetime | None = None
    for reading in iter_named(form, _SAMPLE_START):
        if reading >= end:
            break
        if previous is not None and (best is None or reading - previous < best):
            best = reading - previous
        previous = reading
    return best


@lru_cache(maxsize=256)
def _cron_gap(parsed: CronExpr) -> timedelta | None:
    """Cron: within a day from the sorted times, across days from the matching-day gaps."""
    times = parsed.times
    if not times:
        return None
    inside = [b - a for a, b in itertools.pairwise(times)]
    days = _matching_days(parsed)
    across = [(b - a).days for a, b in itertools.pairwise(days)]
    if across:
        inside.append(min(across) * _DAY_MINUTES - times[-1] + times[0])
    return timedelta(minutes=min(inside)) if inside else None


def _matching_days(parsed: CronExpr) -> list[date]:
    """The days a cron's day and month fields match over the sample years."""
    days: list[date] = []
    for year in range(_SAMPLE_START.year, _SAMPLE_START.year + _SAMPLE_YEARS):
        for month in sorted(parsed.months):
            days.extend(date(year, month, day) for day in parsed.days_in(year, month))
    return days


def never_fires(timing: Timing, after: datetime | None = None) -> bool:
    """True when no runnable fire happens within 50 years of `after`.

    `after` defaults to the timing's start, else to just before a once's own time or an
    interval's anchor, else to 2000-01-01 UTC (the check never reads the clock).
    """
    reference = after or _default_reference(timing)
    horizon = horizon_after(reference)
    while reference < horizon:
        fire = next(iter_fires(timing, reference), None)
        if fire is None or fire.at >= horizon:
            return True
        if fire.closed is None:
            return False
        # Every fire of a closed day is skipped: jump to the end of that local day.
        day = fire.at.astimezone(timing.zone).date() + timedelta(days=1)
        reference = first_instant(datetime.combine(day, time()), timing.zone) - timedelta(
            microseconds=1
        )
    return True


def _default_reference(timing: Timing) -> datetime:
    """A clock-free starting point for `never_fires`."""
    if timing.start is not None:
        return timing.start - timedelta(microseconds=1)
    form = timing.form
    if isinstance(form, Once):
        return first_instant(form.at, timing.zone) - timedelta(days=1)
    if isinstance(form, Interval):
        return form.anchor - form.every
    return _DEFAULT_REFERENCE
