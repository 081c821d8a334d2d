"""Wall-clock readings of the named forms (daily, weekly, monthly, once), by date arithmetic.

Plain arithmetic instead of rrule or cron strings: a "next fire" of a named form is computed
for every schedule on every tick, so it must cost microseconds.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from gitcron.timing.spec import (
    LAST,
    LAST_DAY,
    LAST_WEEKDAY,
    Daily,
    MonthlyDay,
    MonthlyNth,
    Once,
    Weekly,
)

LAST_YEAR = 9998  # enumeration stops here rather than overflow `datetime`
_ONE_DAY = timedelta(days=1)

NamedForm = Daily | Weekly | MonthlyNth | MonthlyDay | Once


def iter_named(form: NamedForm, start: datetime) -> Iterator[datetime]:
    """Naive wall-clock readings of `form` at or after the naive `start`, increasing."""
    if isinstance(form, Once):
        if form.at.replace(fold=0) >= start:
            yield form.at.replace(fold=0)
        return
    if not form.times:
        return
    if isinstance(form, Daily):
        yield from _iter_days(range(7), form.times, start)
    elif isinstance(form, Weekly):
        yield from _iter_days(form.days, form.times, start)
    else:
        yield from _iter_months(form, start)


def _on_day(day: date, times: tuple[time, ...], start: datetime) -> Iterator[datetime]:
    """The readings of `times` on `day` that are not before `start`."""
    first = bisect_left(times, start.time()) if day == start.date() else 0
    for moment in times[first:]:
        yield datetime.combine(day, moment)


def _iter_days(
    weekdays: range | frozenset[int], times: tuple[time, ...], start: datetime
) -> Iterator[datetime]:
    """Every reading of `times` on days whose weekday is in `weekdays`."""
    if not weekdays:
        return
    day = start.date()
    while day.year <= LAST_YEAR:
        if day.weekday() in weekdays:
            yield from _on_day(day, times, start)
        day += _ONE_DAY


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    """The `nth` (1..5 or LAST) `weekday` of a month, None when the month has no such day."""
    first_weekday, length = calendar.monthrange(year, month)
    if nth == LAST:
        last_weekday = (first_weekday + length - 1) % 7
        return date(year, month, length - (last_weekday - weekday) % 7)
    day = 1 + (weekday - first_weekday) % 7 + 7 * (nth - 1)
    return date(year, month, day) if day <= length else None


def month_day(year: int, month: int, day: int) -> date | None:
    """Day `day` (1..31, LAST_DAY or LAST_WEEKDAY) of a month, None if the month is too short."""
    first_weekday, length = calendar.monthrange(year, month)
    if day == LAST_DAY:
        return date(year, month, length)
    if day == LAST_WEEKDAY:
        last_weekday = (first_weekday + length - 1) % 7
        return date(year, month, length - max(0, last_weekday - 4))
    return date(year, month, day) if day <= length else None


def _iter_months(form: MonthlyNth | MonthlyDay, start: datetime) -> Iterator[datetime]:
    """One day per month (the nth weekday or the given day), each with every time."""
    year, month = start.year, start.month
    while year <= LAST_YEAR:
        if isinstance(form, MonthlyNth):
            day = nth_weekday(year, month, form.nth, form.weekday)
        else:
            day = month_day(year, month, form.day)
        if day is not None and day >= start.date():
            yield from _on_day(day, form.times, start)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
