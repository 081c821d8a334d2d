"""Property tests: over random zones, forms, calendars and start instants in 2020-2035.

The oracle here is deliberately independent of the engine: it walks real UTC minutes and asks
"does this instant's wall-clock reading match the form?", then applies the gap/overlap rules
from their plain definition (fold 0 only for fixed times; the transition instant for a gap).
"""

from __future__ import annotations

import calendar
import itertools
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from cronsim import CronSim
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitcron.timing import (
    LAST,
    LAST_DAY,
    LAST_WEEKDAY,
    ClosedDates,
    ClosedDays,
    Cron,
    Daily,
    Fire,
    Form,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekends,
    Weekly,
    iter_fires,
    next_fires,
)

ZONES = [
    "America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney",
    "Australia/Lord_Howe", "America/Santiago", "Europe/Dublin", "Asia/Tehran",
    "Pacific/Chatham", "Antarctica/Troll", "America/Havana", "Asia/Gaza", "Africa/Casablanca",
    "America/St_Johns", "America/Nuuk", "Asia/Kolkata", "UTC",
]  # fmt: skip
MINUTE = timedelta(minutes=1)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def transitions(zone_name: str) -> tuple[datetime, ...]:
    """Every offset change of a zone in 2020-2035 (day scan, then bisection to the second)."""
    zone = ZoneInfo(zone_name)
    found: list[datetime] = []
    moment = datetime(2020, 1, 1, tzinfo=UTC)
    while moment.year < 2036:
        following = moment + timedelta(days=1)
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        moment = following
    return tuple(found)


# ---------------------------------------------------------------- strategies

clock_times = st.builds(
    time,
    hour=st.one_of(st.sampled_from([0, 1, 2, 3, 23]), st.integers(0, 23)),
    minute=st.sampled_from([0, 15, 30, 45, 1, 59, 10]),
)
time_tuples = st.lists(clock_times, min_size=1, max_size=3, unique=True).map(
    lambda ts: tuple(sorted(ts))
)
CRON_EXPRS = [
    "0 2 * * *", "30 1 * * *", "0 0 * * *", "30 23 * * *", "0 1-5 * * *", "0,30 2 * * 1-5",
    "*/15 * * * *", "0 * * * *", "*/30 1,2 * * *", "0 */3 * * *", "*/20 2 * * 0", "45 2 * * 0#1",
    "15 3 * * 5L", "0 0 L * *", "30 2 LW * *", "0 10 1-7 * 1", "0 0 8-9 * 0#2", "0 0 */2 * 1",
    "59/15 23 * * *", "0 12 29 2 *", "30 0 31 * *",
]  # fmt: skip
forms: st.SearchStrategy[Form] = st.one_of(
    st.builds(Daily, time_tuples),
    st.builds(Weekly, st.frozensets(st.integers(0, 6), min_size=1), time_tuples),
    st.builds(MonthlyNth, st.sampled_from([1, 2, 3, 4, LAST]), st.integers(0, 6), time_tuples),
    st.builds(
        MonthlyDay,
        st.one_of(st.integers(1, 31), st.sampled_from([LAST_DAY, LAST_WEEKDAY])),
        time_tuples,
    ),
    st.builds(Cron, st.sampled_from(CRON_EXPRS)),
)


@st.composite
def instants(draw: st.DrawFn, zone_name: str) -> datetime:
    """A start instant in 2020-2035, often a few hours before one of the zone's transitions."""
    shift = timedelta(minutes=draw(st.one_of(st.integers(-8 * 60, 2 * 60), st.integers(-90, 90))))
    known = transitions(zone_name)
    if known and draw(st.booleans()):
        return draw(st.sampled_from(known)) + shift
    stamp = draw(
        st.integers(
            int(datetime(2020, 1, 1, tzinfo=UTC).timestamp()),
            int(datetime(2035, 6, 1, tzinfo=UTC).timestamp()),
        )
    )
    return datetime.fromtimestamp(stamp - stamp % 60, UTC)


