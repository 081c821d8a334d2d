"""Static analysis for the validator: smallest gap between fires, and never-firing timings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gitcron.timing import (
    LAST,
    LAST_DAY,
    LAST_WEEKDAY,
    ClosedDates,
    Cron,
    Daily,
    Form,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekends,
    Weekly,
    min_gap,
    never_fires,
)

from .helpers import at, utc

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("form", "gap"),
    [
        (Cron("*/10 * * * *"), 10 * MINUTE),
        (Cron("0,5 9 * * *"), 5 * MINUTE),
        (Cron("* * * * *"), MINUTE),
        (Cron("0 * * * *"), 60 * MINUTE),
        (Cron("0 0,23 * * *"), 60 * MINUTE),  # 23:00 -> 00:00 the next day
        (Cron("*/7 * * * *"), 4 * MINUTE),  # :56 -> :00
        (Cron("0 9 * * 1"), 7 * DAY),
        (Cron("0 9 * * 5,1"), 3 * DAY),  # Friday -> Monday
        (Cron("0 9 * * 1-5"), DAY),
        (Cron("0 0 1 * *"), 28 * DAY),  # Feb 1 -> Mar 1 in a common year
        (Cron("0 0 29 2 *"), 1461 * DAY),  # leap day to leap day (within 2000-2032)
        (Cron("59 23 L * *"), 28 * DAY),  # Jan 31 -> Feb 28 (same time of day)
        (Daily(at("08:00", "08:05")), 5 * MINUTE),
        (Daily(at("08:00")), DAY),
        (Daily(at("00:10", "23:55")), 15 * MINUTE),  # 23:55 -> 00:10 next day
        (Weekly(frozenset({0, 4}), at("09:00")), 3 * DAY),
        (Weekly(frozenset({6, 0}), at("23:50", "00:05")), 15 * MINUTE),  # Sun 23:50 -> Mon 00:05
        (MonthlyNth(1, 0, at("09:00")), 28 * DAY),
        (MonthlyNth(LAST, 4, at("09:00", "09:20")), 20 * MINUTE),
        (MonthlyDay(31, at("09:00")), 31 * DAY),  # Jul 31 -> Aug 31
        (MonthlyDay(30, at("09:00")), 30 * DAY),
        (MonthlyDay(LAST_DAY, at("09:00")), 28 * DAY),
        (MonthlyDay(LAST_WEEKDAY, at("09:00")), 28 * DAY),
        (Interval(timedelta(minutes=20), utc("2026-01-01T00:00Z")), 20 * MINUTE),
        (Once(datetime(2026, 1, 1, 9)), None),
        (Daily(()), None),
    ],
)
def test_min_gap(form: Form, gap: timedelta | None) -> None:
    assert min_gap(form) == gap


NY = ZoneInfo("America/New_York")


def test_never_fires() -> None:
    assert not never_fires(Timing(Cron("0 0 * 2 MON#5"), NY))  # first in 2044
    assert not never_fires(Timing(Daily(at("09:00")), NY))
    # A window that closes before the first fire.
    window = Timing(
        Daily(at("09:00")), NY, start=utc("2026-01-01T15:00Z"), until=utc("2026-01-02T13:00Z")
    )
    assert never_fires(window)
    # Once: before/after its own time.
    once = Timing(Once(datetime(2026, 1, 1, 9)), NY)
    assert not never_fires(once)
    assert never_fires(once, after=utc("2026-01-01T14:00Z"))
    assert not never_fires(once, after=utc("2026-01-01T13:59Z"))


def test_never_fires_when_every_fire_is_skipped() -> None:
    weekend_only = Timing(Weekly(frozenset({5, 6}), at("09:00")), NY, closed=Weekends())
    assert never_fires(weekend_only)
    weekdays_too = Timing(Weekly(frozenset({4, 5, 6}), at("09:00")), NY, closed=Weekends())
    assert not never_fires(weekdays_too)
    # A minutely cron on weekends only, all skipped: checked day by day, not minute by minute.
    minutely = Timing(
        Cron("* * * * SAT,SUN"), NY, closed=Weekends(), until=utc("2027-01-01T00:00Z")
    )
    assert never_fires(minutely)


def test_never_fires_respects_closed_dates_inside_window() -> None:
    day = date(2026, 3, 2)
    closed = ClosedDates("audit", frozenset({day}))
    timing = Timing(
        Daily(at("09:00")),
        NY,
        closed=closed,
        start=utc("2026-03-02T00:00Z"),
        until=utc("2026-03-03T00:00Z"),
    )
    assert never_fires(timing)
