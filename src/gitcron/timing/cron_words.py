"""Plain-English wording for cron fields: which item is wrong, and what the days mean.

Kept apart from the checking logic so the messages can be read (and reworded) in one place.

A whole expression is put in words once, by cron-descriptor, for the pull-request preview
(gitops/words.py); cronsim's `explain()` is not used. On the example schedules and the traps
both are right about `L`, `LW`, `#`, `5L`, names and the day-field OR, and cronsim reads dates
better ("on December 31"), but cron-descriptor says steps as people do ("every 15 minutes",
not "every 15th minute of every hour") and the OR as "or" ("between day 1 and 7 of the month,
or on Monday", where cronsim says "and on Monday"), and the preview's golden file holds its
wording. Its one wrong case, a day-of-month step starting with `*` next to a weekday
(`0 9 */2 * 1`), which cron ANDs and it words with "or", is reworded in review/words.py.
"""

from __future__ import annotations

import re
import unicodedata

from gitcron.timing.cronexpr import CronField
from gitcron.timing.words import NTH

LABELS = {
    CronField.MINUTE: "minute",
    CronField.HOUR: "hour",
    CronField.DAY: "day-of-month",
    CronField.MONTH: "month",
    CronField.DOW: "day-of-week",
}
BOUNDS = {
    CronField.MINUTE: (0, 59),
    CronField.HOUR: (0, 23),
    CronField.DAY: (1, 31),
    CronField.MONTH: (1, 12),
    CronField.DOW: (0, 7),
}
NAMES = {
    CronField.MONTH: [
        "JAN",
        "FEB",
        "MAR",
        "APR",
        "MAY",
        "JUN",
        "JUL",
        "AUG",
        "SEP",
        "OCT",
        "NOV",
        "DEC",
    ],
    CronField.DOW: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
}
HINTS = {
    CronField.MINUTE: (
        "minutes go from 0 to 59; '*/15' means every 15 minutes, '0,30' on the hour and half hour"
    ),
    CronField.HOUR: "hours go from 0 (midnight) to 23 (11 pm); '9-17' means 9 am to 5 pm",
    CronField.DAY: "days of the month go from 1 to 31; 'L' is the last day, 'LW' the last weekday",
    CronField.MONTH: "months go from 1 to 12, or JAN to DEC",
    CronField.DOW: (
        "weekdays go from 0 to 7 (0 and 7 are both Sunday) or SUN to SAT; "
        "'5L' is the last Friday of the month, '1#2' the second Monday"
    ),
}
_DAY_NAMES = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


def field_hint(kind: CronField) -> str:
    """What the field accepts, in words."""
    return HINTS[kind]


def explain_term(kind: CronField, term: str, whole: str) -> str:
    """Why one comma-separated item of a field is not valid."""
    label = LABELS[kind]
    where = f" (in '{whole}')" if whole != term else ""
    if term == "":
        return (
            f"the {label} field '{whole}' has an empty item (two commas in a row, or one at an end)"
        )
    if "#" in term:
        if kind != CronField.DOW:
            return (
                f"the {label} field '{term}': '#' (the nth weekday) only works in the "
                "day-of-week field"
            )
        day, _, nth = term.partition("#")
        if not _is_number(nth) or not 1 <= int(nth) <= 5:
            return (
                f"the day-of-week field '{term}': the number after '#' must be 1 to 5 (which week)"
            )
        return _explain_value(kind, day, whole) or f"the day-of-week field '{term}' is not valid"
    if "L" in term and not _is_name(kind, term):
        if kind == CronField.DAY:
            return (
                f"the day-of-month field '{term}'{where}: 'L' is only allowed alone "
                "('L' = last day) or as 'LW'"
            )
        if kind == CronField.DOW:
            return (
                f"the day-of-week field '{term}'{where}: write the last Friday as '5L' "
                "(a weekday number then L)"
            )
        return f"the {label} field '{term}': 'L' (last) only works in the day fields"
    if "W" in term and kind == CronField.DAY and not term.isalpha():
        return (
            f"the day-of-month field '{term}': only 'LW' (last weekday) is supported, "
            "not 'nearest weekday' (W)"
        )
    base, slash, step = term.partition("/")
    if slash and (not _is_number(step) or int(step) == 0):
        return (
            f"the {label} field '{term}'{where}: the step after '/' must be a whole number "
            "of 1 or more"
        )
    start, dash, end = base.partition("-")
    if dash and "*" in (start, end):
        return f"the {label} field '{base}'{where}: '*' cannot be one end of a range"
    problem = _explain_value(kind, start, whole) or (dash and _explain_value(kind, end, whole))
    if problem:
        return problem
    if dash and _value(kind, start) > _value(kind, end):
        lo, hi = BOUNDS[kind]
        return (
            f"the {label} field '{base}'{where} is a range that goes backwards; ranges cannot wrap "
            f"around, write it as two parts: '{start}-{hi},{lo}-{end}'"
        )
    return f"the {label} field '{term}'{where} is not valid"