@st.composite
def timings(draw: st.DrawFn, with_calendar: bool) -> tuple[Timing, datetime]:
    """A random timing (optionally with a closed-days calendar) and a start instant."""
    zone_name = draw(st.sampled_from(ZONES))
    after = draw(instants(zone_name))
    form = draw(
        st.one_of(
            forms,
            st.builds(
                Interval,
                st.sampled_from([timedelta(minutes=m) for m in (15, 45, 90, 720, 1500)]),
                st.just(after - timedelta(minutes=draw(st.integers(0, 3000)))),
            ),
        )
    )
    closed: ClosedDays | None = None
    if with_calendar:
        start = after.date()
        extra = draw(st.frozensets(st.integers(-3, 20), max_size=6))
        listed = ClosedDates("random", frozenset(start + timedelta(days=d) for d in extra))
        closed = draw(st.sampled_from([Weekends(), listed, _Both(listed)]))
    on_closed = draw(st.sampled_from(["skip", "next-open-day"]))
    return Timing(form, ZoneInfo(zone_name), closed=closed, on_closed=on_closed), after


class _Both:
    """Weekends plus a date list (a ClosedDays written out by hand, independent of AnyClosed)."""

    def __init__(self, listed: ClosedDates) -> None:
        self.listed = listed

    def reason(self, day: date) -> str | None:
        if day.weekday() >= 5:
            return "weekend"
        return "listed" if day in self.listed.dates else None


# ---------------------------------------------------------------- the oracle


def reading_matches(form: Form, reading: datetime) -> bool:
    """Does a naive wall-clock reading belong to the form? (plain definitions, no engine code)"""
    clock = reading.time()
    day = reading.date()
    if isinstance(form, Daily):
        return clock in form.times
    if isinstance(form, Weekly):
        return clock in form.times and day.weekday() in form.days
    if isinstance(form, MonthlyNth):
        same = [
            d
            for d in range(1, 32)
            if _valid(day.year, day.month, d)
            and date(day.year, day.month, d).weekday() == form.weekday
        ]
        wanted = same[-1] if form.nth == LAST else same[form.nth - 1]
        return clock in form.times and day.weekday() == form.weekday and day.day == wanted
    if isinstance(form, MonthlyDay):
        length = calendar.monthrange(day.year, day.month)[1]
        if form.day == LAST_DAY:
            wanted = length
        elif form.day == LAST_WEEKDAY:
            wanted = max(
                d
                for d in range(length - 2, length + 1)
                if date(day.year, day.month, d).weekday() < 5
            )
        else:
            wanted = form.day
        return clock in form.times and day.day == wanted
    if isinstance(form, Cron):
        return next(CronSim(form.expr, reading - MINUTE)) == reading
    if isinstance(form, Once):
        return reading == form.at
    raise AssertionError(form)


