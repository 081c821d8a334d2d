"""Named forms (daily, weekly, monthly nth/day, once) and intervals, outside DST trouble.

Calendar facts: 2026-01-01 is a Thursday; Feb 2026 ends Sat 28, May 2026 ends Sun 31,
Jan 2027 ends Sun 31, Feb 2028 ends Tue 29 (leap), Feb 2100 ends Sun 28 (not leap).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gitcron.timing import (
    LAST,
    LAST_DAY,
    LAST_WEEKDAY,
    Daily,
    Form,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekly,
    iter_fires,
    next_fires,
)

from .helpers import at, fires, utc

MONDAY, FRIDAY, SUNDAY = 0, 4, 6
UTC_ZONE = ZoneInfo("UTC")


def dates(form: Form, after: str, n: int) -> list[str]:
    """The dates of the next n fires of a UTC schedule."""
    return [f[:10] for f in fires(Timing(form, UTC_ZONE), after, n)]


def test_daily_several_times_in_order() -> None:
    timing = Timing(Daily(at("08:00", "08:05", "17:30")), ZoneInfo("Europe/Berlin"))
    assert fires(timing, "2026-01-05T07:02Z", 4) == [
        "2026-01-05T07:05Z", "2026-01-05T16:30Z", "2026-01-06T07:00Z", "2026-01-06T07:05Z",
    ]  # fmt: skip


def test_after_is_exclusive() -> None:
    timing = Timing(Daily(at("09:00")), UTC_ZONE)
    assert fires(timing, "2026-01-05T09:00Z", 1) == ["2026-01-06T09:00Z"]
    assert fires(timing, "2026-01-05T08:59:59Z", 1) == ["2026-01-05T09:00Z"]


def test_weekly_days() -> None:
    form = Weekly(frozenset({MONDAY, FRIDAY}), at("09:00"))
    assert dates(form, "2026-01-01T00:00Z", 4) == [
        "2026-01-02", "2026-01-05", "2026-01-09", "2026-01-12",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("nth", "weekday", "expected"),
    [
        (1, MONDAY, ["2026-01-05", "2026-02-02", "2026-03-02"]),
        (2, SUNDAY, ["2026-01-11", "2026-02-08", "2026-03-08"]),
        (4, FRIDAY, ["2026-01-23", "2026-02-27", "2026-03-27"]),
        (LAST, FRIDAY, ["2026-01-30", "2026-02-27", "2026-03-27"]),
        (LAST, SUNDAY, ["2026-01-25", "2026-02-22", "2026-03-29"]),
    ],
)
def test_monthly_nth_weekday(nth: int, weekday: int, expected: list[str]) -> None:
    assert dates(MonthlyNth(nth, weekday, at("10:00")), "2026-01-01T00:00Z", 3) == expected


def test_monthly_last_weekday_of_month_across_leap_february() -> None:
    # Last Tuesday of Feb 2028 is the 29th (leap day).
    assert dates(MonthlyNth(LAST, 1, at("10:00")), "2028-02-01T00:00Z", 1) == ["2028-02-29"]


@pytest.mark.parametrize(
    ("day", "after", "expected"),
    [
        (31, "2026-01-01T00:00Z", ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"]),
        (30, "2026-01-01T00:00Z", ["2026-01-30", "2026-03-30", "2026-04-30", "2026-05-30"]),
        (29, "2027-01-01T00:00Z", ["2027-01-29", "2027-03-29", "2027-04-29", "2027-05-29"]),
        (LAST_DAY, "2028-01-01T00:00Z", ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"]),
        (LAST_DAY, "2100-01-01T00:00Z", ["2100-01-31", "2100-02-28", "2100-03-31", "2100-04-30"]),
        # Jan 2026 ends Sat -> 30; Feb 2026 ends Sat -> 27; Mar ends Tue 31; Apr ends Thu 30.
        (
            LAST_WEEKDAY,
            "2026-01-01T00:00Z",
            ["2026-01-30", "2026-02-27", "2026-03-31", "2026-04-30"],
        ),
        # May 2026 ends Sun -> Fri 29; Feb 2100 ends Sun -> Fri 26; Feb 2028 ends Tue 29.
        (LAST_WEEKDAY, "2026-05-01T00:00Z", ["2026-05-29"]),
        (LAST_WEEKDAY, "2100-02-01T00:00Z", ["2100-02-26"]),
        (LAST_WEEKDAY, "2028-02-01T00:00Z", ["2028-02-29"]),
    ],
)
def test_monthly_day(day: int, after: str, expected: list[str]) -> None:
    assert dates(MonthlyDay(day, at("06:00")), after, len(expected)) == expected


def test_leap_day_29_february() -> None:
    assert dates(MonthlyDay(29, at("06:00")), "2028-02-01T00:00Z", 2) == [
        "2028-02-29",
        "2028-03-29",
    ]
    assert dates(MonthlyDay(29, at("06:00")), "2100-02-01T00:00Z", 1) == ["2100-03-29"]


def test_once_fires_a_single_time() -> None:
    timing = Timing(Once(datetime(2026, 7, 1, 9, 0)), ZoneInfo("Europe/Berlin"))
    assert fires(timing, "2026-01-01T00:00Z", 3) == ["2026-07-01T07:00Z"]
    assert fires(timing, "2026-07-01T07:00Z", 1) == []


def test_once_in_a_gap_and_in_an_overlap() -> None:
    # Berlin: gap 2026-03-29T01:00Z (02:00 -> 03:00), overlap 2026-10-25T01:00Z (03:00 -> 02:00).
    gap = Timing(Once(datetime(2026, 3, 29, 2, 30)), ZoneInfo("Europe/Berlin"))
    assert fires(gap, "2026-01-01T00:00Z", 2) == ["2026-03-29T01:00Z"]
    overlap = Timing(Once(datetime(2026, 10, 25, 2, 30)), ZoneInfo("Europe/Berlin"))
    assert fires(overlap, "2026-01-01T00:00Z", 2) == ["2026-10-25T00:30Z"]


def test_interval_counts_elapsed_time_across_dst() -> None:
    # Every 6 h from 2026-03-07T00:00Z, in New York (gap 2026-03-08T07:00Z): the instants
    # stay 6 h apart in real time, so the wall-clock readings shift by an hour.
    timing = Timing(
        Interval(timedelta(hours=6), utc("2026-03-07T00:00Z")), ZoneInfo("America/New_York")
    )
    assert fires(timing, "2026-03-08T01:00Z", 3) == [
        "2026-03-08T06:00Z", "2026-03-08T12:00Z", "2026-03-08T18:00Z",
    ]  # fmt: skip


def test_interval_before_and_after_anchor() -> None:
    timing = Timing(Interval(timedelta(minutes=90), utc("2026-01-01T12:00Z")), UTC_ZONE)
    assert fires(timing, "2026-01-01T10:00Z", 3) == [
        "2026-01-01T10:30Z", "2026-01-01T12:00Z", "2026-01-01T13:30Z",
    ]  # fmt: skip


def test_window_start_and_until() -> None:
    timing = Timing(
        Daily(at("09:00")),
        UTC_ZONE,
        start=utc("2026-02-03T09:00Z"),  # inclusive
        until=utc("2026-02-06T09:00Z"),  # exclusive
    )
    assert fires(timing, "2026-01-01T00:00Z", 10) == [
        "2026-02-03T09:00Z", "2026-02-04T09:00Z", "2026-02-05T09:00Z",
    ]  # fmt: skip
    assert list(iter_fires(timing, utc("2026-02-06T00:00Z"))) == []


def test_next_fires_zero_and_naive_after() -> None:
    timing = Timing(Daily(at("09:00")), UTC_ZONE)
    assert next_fires(timing, utc("2026-01-01T00:00Z"), 0) == []
    with pytest.raises(ValueError, match="aware"):
        next_fires(timing, datetime(2026, 1, 1), 1)


def test_empty_forms_never_fire() -> None:
    assert dates(Daily(()), "2026-01-01T00:00Z", 1) == []
    assert dates(Weekly(frozenset(), at("09:00")), "2026-01-01T00:00Z", 1) == []