def stray_character(kind: CronField, written: str, char: str) -> tuple[str, str]:
    """A character cron does not read (a superscript digit, a look-alike letter): error, fix."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    return (
        f"the {LABELS[kind]} field '{written}' has the character '{char}' ({code}), "
        "which cron does not read",
        "retype the field on the keyboard (copied text can carry look-alike characters); "
        + HINTS[kind],
    )


def one_value_step_warning(kind: CronField, term: str) -> str:
    """`0-0/15`: a step inside a range of one value leaves that value (Debian's reading)."""
    base, _, step = term.partition("/")
    start = base.partition("-")[0]
    return (
        f"'{term}' in the {LABELS[kind]} field means only {start}: a step counts inside its "
        f"range, and '{base}' holds one value; to step from {start} to the end of the field "
        f"write '{start}/{step}'"
    )


def _is_number(token: str) -> bool:
    """ASCII digits only: `str.isdigit` also accepts '¹' and '٣', which `int` then refuses."""
    return token.isascii() and token.isdigit()


def _is_name(kind: CronField, token: str) -> bool:
    """A month or weekday name such as JUL (which contains an L but is not 'last')."""
    return all(
        part in NAMES.get(kind, []) for part in re.split(r"[-/,]", token) if not _is_number(part)
    )


def _value(kind: CronField, token: str) -> int:
    """A token's number (names resolved); only call once `_explain_value` accepted it."""
    if _is_number(token):
        return int(token)
    return NAMES[kind].index(token) + (1 if kind == CronField.MONTH else 0)


def _explain_value(kind: CronField, token: str, whole: str) -> str:
    """Why a single value is wrong ('25' for an hour), or '' when it is fine."""
    label = LABELS[kind]
    where = f" (in '{whole}')" if whole != token else ""
    lo, hi = BOUNDS[kind]
    if token == "*":
        return ""
    if _is_number(token):
        if lo <= int(token) <= hi:
            return ""
        return f"the {label} field '{token}'{where} is outside {lo}-{hi}"
    if kind in NAMES:
        if token in NAMES[kind]:
            return ""
        sample = "JAN-DEC" if kind == CronField.MONTH else "SUN-SAT"
        return f"the {label} field '{token}'{where} is not a number or a name ({sample})"
    if token == "":
        return f"the {label} field{where} has a '-' or '/' with nothing on one side"
    return f"the {label} field '{token}'{where} is not a number"


def weekday_name(token: str) -> str:
    """'1' or 'MON' -> 'Monday'."""
    if _is_number(token):
        return _DAY_NAMES[int(token)]
    return _DAY_NAMES[NAMES[CronField.DOW].index(token)]


def weekday_words(dow: str) -> str:
    """The day-of-week field in words, for warnings: 'Mondays', 'the second Sunday'."""
    parts: list[str] = []
    for term in dow.split(","):
        nth = re.fullmatch(r"([0-7]|[A-Z]{3})#([1-5])", term)
        last = re.fullmatch(r"([0-7])L", term)
        single = re.fullmatch(r"[0-7]|[A-Z]{3}", term)
        span = re.fullmatch(r"([0-7]|[A-Z]{3})-([0-7]|[A-Z]{3})", term)
        if nth:
            parts.append(f"the {NTH[int(nth.group(2))]} {weekday_name(nth.group(1))}")
        elif last:
            parts.append(f"the last {weekday_name(last.group(1))}")
        elif single:
            parts.append(f"{weekday_name(term)}s")
        elif span:
            parts.append(f"{weekday_name(span.group(1))} to {weekday_name(span.group(2))}")
        else:
            parts.append(f"day-of-week '{term}'")
    return " or ".join(parts)
