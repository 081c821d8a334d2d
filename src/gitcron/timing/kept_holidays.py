"""Holiday calendars' answers kept between ticks, so that a tick need not import the package.

A tick that plans from the parse cache spent more on the holidays package (importing it, then
building a country's table) than on the rest of its planning, to ask about the few days its due
fires fall on. The parse cache (catalog/cache.py) keeps what each holiday calendar its schedules
use answers for the years around the day it was written, and `Holidays` answers those years from
that: the same words, without the package. Any other year is asked of the package, as before.

What is kept names the version of the package that gave it: kept by another version (an upgrade
may move or rename a holiday), it is never used.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitcron.timing.calendars import Holidays
    from gitcron.timing.spec import ClosedDays

_PACKAGE = "holidays"


@dataclass(frozen=True, slots=True)
class KeptHolidays:
    """What one holiday calendar answered for each day of the years `first` to `last`."""

    country: str
    subdivision: str | None  # as the package spells it
    first: int
    last: int
    reasons: dict[date, str]  # the days that are holidays, with `Holidays.reason`'s words
    version: str  # of the holidays package that answered


_KEPT: dict[tuple[str, str | None], KeptHolidays] = {}


def kept_for(country: str, subdivision: str | None) -> KeptHolidays | None:
    """The kept answers of a calendar (its subdivision in any case), or None."""
    return _KEPT.get((country, subdivision.upper() if subdivision else None))


def keep(kept: Iterable[KeptHolidays], year: int) -> bool:
    """Answer from `kept` (and no other) in this process from now on, but for what another
    version of the package gave; whether every one was taken and covers the years either side
    of `year` (False: worth keeping anew)."""
    _KEPT.clear()
    fresh = True
    for one in kept:
        if one.version != package_version():
            fresh = False
            continue
        _KEPT[(one.country, one.subdivision.upper() if one.subdivision else None)] = one
        fresh = fresh and one.first < year < one.last
    return fresh


def kept_from_package(closed: Iterable[ClosedDays | None], year: int) -> list[KeptHolidays]:
    """The answers to keep of each holiday calendar in `closed`, for the years around `year`;
    none when the package's version cannot be told."""
    from gitcron.timing.calendars import AnyClosed, Holidays

    version = package_version()
    if not version:
        return []
    found: set[Holidays] = set()
    for calendar in closed:
        parts = calendar.parts if isinstance(calendar, AnyClosed) else (calendar,)
        found.update(part for part in parts if isinstance(part, Holidays))
    ordered = sorted(found, key=lambda h: (h.country, h.subdivision or ""))
    return [_from_package(holidays, year - 1, year + 1, version) for holidays in ordered]


def _from_package(calendar: Holidays, first: int, last: int, version: str) -> KeptHolidays:
    reasons: dict[date, str] = {}
    day, end = date(first, 1, 1), date(last, 12, 31)
    while day <= end:
        reason = calendar.package_reason(day)
        if reason is not None:
            reasons[day] = reason
        day += timedelta(days=1)
    return KeptHolidays(calendar.country, calendar.subdivision, first, last, reasons, version)


@functools.cache
def package_version() -> str:
    """The installed holidays package's version, from its distribution's folder name beside it
    (without importing it, which is what keeping spares); "" when that cannot be told."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        return ""
    folder = os.path.dirname(os.path.dirname(spec.origin))
    try:
        names = os.listdir(folder)
    except OSError:
        return ""
    found = [
        name.removeprefix(f"{_PACKAGE}-").removesuffix(".dist-info")
        for name in names
        if name.startswith(f"{_PACKAGE}-") and name.endswith(".dist-info")
    ]
    return found[0] if len(found) == 1 else ""
