"""Cron expressions as wall-clock readings: cronsim's Debian-compatible parsing, our iteration.

cronsim owns the field grammar and the day matching (OR/AND of the day fields, `L`, `#`,
`LW`); we only walk the matching wall-clock minutes, so the DST rules stay in `localize`.
Where cronsim 2.8 reads a field differently from Debian cron (a one-value range with a step,
`0-0/15`, which it reads as `0/15`), `debian_fields` rewrites the field first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Set
from datetime import date, datetime
from enum import IntEnum
from functools import lru_cache

from cronsim import CronSim, CronSimError

from gitcron.errors import TimingError
from gitcron.timing.named import LAST_YEAR

FIELD_COUNT = 5
HORIZON_YEARS = 50  # a cron with no fire within this many years is treated as never firing
_LAST_DOW = re.compile(r"^L([0-7])$")
_RANGE_STEP = re.compile(r"^([0-9]+|[A-Za-z]+)-([0-9]+|[A-Za-z]+)/([0-9]+)$")
_MONTH_CACHE_SIZE = 600
_PROBE_START = datetime(2000, 1, 1)

# One value a field matches, as cronsim reads it: a number, or (weekday, nth) / (weekday,
# CronSim.LAST) for `1#2` / `5L`; the day field's `L` and `LW` are CronSim.LAST / LAST_WEEKDAY.
FieldValue = int | tuple[int, int]


class CronField(IntEnum):
    """The five fields in order, read one at a time through cronsim's public `CronSim`."""

    MINUTE = 0
    HOUR = 1
    DAY = 2
    MONTH = 3
    DOW = 4

    def parse(self, value: str) -> set[FieldValue]:
        """The values this field matches; raises CronSimError when cronsim rejects it.

        The value is read inside an expression whose other fields are `*`, so it is the only
        field that can be at fault.
        """
        if len(value.split()) != 1:  # empty, or spaces that would shift the other fields
            raise CronSimError(f"Bad {self.name.lower()}")
        fields = ["*"] * FIELD_COUNT
        fields[self] = value
        probe = CronSim(" ".join(fields), _PROBE_START)
        readings: tuple[Set[FieldValue], ...] = (
            probe.minutes,
            probe.hours,
            probe.days,
            probe.months,
            probe.weekdays,
        )
        return set(readings[self])


def normalize(expr: str) -> list[str]:
    """The five fields as cronsim reads them: upper-case, `?` as `*`, `L5` as `5L`."""
    fields = expr.strip().upper().replace("?", "*").split()
    if len(fields) == FIELD_COUNT:
        fields[4] = ",".join(_LAST_DOW.sub(r"\1L", term) for term in fields[4].split(","))
    return fields


def debian_fields(fields: list[str]) -> list[str]:
    """Valid fields rewritten so cronsim reads them as Debian cron does: `0-0/15` becomes `0`.

    Debian reads `a-b/s` as a, a+s, ... up to b, so a range of one value is that value
    whatever the step; cronsim takes `a-a/s` for `a/s` (a to the field's end). Terms cronsim
    rejects are left as written, so its verdict and the validator's messages do not change;
    so is the case of names (cronsim upper-cases them itself).
    """
    return [
        ",".join(_one_value_step(kind, term) for term in value.split(","))
        for kind, value in zip(CronField, fields, strict=True)
    ]


def _one_value_step(kind: CronField, term: str) -> str:
    """`a-a/s` (also `SUN-0/2`, `00-0/5`) as `a`; every other term unchanged."""
    match = _RANGE_STEP.match(term)
    if match is None:
        return term
    start, end, _step = match.groups()
    try:
        kind.parse(term)  # the whole term is valid (the step is 1 or more, the ends in range)
        if kind.parse(start) != kind.parse(end):
            return term
    except CronSimError:
        return term
    return start


def debian_expr(expr: str) -> str:
    """`expr` with `debian_fields` applied, for putting it in words (unchanged if not 5 fields)."""
    fields = expr.split()
    if len(fields) != FIELD_COUNT:
        return expr
    rewritten = debian_fields(fields)
    return expr if rewritten == fields else " ".join(rewritten)


def one_value_steps(fields: list[str]) -> list[tuple[CronField, str]]:
    """The terms `debian_fields` rewrites, with their field, for the validator's warning."""
    return [
        (kind, term)
        for kind, value in zip(CronField, fields, strict=True)
        for term in value.split(",")
        if _one_value_step(kind, term) != term
    ]


def days_either(fields: list[str]) -> bool:
    """Cron's day rule: a day runs when EITHER day field matches, unless one of them starts with
    `*` (`*`, `*/2`), when both must (Debian's and cronsim's rule)."""
    return not fields[2].startswith("*") and not fields[4].startswith("*")


def is_fixed(fields: list[str]) -> bool:
    """Fixed-time cron (Debian's rule): neither the minute nor the hour field starts with `*`."""
    return not fields[0].startswith("*") and not fields[1].startswith("*")


class CronExpr:
    """A parsed cron expression that enumerates its naive wall-clock readings."""

    __slots__ = ("_matcher", "_month_days", "fixed", "months", "times")

    def __init__(self, fields: list[str]) -> None:
        self._matcher = CronSim(" ".join(fields), datetime(2000, 1, 1))
        self.fixed = is_fixed(fields)
        self.months = frozenset(self._matcher.months)
        # Minutes of the day, sorted: one list walk per matching day.
        self.times = tuple(
            hour * 60 + minute
            for hour in sorted(self._matcher.hours)
            for minute in sorted(self._matcher.minutes)
        )
        self._month_days: dict[tuple[int, int], tuple[int, ...]] = {}

    def days_in(self, year: int, month: int) -> tuple[int, ...]:
        """The days of a month the day fields match (cached per month)."""
        key = (year, month)
        found = self._month_days.get(key)
        if found is None:
            if len(self._month_days) >= _MONTH_CACHE_SIZE:
                self._month_days.clear()
            found = tuple(
                day.day for day in _month_dates(year, month) if self._matcher.match_day(day)
            )
            self._month_days[key] = found
        return found

    def iter_naive(self, start: datetime) -> Iterator[datetime]:
        """Naive readings at or after the naive `start`, increasing; ends after 50 empty years."""
        first_minute = start.hour * 60 + start.minute + bool(start.second or start.microsecond)
        year, month = start.year, start.month
        first_day = start.day  # only applies in the first month
        give_up = start.year + HORIZON_YEARS
        while year <= min(give_up, LAST_YEAR):
            if month in self.months:
                for day in self.days_in(year, month):
                    give_up = year + HORIZON_YEARS
                    times = self.times
                    if day <= first_day:
                        if day < first_day:
                            continue
                        times = times[bisect_left(times, first_minute) :]
                    for minute in times:
                        yield datetime(year, month, day, minute // 60, minute % 60)
            first_day = 0
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_dates(year: int, month: int) -> Iterator[date]:
    """Every date of a month."""
    day = date(year, month, 1)
    while day.month == month:
        yield day
        day = date.fromordinal(day.toordinal() + 1)


@lru_cache(maxsize=512)
def parse_cron(expr: str) -> CronExpr:
    """Parse once per distinct expression; raises TimingError for what the validator rejects."""
    fields = normalize(expr)
    if len(fields) != FIELD_COUNT:
        raise TimingError(f"cron '{expr}': expected {FIELD_COUNT} fields, found {len(fields)}")
    try:
        return CronExpr(debian_fields(fields))
    except CronSimError as error:
        raise TimingError(f"cron '{expr}' is not valid: {error}") from error