def _valid(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


def is_fixed(form: Form) -> bool:
    if isinstance(form, Cron):
        minute, hour = form.expr.split()[:2]
        return not minute.startswith("*") and not hour.startswith("*")
    return True


def oracle(form: Form, zone: ZoneInfo, after: datetime, end: datetime) -> list[datetime]:
    """All fires in (after, end], minute by minute in real time."""
    found: list[datetime] = []
    fixed = is_fixed(form)
    moment = after.replace(second=0, microsecond=0) + MINUTE
    while moment <= end:
        wall = moment.astimezone(zone)
        reading = wall.replace(tzinfo=None, fold=0)
        matches = reading_matches(form, reading) and (wall.fold == 0 or not fixed)
        if matches or (fixed and _gap_covered(form, moment, zone)):
            found.append(moment)
        moment += MINUTE
    return found


def _gap_covered(form: Form, moment: datetime, zone: ZoneInfo) -> bool:
    """`moment` ends a gap (the clock jumped forward) and a form reading fell inside it."""
    before = (moment - timedelta(seconds=1)).astimezone(zone).utcoffset()
    wall = moment.astimezone(zone)
    now = wall.utcoffset()
    assert before is not None
    assert now is not None
    if now <= before:
        return False
    reading = wall.replace(tzinfo=None) - (now - before)  # the first missing reading
    while reading < wall.replace(tzinfo=None):
        if reading_matches(form, reading):
            return True
        reading += MINUTE
    return False


# ---------------------------------------------------------------- properties


@pytest.mark.slow
@SETTINGS
@given(forms, st.sampled_from(ZONES), st.data())
def test_fires_match_an_independent_minute_by_minute_oracle(
    form: Form, zone_name: str, data: st.DataObject
) -> None:
    after = data.draw(instants(zone_name))
    zone = ZoneInfo(zone_name)
    end = after + timedelta(hours=30)
    got = [
        f.at
        for f in itertools.takewhile(lambda f: f.at <= end, iter_fires(Timing(form, zone), after))
    ]
    assert got == oracle(form, zone, after, end)


@SETTINGS
@given(timings(with_calendar=True))
def test_fires_increase_and_respect_calendars(case: tuple[Timing, datetime]) -> None:
    timing, after = case
    fires = list(itertools.islice(iter_fires(timing, after), 40))
    assert all(a.at < b.at for a, b in itertools.pairwise(fires))
    assert all(f.at > after for f in fires)
    assert all(f.at.tzinfo is UTC for f in fires)
    closed = timing.closed
    assert closed is not None
    for fire in fires:
        day = fire.at.astimezone(timing.zone).date()
        if fire.closed is None:
            assert closed.reason(day) is None, fire  # never runnable on a closed day
        else:
            assert timing.on_closed == "skip"
            assert fire.closed == closed.reason(day)
            assert fire.at == fire.nominal
        if fire.at != fire.nominal:
            _check_move(timing, fire)


def _check_move(timing: Timing, fire: Fire) -> None:
    """A moved fire: nominal day closed, the days between closed, same wall-clock time."""
    closed = timing.closed
    assert closed is not None
    assert timing.on_closed == "next-open-day"
    nominal_day = fire.nominal.astimezone(timing.zone).date()
    moved_day = fire.at.astimezone(timing.zone).date()
    assert closed.reason(nominal_day) is not None
    assert nominal_day < moved_day
    for offset in range(1, (moved_day - nominal_day).days):
        assert closed.reason(nominal_day + timedelta(days=offset)) is not None
    if not isinstance(timing.form, Interval):
        nominal_clock = fire.nominal.astimezone(timing.zone).time()
        moved_clock = fire.at.astimezone(timing.zone).time()
        # Equal, unless a gap moved one of the two readings to the end of the gap.
        if nominal_clock != moved_clock:
            assert _at_gap_end(fire.at, timing.zone) or _at_gap_end(fire.nominal, timing.zone)


def _at_gap_end(instant: datetime, zone: ZoneInfo) -> bool:
    """The instant is a forward transition (the clock jumped right before it)."""
    before = (instant - timedelta(seconds=1)).astimezone(zone).utcoffset()
    now = instant.astimezone(zone).utcoffset()
    assert before is not None
    assert now is not None
    return now > before


@SETTINGS
@given(timings(with_calendar=False), st.booleans())
def test_next_fire_after_each_fire_is_the_following_fire(
    case: tuple[Timing, datetime], calendar_on: bool
) -> None:
    timing, after = case
    if calendar_on:
        timing = Timing(timing.form, timing.zone, closed=Weekends(), on_closed=timing.on_closed)
    runnable = next_fires(timing, after, 12)
    for current, following in itertools.pairwise(runnable):
        assert next_fires(timing, current.at, 1) == [following]


@SETTINGS
@given(timings(with_calendar=True))
def test_resuming_iteration_from_any_fire_gives_the_same_sequence(
    case: tuple[Timing, datetime],
) -> None:
    timing, after = case
    fires = list(itertools.islice(iter_fires(timing, after), 25))
    for k in (0, len(fires) // 2):
        if k < len(fires):
            resumed = list(itertools.islice(iter_fires(timing, fires[k].at), len(fires) - k - 1))
            assert resumed == fires[k + 1 :]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ZONES), st.data(), st.integers(-90, 150))
def test_once_fires_exactly_once(zone_name: str, data: st.DataObject, shift: int) -> None:
    moment = data.draw(instants(zone_name))
    zone = ZoneInfo(zone_name)
    # A reading near the moment's wall clock, possibly inside a gap or an overlap.
    reading = moment.astimezone(zone).replace(tzinfo=None, fold=0) + timedelta(minutes=shift)
    window = (moment - timedelta(days=1), moment + timedelta(days=1))
    fires = list(iter_fires(Timing(Once(reading), zone), window[0]))
    assert [f.at for f in fires] == oracle(Once(reading), zone, *window)
    assert len(fires) == 1
