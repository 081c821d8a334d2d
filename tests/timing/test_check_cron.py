"""The validator's cron check: errors and hints in plain words, warnings, fixed-time flag."""

from __future__ import annotations

import pytest

from gitcron.timing import check_cron


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("0 25 * * *", "the hour field '25' is outside 0-23"),
        ("60 * * * *", "the minute field '60' is outside 0-59"),
        ("0 0 0 * *", "the day-of-month field '0' is outside 1-31"),
        ("0 0 * 13 *", "the month field '13' is outside 1-12"),
        ("0 0 * * 8", "the day-of-week field '8' is outside 0-7"),
        ("0 1,25 * * *", "the hour field '25' (in '1,25') is outside 0-23"),
        ("0 9-25 * * *", "the hour field '25' (in '9-25') is outside 0-23"),
        (
            "0 0 * * * *",
            "expected 5 fields (minute hour day-of-month month day-of-week), found 6"
            " (gitcron has no seconds or year field)",
        ),
        ("0 0 * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
        ("", "the cron expression is empty"),
        ("@daily", "shortcuts like '@daily' are not supported"),
        ("0 0 30 2 *", "never fires: February never has a 30th"),
        ("0 0 31 4,6 *", "never fires: April and June never have a 31st"),
        ("0 0 31 2,4,6 *", "never fires: February, April and June never have a 31st"),
        (
            "0 17-9 * * *",
            "the hour field '17-9' is a range that goes backwards; ranges cannot"
            " wrap around, write it as two parts: '17-23,0-9'",
        ),
        (
            "*/0 * * * *",
            "the minute field '*/0': the step after '/' must be a whole number of 1 or more",
        ),
        (
            "0 0 * * 1#6",
            "the day-of-week field '1#6': the number after '#' must be 1 to 5 (which week)",
        ),
        (
            "0 0 1#2 * *",
            "the day-of-month field '1#2': '#' (the nth weekday) only works in the"
            " day-of-week field",
        ),
        ("0 0 * * FRIDAY", "the day-of-week field 'FRIDAY' is not a number or a name (SUN-SAT)"),
        ("0 0 * JANUARY *", "the month field 'JANUARY' is not a number or a name (JAN-DEC)"),
        ("0 nine * * *", "the hour field 'NINE' is not a number"),
        (
            "0 0 15W * *",
            "the day-of-month field '15W': only 'LW' (last weekday) is supported, not"
            " 'nearest weekday' (W)",
        ),
        (
            "0 0 5L * *",
            "the day-of-month field '5L': 'L' is only allowed alone ('L' = last day) or as 'LW'",
        ),
        (
            "0 0 1,,2 * *",
            "the day-of-month field '1,,2' has an empty item (two commas in a row,"
            " or one at an end)",
        ),
        ("0 *-5 * * *", "the hour field '*-5': '*' cannot be one end of a range"),
    ],
)
def test_errors_name_the_field_and_the_value(expr: str, error: str) -> None:
    check = check_cron(expr)
    assert check.error == error
    assert check.hint  # always says how to fix it


def test_hint_explains_the_field() -> None:
    assert (
        check_cron("0 25 * * *").hint
        == "hours go from 0 (midnight) to 23 (11 pm); '9-17' means 9 am to 5 pm"
    )


@pytest.mark.parametrize(
    "expr",
    ["*/15 * * * *", "0 9 * * MON-FRI", "0 10 * * 5L", "0 10 * * L5", "0 0 L * *", "0 0 LW * *",
     "0 9 * JUL *", "0 0 29 2 *", "0 0 * 2 MON#5", "0 12 ? * SUN", "30 9 1,15 * *"],
)  # fmt: skip
def test_valid_expressions(expr: str) -> None:
    check = check_cron(expr)
    assert (check.error, check.hint) == (None, None)


@pytest.mark.parametrize(
    ("expr", "fixed"),
    [
        ("0 1-5 * * *", True),
        ("30 9 * * 1-5", True),
        ("0 */3 * * *", False),
        ("*/15 9 * * *", False),
        ("* * * * *", False),
        ("0,30 8,12 * * *", True),
    ],
)
def test_is_fixed(expr: str, fixed: bool) -> None:
    assert check_cron(expr).is_fixed is fixed


def test_or_trap_warning_suggests_monthly_nth() -> None:
    assert check_cron("0 10 1-7 * 1").warnings == [
        "this fires on day(s) 1-7 of the month OR on Mondays: when both day fields are set, cron"
        " runs on days matching either one, not both; for the first monday of each month write"
        ' monthly: {on: first monday, at: "10:00"}'
    ]


def test_or_trap_warning_with_nth_weekday() -> None:
    assert check_cron("0 0 8-9 * 0#2").warnings == [
        "this fires on day(s) 8-9 of the month OR on the second Sunday: when both day fields are"
        " set, cron runs on days matching either one, not both"
    ]


def test_no_or_warning_when_a_day_field_is_star() -> None:
    assert check_cron("0 0 */2 * 1").warnings == []
    assert check_cron("0 9 * * MON-FRI").warnings == []


def test_single_value_step_warning() -> None:
    assert check_cron("59/15 * * * *").warnings == [
        "'59/15' in the minute field means only minute 59 (a step counts from its start to the"
        " end of the range); for every 15 minutes write '*/15'"
    ]


def test_uneven_step_warning() -> None:
    assert check_cron("*/7 * * * *").warnings == [
        "'*/7' in the minute field runs at minutes 0, 7, ... 56 and then again at 0, so the last"
        " gap is 4 minutes, not 7"
    ]
    assert check_cron("0 */5 * * *").warnings == [
        "'*/5' in the hour field runs at hours 0, 5, ... 20 and then again at 0, so the last gap"
        " is 4 hours, not 5"
    ]
    assert check_cron("*/15 */6 * * *").warnings == []
