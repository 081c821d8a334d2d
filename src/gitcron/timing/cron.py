"""Checking a cron expression for the validator, in words a non-engineer can act on.

cronsim decides what is valid (Debian's grammar, read through its public `CronSim` only); this
module explains why something is not, and warns about the legal-but-surprising cases (the
day-field OR, `59/15`, `0-0/15`). Whether it can fire is judged on the fields as Debian cron
reads them (`debian_fields`), as the fires are.
"""

from __future__ import annotations

import calendar
import re
import string
from dataclasses import dataclass, field
from datetime import datetime

from cronsim import CronSimError

from gitcron.timing.cron_words import (
    explain_term,
    field_hint,
    one_value_step_warning,
    stray_character,
    weekday_name,
    weekday_words,
)
from gitcron.timing.cronexpr import (
    FIELD_COUNT,
    CronExpr,
    CronField,
    days_either,
    debian_fields,
    is_fixed,
    normalize,
    one_value_steps,
)
from gitcron.timing.words import listing

FIELD_ORDER = "minute hour day-of-month month day-of-week"
_WEEK_OF_MONTH = {"1-7": "first", "8-14": "second", "15-21": "third", "22-28": "fourth"}
_SINGLE_STEP = re.compile(r"^(\d+)/(\d+)$")
_EVEN_STEP = re.compile(r"^\*/(\d+)$")
_EXAMPLE = "for example '30 9 * * MON-FRI' runs at 09:30 on weekdays"
# What a field may be written with: ASCII digits, the letters of names, `L`, `W`, and `* , - / # ?`.
# Anything else (a superscript '¹', an Arabic-Indic '٣', a long 's' that upper-cases to 'S') is
# refused before cronsim or the wording code sees it.
_CRON_CHARACTERS = frozenset(string.ascii_letters + string.digits + "*,-/#?")


@dataclass(frozen=True, slots=True)
class CronCheck:
    """The validator's verdict on one cron expression."""

    error: str | None = None  # what is wrong, None when the expression is usable
    hint: str | None = None  # how to fix it
    warnings: list[str] = field(default_factory=list)  # legal but probably not what was meant
    is_fixed: bool = False  # minute and hour fields do not start with `*` (DST rules differ)


def check_cron(expr: str) -> CronCheck:
    """Check a five-field cron expression; never raises."""
    text = expr.strip()
    if not text:
        return CronCheck(
            "the cron expression is empty", f"write 5 fields ({FIELD_ORDER}), {_EXAMPLE}"
        )
    if text.startswith("@"):
        return CronCheck(
            f"shortcuts like '{text.split()[0]}' are not supported",
            f"write the 5 fields ({FIELD_ORDER}), or use a daily/weekly/monthly schedule",
        )
    fields = normalize(text)
    if len(fields) != FIELD_COUNT:
        extra = " (gitcron has no seconds or year field)" if len(fields) in (6, 7) else ""
        return CronCheck(
            f"expected 5 fields ({FIELD_ORDER}), found {len(fields)}{extra}",
            f"cron fields are separated by spaces, {_EXAMPLE}",
        )
    for kind, written in zip(CronField, text.split(), strict=False):
        stray = next((char for char in written if char not in _CRON_CHARACTERS), None)
        if stray is not None:
            return CronCheck(*stray_character(kind, written, stray))
    for kind, value in zip(CronField, fields, strict=True):
        try:
            kind.parse(value)
        except CronSimError:
            return _field_error(kind, value)
    never = _never_fires(debian_fields(fields))
    if never is not None:
        return CronCheck(
            never, "pick a day that exists in the chosen months", is_fixed=is_fixed(fields)
        )
    return CronCheck(warnings=_warnings(fields), is_fixed=is_fixed(fields))


def _field_error(kind: CronField, value: str) -> CronCheck:
    """The first bad item of a field, explained."""
    for term in value.split(","):
        try:
            kind.parse(term)
        except CronSimError:
            return CronCheck(explain_term(kind, term, value), field_hint(kind))
    return CronCheck(explain_term(kind, value, value), field_hint(kind))


def _never_fires(fields: list[str]) -> str | None:
    """Why a syntactically valid expression can never fire, or None."""
    days_and = not days_either(fields)
    day_values = CronField.DAY.parse(fields[2])
    days = {d for d in day_values if isinstance(d, int) and d > 0}
    months = sorted(int(m) for m in CronField.MONTH.parse(fields[3]) if isinstance(m, int))
    longest = max(calendar.monthrange(2000, m)[1] for m in months)
    if days_and and days and len(days) == len(day_values) and min(days) > longest:
        names = [calendar.month_name[m] for m in months]
        verb = "never has" if len(names) == 1 else "never have"
        return f"never fires: {listing(names)} {verb} a {_ordinal(min(days))}"
    try:
        parsed = CronExpr(fields)
    except CronSimError:
        return "never fires: no date matches the day and month fields"
    if next(parsed.iter_naive(datetime(2000, 1, 1)), None) is None:
        return "never fires: no date within 50 years matches the day and month fields"
    return None


def _ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 30th."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _warnings(fields: list[str]) -> list[str]:
    """Legal but surprising: the day-field OR, steps that leave one value, uneven steps."""
    minute, hour, dom, _month, dow = fields
    found = [one_value_step_warning(kind, term) for kind, term in one_value_steps(fields)]
    if days_either(fields):
        found.append(_or_warning(minute, hour, dom, dow))
    for name, value, size in (("minute", minute, 60), ("hour", hour, 24)):
        single = _SINGLE_STEP.match(value)
        if single and int(single.group(1)) + int(single.group(2)) >= size:
            found.append(
                f"'{value}' in the {name} field means only {name} {int(single.group(1))} "
                f"(a step counts from its start to the end of the range); for every "
                f"{single.group(2)} {name}s write '*/{single.group(2)}'"
            )
        even = _EVEN_STEP.match(value)
        if even and 0 < int(even.group(1)) < size and size % int(even.group(1)):
            step = int(even.group(1))
            last = (size - 1) // step * step
            found.append(
                f"'{value}' in the {name} field runs at {name}s 0, {step}, ... {last} and then "
                f"again at 0, so the last gap is {size - last} {name}s, not {step}"
            )
    return found


def _or_warning(minute: str, hour: str, dom: str, dow: str) -> str:
    """Both day fields are set: cron runs when EITHER matches; suggest the monthly form."""
    text = (
        f"this fires on day(s) {dom} of the month OR on {weekday_words(dow)}: when both day "
        "fields are set, cron runs on days matching either one, not both"
    )
    week = _WEEK_OF_MONTH.get(dom)
    if week and re.fullmatch(r"[0-7]|[A-Z]{3}", dow):
        weekday = weekday_name(dow).lower()
        at = (
            f"{int(hour):02d}:{int(minute):02d}" if hour.isdigit() and minute.isdigit() else "HH:MM"
        )
        text += (
            f"; for the {week} {weekday} of each month write "
            f'monthly: {{on: {week} {weekday}, at: "{at}"}}'
        )
    return text
