"""Cron field semantics (Debian's, as cronsim implements them), checked in UTC.

Calendar facts used: 2026-09-01 is a Tuesday, 2026-01-01 a Thursday, 2028 is a leap year and
2100 is not; Feb 2100 ends on a Sunday, May 2026 on a Sunday, Jan 2026 on a Saturday.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from gitcron.errors import TimingError
from gitcron.timing import Cron, Timing

from .helpers import fires

UTC_ZONE = ZoneInfo("UTC")


def cron(expr: str, after: str, n: int) -> list[str]:
    """The next n fires of a UTC cron, as short UTC strings."""
    return fires(Timing(Cron(expr), UTC_ZONE), after, n)


def days(expr: str, after: str, n: int) -> list[str]:
    """Only the dates of the next n fires."""
    return [f[:10] for f in cron(expr, after, n)]


def test_day_fields_or_when_both_restricted() -> None:
    # Days 1-7 OR Mondays (Sep 7 is both; then the Mondays 14, 21, 28; then Oct 1-7).
    assert days("0 10 1-7 * 1", "2026-08-31T11:00Z", 12) == [
        "2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05", "2026-09-06",
        "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-01", "2026-10-02",
    ]  # fmt: skip


def test_day_fields_and_when_one_starts_with_star() -> None:
    # Odd days AND Mondays: Sep 7, 21; Oct 5, 19 (Sep 14/28, Oct 12/26 are even).
    assert days("0 0 */2 * 1", "2026-09-01T00:00Z", 4) == [
        "2026-09-07", "2026-09-21", "2026-10-05", "2026-10-19",
    ]  # fmt: skip
    # A `*` day-of-month with a restricted weekday is plain "Mondays".
    assert days("0 0 * * 1", "2026-09-01T00:00Z", 2) == ["2026-09-07", "2026-09-14"]


def test_nth_weekday_with_day_list_is_or() -> None:
    # croniter issue 177: the 8th, the 9th, or the second Sunday.
    assert days("0 0 8-9 * 0#2", "2026-01-01T00:00Z", 6) == [
        "2026-01-08", "2026-01-09", "2026-01-11", "2026-02-08", "2026-02-09", "2026-03-08",
    ]  # fmt: skip


@pytest.mark.parametrize("expr", ["0 10 * * 5L", "0 10 * * L5", "0 10 * * 5l", "0 10 * * l5"])
def test_last_friday_both_spellings(expr: str) -> None:
    assert days(expr, "2026-01-01T00:00Z", 5) == [
        "2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24", "2026-05-29",
    ]  # fmt: skip


def test_second_monday() -> None:
    assert days("0 9 * * 1#2", "2026-01-01T00:00Z", 3) == ["2026-01-12", "2026-02-09", "2026-03-09"]


def test_fifth_weekday_skips_months_without_one() -> None:
    # Fifth Friday of 2026: Jan 30, May 29, Jul 31, Oct 30.
    assert days("0 9 * * 5#5", "2026-01-01T00:00Z", 4) == [
        "2026-01-30", "2026-05-29", "2026-07-31", "2026-10-30",
    ]  # fmt: skip


def test_names_and_ranges() -> None:
    # January weekdays: from Fri 2026-01-30 to Fri 2027-01-01, Mon 2027-01-04.
    assert cron("0 9 * JAN MON-FRI", "2026-01-29T12:00Z", 3) == [
        "2026-01-30T09:00Z", "2027-01-01T09:00Z", "2027-01-04T09:00Z",
    ]  # fmt: skip


def test_steps_lists_and_ranges_with_steps() -> None:
    assert cron("*/20 9-10 * * *", "2026-01-01T00:00Z", 7) == [
        "2026-01-01T09:00Z", "2026-01-01T09:20Z", "2026-01-01T09:40Z",
        "2026-01-01T10:00Z", "2026-01-01T10:20Z", "2026-01-01T10:40Z", "2026-01-02T09:00Z",
    ]  # fmt: skip
    assert cron("10-30/10 8,18 * * *", "2026-01-01T00:00Z", 4) == [
        "2026-01-01T08:10Z", "2026-01-01T08:20Z", "2026-01-01T08:30Z", "2026-01-01T18:10Z",
    ]  # fmt: skip


@pytest.mark.parametrize("expr", ["59/15 * * * *", "59-59/15 * * * *"])
def test_step_from_a_single_start_runs_to_the_end_of_the_range(expr: str) -> None:
    # Our meaning (cronsim's): '59/15' = '59-59/15' = minute 59 only.
    assert cron(expr, "2026-01-01T00:00Z", 3) == [
        "2026-01-01T00:59Z", "2026-01-01T01:59Z", "2026-01-01T02:59Z",
    ]  # fmt: skip


def test_step_from_a_start_value() -> None:
    # '5/20' = minutes 5, 25, 45.
    assert cron("5/20 0 * * *", "2026-01-01T00:00Z", 4) == [
        "2026-01-01T00:05Z", "2026-01-01T00:25Z", "2026-01-01T00:45Z", "2026-01-02T00:05Z",
    ]  # fmt: skip


@pytest.mark.parametrize("sunday", ["0", "7", "SUN", "sun"])
def test_sunday_spellings(sunday: str) -> None:
    # 2026-01-04 and 2026-01-11 are Sundays.
    assert days(f"0 0 * * {sunday}", "2026-01-01T00:00Z", 2) == ["2026-01-04", "2026-01-11"]


def test_question_mark_is_star() -> None:
    assert days("0 0 ? * MON", "2026-01-01T00:00Z", 2) == ["2026-01-05", "2026-01-12"]


def test_last_day_of_month_and_leap_years() -> None:
    assert days("0 0 L 2 *", "2027-03-01T00:00Z", 2) == ["2028-02-29", "2029-02-28"]
    assert days("0 0 L 2 *", "2099-03-01T00:00Z", 1) == ["2100-02-28"]  # 2100 is not leap


def test_last_weekday_of_month() -> None:
    # Jan 2026 ends Sat 31 -> Fri 30; Feb 2026 ends Sat 28 -> Fri 27; Mar 2026 ends Tue 31.
    assert days("0 0 LW * *", "2026-01-01T00:00Z", 3) == ["2026-01-30", "2026-02-27", "2026-03-31"]
    # Feb 2100 ends on a Sunday -> Friday the 26th.
    assert days("0 0 LW 2 *", "2099-03-01T00:00Z", 1) == ["2100-02-26"]


def test_day_31_skips_short_months() -> None:
    assert days("0 0 31 * *", "2026-01-01T00:00Z", 4) == [
        "2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31",
    ]  # fmt: skip


def test_february_29th_only_in_leap_years() -> None:
    assert days("0 0 29 2 *", "2026-01-01T00:00Z", 2) == ["2028-02-29", "2032-02-29"]


def test_whitespace_and_case_are_normalized() -> None:
    assert cron("  0   9 * jan mon ", "2026-01-01T00:00Z", 1) == ["2026-01-05T09:00Z"]


@pytest.mark.parametrize("expr", ["0 0 30 2 *", "0 0 * * *  *", "61 * * * *", "@daily"])
def test_invalid_expressions_raise_timing_error(expr: str) -> None:
    with pytest.raises(TimingError):
        cron(expr, "2026-01-01T00:00Z", 1)


def test_rare_expression_is_found_far_ahead() -> None:
    # Fifth Monday of February: only when Feb 1 is a Monday in a leap year (2044).
    assert days("0 0 * 2 MON#5", "2026-01-01T00:00Z", 1) == ["2044-02-29"]
