"""Cron fields with steps against a brute-force oracle of Debian cron's rules.

Debian cron reads `a-b/s` as a, a+s, ... up to b, so a range of one value with a step
(`0-0/15`, `MON-MON/2`) is that one value; `a/s` (no range) is `a-max/s`, and `*/s` is
`min-max/s`. cronsim 2.8 reads a one-value range before `/` as a start (`0-0/15` as `0/15`),
so gitcron rewrites it before asking cronsim. The oracle below knows nothing of cronsim or
gitcron: it tests every minute of a few windows against the fields as Debian parses them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import takewhile
from zoneinfo import ZoneInfo

import pytest

from gitcron.timing import Cron, Timing, check_cron, iter_fires

_BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
_NAMES: dict[int, list[str]] = {
    3: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    4: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
}
# Windows of whole days, minute by minute: January (month steps), the first full week of March
# 2026 (Monday the 2nd to Sunday the 8th: weekday and day-of-month steps), early April.
WINDOWS = [
    (datetime(2026, 1, 4), 3),
    (datetime(2026, 3, 2), 7),
    (datetime(2026, 4, 1), 3),
]

# (cron, the readings Debian cron gives in the March week, for the reader; the oracle decides)
TABLE = [
    ("0-0/15 9 * * *", "09:00 daily, not 09:15/09:30/09:45"),
    ("3-3/6 9 * * *", "09:03 daily"),
    ("59-59/15 9 * * *", "09:59 daily"),
    ("00-0/20 9 * * *", "09:00 daily (same value, two spellings)"),
    ("0-0/15,30 9 * * *", "09:00 and 09:30 daily (one-value range inside a list)"),
    ("0 3-3/6 * * *", "03:00 daily, not 09:00/15:00/21:00"),
    ("0 9-9/5 * * *", "09:00 daily"),
    ("0 9 5-5/3 * *", "09:00 on the 5th only, not the 8th"),
    ("0 9 * JAN-JAN/3 *", "09:00 in January only, not April"),
    ("0 9 * 1-1/3 *", "09:00 in January only"),
    ("0 9 * * MON-MON/2", "09:00 on Monday only, not Wednesday/Friday"),
    ("0 9 * * mon-mon/2", "names in any case"),
    ("0 9 * * 1-1/2", "09:00 on Monday only"),
    ("0 9 * * SUN-0/2", "09:00 on Sunday only (name and number of one day)"),
    ("0 9 * * 7-7/2", "09:00 on Sunday only (7 is Sunday)"),
    ("0 9 * * 0-7/2", "a real range: Sunday, Tuesday, Thursday, Saturday"),
    ("0 9 5-5/3 * MON-MON/2", "both day fields set: the 5th OR Mondays"),
    ("0/15 9 * * *", "control, a/s = a-max/s: 09:00, 09:15, 09:30, 09:45"),
    ("50/15 9 * * *", "control: 09:50 only"),
    ("10-30/10 9 * * *", "control: 09:10, 09:20, 09:30"),
    ("0-1/15 9 * * *", "control: 09:00 only (the range ends before the next step)"),
    ("*/20 9-10 * * *", "control: 09:00 ... 10:40"),
    ("0 9 */3 * *", "control: the 1st, 4th, 7th, ... 31st"),
    ("0 9 * JAN-DEC/3 *", "control: January, April, July, October"),
    ("0 9 * * TUE/2", "control: Tuesday, Thursday, Saturday"),
]


def _number(field: int, token: str) -> int:
    names = _NAMES.get(field, [])
    if token in names:
        return names.index(token) + (1 if field == 3 else 0)
    return int(token)


def debian_field(field: int, text: str) -> set[int]:
    """The values of one field under Debian cron's rules (`get_list`/`get_range` in entry.c)."""
    low, high = _BOUNDS[field]
    values: set[int] = set()
    for term in text.upper().split(","):
        base, _, step_text = term.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            start, end = base.split("-")
            first, last = _number(field, start), _number(field, end)
        else:
            first = _number(field, base)
            last = high if step_text else first
        values.update(range(first, last + 1, step))
    if field == 4 and 7 in values:
        values = (values - {7}) | {0}
    return values


