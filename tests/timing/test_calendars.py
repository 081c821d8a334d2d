"""Closed-day calendars: skipped fires are flagged, next-open-day moves and merges them.

Dates: 2026-01-02 is a Friday; 2026-12-25 (Christmas, US holiday) is a Friday;
2026-11-26 is Thanksgiving (Thursday). New York is EST (UTC-5) in winter.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from gitcron.errors import TimingError
from gitcron.timing import (
    MAX_CALENDAR_MOVE,
    AnyClosed,
    ClosedDates,
    Cron,
    Daily,
    Fire,
    Holidays,
    Interval,
    Timing,
    Weekends,
    holiday_country_problem,
    iter_fires,
    next_fires,
)

from .helpers import at, fires, iso, utc

NY = ZoneInfo("America/New_York")


def listed(timing: Timing, after: str, n: int) -> list[tuple[str, str, str | None]]:
    """(at, nominal, closed) of the first n fires, runnable or not."""
    return [
        (iso(f.at), iso(f.nominal), f.closed)
        for f in itertools.islice(iter_fires(timing, utc(after)), n)
    ]


def test_weekend_skip_is_flagged_not_dropped() -> None:
    timing = Timing(Daily(at("09:00")), NY, closed=Weekends())
    assert listed(timing, "2026-01-02T00:00Z", 4) == [
        ("2026-01-02T14:00Z", "2026-01-02T14:00Z", None),  # Fri
        ("2026-01-03T14:00Z", "2026-01-03T14:00Z", "weekend"),  # Sat
        ("2026-01-04T14:00Z", "2026-01-04T14:00Z", "weekend"),  # Sun
        ("2026-01-05T14:00Z", "2026-01-05T14:00Z", None),  # Mon
    ]
    # next_fires only returns runnable ones.
    assert fires(timing, "2026-01-02T15:00Z", 1) == ["2026-01-05T14:00Z"]


def test_weekend_next_open_day_moves_and_merges() -> None:
    # Daily 09:00: Saturday's and Sunday's runs move to Monday 09:00, which already has a
    # run; the three merge into one (the regular Monday fire, nominal == at).
    timing = Timing(Daily(at("09:00")), NY, closed=Weekends(), on_closed="next-open-day")
    assert listed(timing, "2026-01-02T00:00Z", 3) == [
        ("2026-01-02T14:00Z", "2026-01-02T14:00Z", None),
        ("2026-01-05T14:00Z", "2026-01-05T14:00Z", None),
        ("2026-01-06T14:00Z", "2026-01-06T14:00Z", None),
    ]


def test_moved_fire_keeps_its_nominal_and_is_found_after_the_closed_day() -> None:
    # Saturdays only: each moves to Monday 09:00, nominal stays Saturday.
    timing = Timing(Cron("0 9 * * SAT"), NY, closed=Weekends(), on_closed="next-open-day")
    expected = [("2026-01-05T14:00Z", "2026-01-03T14:00Z", None)]
    assert listed(timing, "2026-01-02T00:00Z", 1) == expected
    # Asked later on Saturday or on Sunday (after the nominal instant) it is still ahead.
    assert listed(timing, "2026-01-03T15:00Z", 1) == expected
    assert listed(timing, "2026-01-04T12:00Z", 1) == expected
    assert listed(timing, "2026-01-05T13:59Z", 1) == expected
    assert listed(timing, "2026-01-05T14:00Z", 1) == [
        ("2026-01-12T14:00Z", "2026-01-10T14:00Z", None)
    ]


def test_moved_fire_orders_among_regular_fires() -> None:
    # Daily 18:00 and 08:00; Saturday/Sunday 18:00 move to Monday 18:00, after Monday 08:00.
    timing = Timing(Cron("0 8,18 * * *"), NY, closed=Weekends(), on_closed="next-open-day")
    assert listed(timing, "2026-01-02T14:00Z", 4) == [
        ("2026-01-02T23:00Z", "2026-01-02T23:00Z", None),  # Fri 18:00
        ("2026-01-05T13:00Z", "2026-01-05T13:00Z", None),  # Mon 08:00 (Sat/Sun 08:00 merged)
        ("2026-01-05T23:00Z", "2026-01-05T23:00Z", None),  # Mon 18:00 (Sat/Sun 18:00 merged)
        ("2026-01-06T13:00Z", "2026-01-06T13:00Z", None),
    ]


def test_moved_fire_uses_the_same_wall_clock_time_across_dst() -> None:
    # Saturday 2026-03-07 09:00 EST is closed; Monday 2026-03-09 09:00 is EDT (13:00Z).
    timing = Timing(Cron("0 9 * * SAT"), NY, closed=Weekends(), on_closed="next-open-day")
    assert listed(timing, "2026-03-06T00:00Z", 1) == [
        ("2026-03-09T13:00Z", "2026-03-07T14:00Z", None)
    ]


def test_interval_moves_to_the_same_wall_clock_time() -> None:
    # Every 12 h from Fri 2026-01-02 12:00 EST: Sat/Sun 00:00 and 12:00 move to Mon 00:00/12:00.
    timing = Timing(
        Interval(timedelta(hours=12), utc("2026-01-02T17:00Z")),
        NY,
        closed=Weekends(),
        on_closed="next-open-day",
    )
    assert listed(timing, "2026-01-02T16:00Z", 4) == [
        ("2026-01-02T17:00Z", "2026-01-02T17:00Z", None),  # Fri 12:00
        ("2026-01-05T05:00Z", "2026-01-05T05:00Z", None),  # Mon 00:00 (+ Sat/Sun 00:00)
        ("2026-01-05T17:00Z", "2026-01-05T17:00Z", None),  # Mon 12:00 (+ Sat/Sun 12:00)
        ("2026-01-06T05:00Z", "2026-01-06T05:00Z", None),
    ]


def test_us_holiday() -> None:
    timing = Timing(Daily(at("09:00")), NY, closed=Holidays("US"))
    assert listed(timing, "2026-12-24T15:00Z", 2) == [
        ("2026-12-25T14:00Z", "2026-12-25T14:00Z", "holiday: Christmas Day (US)"),
        ("2026-12-26T14:00Z", "2026-12-26T14:00Z", None),
    ]
    assert Holidays("US").reason(date(2026, 11, 26)) == "holiday: Thanksgiving Day (US)"
    assert Holidays("US", "NY").reason(date(2026, 2, 12)) == "holiday: Lincoln's Birthday (US-NY)"
    assert Holidays("US").reason(date(2026, 2, 12)) is None


def test_holidays_and_weekends_next_open_day() -> None:
    # Christmas Fri 2026-12-25 + weekend: the Friday run moves to Monday 12-28.
    closed = AnyClosed((Weekends(), Holidays("US")))
    timing = Timing(Cron("0 9 * * FRI"), NY, closed=closed, on_closed="next-open-day")
    assert listed(timing, "2026-12-20T00:00Z", 2) == [
        ("2026-12-28T14:00Z", "2026-12-25T14:00Z", None),
        ("2027-01-04T14:00Z", "2027-01-01T14:00Z", None),
    ]  # 2027-01-01 (New Year's Day, a Friday) also moves, to Monday 2027-01-04


def test_named_closed_dates() -> None:
    shutdown = ClosedDates("year-end shutdown", frozenset({date(2026, 12, 29), date(2026, 12, 30)}))
    assert shutdown.reason(date(2026, 12, 29)) == "closed: year-end shutdown"
    assert shutdown.reason(date(2026, 12, 31)) is None
    timing = Timing(Daily(at("09:00")), NY, closed=shutdown)
    assert [
        f.closed for f in itertools.islice(iter_fires(timing, utc("2026-12-28T15:00Z")), 3)
    ] == [
        "closed: year-end shutdown",
        "closed: year-end shutdown",
        None,
    ]
    assert fires(timing, "2026-12-28T15:00Z", 1) == ["2026-12-31T14:00Z"]


def test_any_closed_first_reason_wins() -> None:
    closed = AnyClosed((Holidays("US"), Weekends()))
    assert closed.reason(date(2027, 12, 25)) == "holiday: Christmas Day (US)"  # a Saturday
    assert closed.reason(date(2027, 12, 26)) == "weekend"
    assert closed.reason(date(2027, 12, 27)) is None


def test_no_runnable_fire_on_closed_day_in_a_year_of_fires() -> None:
    closed = AnyClosed((Weekends(), Holidays("US")))
    for mode in ("skip", "next-open-day"):
        timing = Timing(Cron("30 7 * * *"), NY, closed=closed, on_closed=mode)  # type: ignore[arg-type]
        runnable = next_fires(timing, utc("2026-01-01T00:00Z"), 250)
        assert len(runnable) == 250
        assert all(closed.reason(f.at.astimezone(NY).date()) is None for f in runnable)
        assert all(a.at < b.at for a, b in itertools.pairwise(runnable))


def test_gives_up_after_max_calendar_move() -> None:
    every_day = ClosedDates(
        "closed", frozenset(date(2026, 1, 1) + timedelta(days=d) for d in range(60))
    )
    timing = Timing(Daily(at("09:00")), NY, closed=every_day, on_closed="next-open-day")
    with pytest.raises(
        TimingError, match=f"no open day follows within {MAX_CALENDAR_MOVE.days} days"
    ):
        next_fires(timing, utc("2026-01-01T00:00Z"), 1)


def test_moved_within_max_calendar_move() -> None:
    # Closed for 30 days (Jan 1-30): Jan 1's run moves to Jan 31 and all others merge into it.
    thirty = ClosedDates(
        "closed", frozenset(date(2026, 1, 1) + timedelta(days=d) for d in range(30))
    )
    timing = Timing(Daily(at("09:00")), NY, closed=thirty, on_closed="next-open-day")
    first = next_fires(timing, utc("2026-01-01T00:00Z"), 2)
    assert first == [
        Fire(utc("2026-01-31T14:00Z"), utc("2026-01-31T14:00Z")),
        Fire(utc("2026-02-01T14:00Z"), utc("2026-02-01T14:00Z")),
    ]


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("US", None),
        ("US-NY", None),
        ("GB-ENG", None),
        ("gb-eng", None),
        (
            "UK",
            "unknown holiday country 'UK' (use a two-letter code like US or GB);"
            " did you mean GB (United Kingdom)?",
        ),
        (
            "USA",
            "unknown holiday country 'USA' (use a two-letter code like US or GB);"
            " did you mean US (United States)?",
        ),
        ("US-ZZ", "unknown subdivision 'ZZ' of United States (US); close matches: US-AZ"),
        ("GB-ENGLAND", "write the subdivision as 'GB-ENG'"),
        ("IS-1", "Iceland (IS) has no subdivisions; use 'IS'"),
    ],
)
def test_holiday_country_problem(code: str, problem: str | None) -> None:
    assert holiday_country_problem(code) == problem


def test_unknown_holiday_country_is_rejected_early() -> None:
    with pytest.raises(TimingError, match="unknown holiday country 'XX'"):
        Holidays("XX")


def test_calendar_uses_the_local_date_of_the_instant() -> None:
    # America/Nuuk skips Sat 2026-03-28 23:00-23:59 (transition 2026-03-29T01:00Z, Sunday
    # 00:00 -01): a Saturday 23:30 run happens on Sunday, so Sunday's calendar decides.
    nuuk = ZoneInfo("America/Nuuk")
    sunday = ClosedDates("sunday", frozenset({date(2026, 3, 29)}))
    saturday = ClosedDates("saturday", frozenset({date(2026, 3, 28)}))
    on_sunday = Timing(Cron("30 23 * * SAT"), nuuk, closed=sunday)
    assert listed(on_sunday, "2026-03-28T12:00Z", 1) == [
        ("2026-03-29T01:00Z", "2026-03-29T01:00Z", "closed: sunday")
    ]
    on_saturday = Timing(Cron("30 23 * * SAT"), nuuk, closed=saturday)
    assert listed(on_saturday, "2026-03-28T12:00Z", 1) == [
        ("2026-03-29T01:00Z", "2026-03-29T01:00Z", None)
    ]


def test_moved_gap_fire_keeps_the_schedule_wall_clock_time() -> None:
    # New York gap 2026-03-08T07:00Z (Sunday): the 02:30 run fires at 03:00 EDT nominally,
    # and moves to Monday at 02:30 (EDT, 06:30Z), the schedule's own time.
    timing = Timing(Cron("30 2 * * SUN"), NY, closed=Weekends(), on_closed="next-open-day")
    assert listed(timing, "2026-03-07T00:00Z", 1) == [
        ("2026-03-09T06:30Z", "2026-03-08T07:00Z", None)
    ]