def debian_readings(expr: str, start: datetime, days: int) -> list[datetime]:
    """Every minute of the window that Debian cron runs `expr` at, by testing each minute."""
    fields = expr.split()
    minutes, hours, doms, months, dows = (debian_field(i, f) for i, f in enumerate(fields))
    star_day = fields[2].startswith("*") or fields[4].startswith("*")
    found: list[datetime] = []
    moment = start
    while moment < start + timedelta(days=days):
        dom_ok = moment.day in doms
        dow_ok = moment.isoweekday() % 7 in dows
        day_ok = (dom_ok and dow_ok) if star_day else (dom_ok or dow_ok)
        if moment.minute in minutes and moment.hour in hours and moment.month in months and day_ok:
            found.append(moment)
        moment += timedelta(minutes=1)
    return found


def gitcron_readings(expr: str, start: datetime, days: int) -> list[datetime]:
    """gitcron's fires in UTC (no clock changes), as naive readings, within the window."""
    timing = Timing(Cron(expr), ZoneInfo("UTC"))
    end = start + timedelta(days=days)
    after = start.replace(tzinfo=UTC) - timedelta(seconds=1)
    naive = (fire.at.replace(tzinfo=None) for fire in iter_fires(timing, after))
    return list(takewhile(lambda moment: moment < end, naive))


@pytest.mark.parametrize(("expr", "meaning"), TABLE, ids=[row[0] for row in TABLE])
def test_fires_match_debian_minute_by_minute(expr: str, meaning: str) -> None:
    assert check_cron(expr).error is None
    for start, days in WINDOWS:
        want = debian_readings(expr, start, days)
        assert gitcron_readings(expr, start, days) == want, f"{expr} ({meaning}) from {start}"


def test_one_value_ranges_in_words() -> None:
    """The oracle itself, on the cases the issue names: one value, not a series."""
    march = datetime(2026, 3, 2)
    assert [f"{m:%a %d %H:%M}" for m in debian_readings("0-0/15 9 * * *", march, 2)] == [
        "Mon 02 09:00",
        "Tue 03 09:00",
    ]
    assert [f"{m:%a %d}" for m in debian_readings("0 9 * * MON-MON/2", march, 7)] == ["Mon 02"]
    assert debian_readings("0 9 * JAN-JAN/3 *", datetime(2026, 4, 1), 3) == []


def test_the_validator_warns_and_judges_the_debian_reading() -> None:
    verdict = check_cron("0-0/15 9 * * *")
    assert (verdict.error, verdict.is_fixed) == (None, True)
    assert verdict.warnings == [
        "'0-0/15' in the minute field means only 0: a step counts inside its range, and '0-0' "
        "holds one value; to step from 0 to the end of the field write '0/15'"
    ]
    assert check_cron("0 9 * * mon-mon/2").warnings == [
        "'MON-MON/2' in the day-of-week field means only MON: a step counts inside its range, "
        "and 'MON-MON' holds one value; to step from MON to the end of the field write 'MON/2'"
    ]
    # FEB-FEB/1 is February alone (cronsim's reading, February to December, has a 31st)
    assert check_cron("0 9 31 FEB-FEB/1 *").error == "never fires: February never has a 31st"
    assert check_cron("0 9 * * 0-7/2").warnings == []  # a real range


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("0-0/0 9 * * *", "the minute field '0-0/0': the step after '/' must be a whole number"),
        ("60-60/5 9 * * *", "the minute field '60' (in '60-60/5') is outside 0-59"),
        ("0 9 L-L/2 * *", "the day-of-month field 'L-L/2': 'L' is only allowed alone"),
    ],
)
def test_bad_one_value_steps_keep_their_errors(expr: str, error: str) -> None:
    found = check_cron(expr).error
    assert found is not None
    assert found.startswith(error)
