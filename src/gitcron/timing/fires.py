"""When a schedule fires: readings -> instants -> ordered fires, with window and calendars.

The planner asks this for every schedule on every tick; everything here is lazy, so asking
for the next fire only looks a few hours (or one closed stretch) back from `after`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gitcron.errors import TimingError
from gitcron.timing.cronexpr import parse_cron
from gitcron.timing.localize import first_instant, local_naive, localize
from gitcron.timing.named import LAST_YEAR, iter_named
from gitcron.timing.spec import MAX_CALENDAR_MOVE, ClosedDays, Cron, Fire, Interval, Timing

# Wall clocks jump at most 2 h at a transition (Antarctica/Troll), so readings that start
# 3 h before `after`'s wall-clock time cannot miss an instant after `after`.
DST_MARGIN = timedelta(hours=3)
_LOOK_BACK = (timedelta(hours=2), timedelta(days=2), timedelta(days=9), timedelta(days=367))
SEARCH_HORIZON = timedelta(days=365 * 50 + 12)  # next_fires gives up after 50 years
_ONE_DAY = timedelta(days=1)
_TINY = timedelta(microseconds=1)

# (naive wall-clock reading, monotonic key or None, instants it fires at)
Reading = tuple[datetime, datetime | None, tuple[datetime, ...]]
# (at, 0 = regular / 1 = moved, nominal, sequence, closed reason); ties prefer regular fires
_Entry = tuple[datetime, int, datetime, int, str | None]


def iter_fires(timing: Timing, after: datetime) -> Iterator[Fire]:
    """Every fire strictly after `after`, ordered, including calendar-skipped ones (flagged)."""
    if after.tzinfo is None:
        raise ValueError("iter_fires needs an aware `after` datetime")
    lower = after.astimezone(UTC)
    if timing.start is not None and timing.start.astimezone(UTC) - _TINY > lower:
        lower = timing.start.astimezone(UTC) - _TINY
    scan_from = lower
    if timing.closed is not None and timing.on_closed == "next-open-day":
        scan_from = _closed_stretch_start(timing.closed, timing, lower)
    return _merge(timing, lower, scan_from)


def next_fires(timing: Timing, after: datetime, n: int) -> list[Fire]:
    """The next `n` runnable fires (closed days skipped), fewer if none within 50 years."""
    found: list[Fire] = []
    if n <= 0:
        return found
    horizon = horizon_after(after)
    for fire in iter_fires(timing, after):
        if fire.at > horizon:
            break
        if fire.closed is None:
            found.append(fire)
            if len(found) == n:
                break
    return found


def previous_fire(timing: Timing, before: datetime) -> datetime | None:
    """The last runnable fire before `before`: the start of a run's data interval (the tick's,
    and validate's rehearsal of it)."""
    for span in _LOOK_BACK:
        found = None
        for fire in iter_fires(timing, before - span):
            if fire.at >= before:
                break
            if fire.closed is None:
                found = fire.at
        if found is not None:
            return found
    return None


def horizon_after(moment: datetime) -> datetime:
    """`moment` plus the 50-year search horizon, clamped to the last representable instant."""
    if moment.year >= LAST_YEAR - 51:
        return datetime.max.replace(tzinfo=UTC)
    return moment + SEARCH_HORIZON


def _readings(timing: Timing, scan_from: datetime) -> Iterator[Reading]:
    """The form's readings from a little before `scan_from`, with their instants."""
    form, zone = timing.form, timing.zone
    if isinstance(form, Interval):
        yield from _interval_readings(form, timing, scan_from)
        return
    start = local_naive(scan_from, zone)
    if _offset(scan_from - DST_MARGIN, zone) != _offset(scan_from + DST_MARGIN, zone):
        start -= DST_MARGIN  # a transition is near: earlier readings may land after scan_from
    if isinstance(form, Cron):
        parsed = parse_cron(form.expr)
        naive_readings, fixed = parsed.iter_naive(start), parsed.fixed
    else:
        naive_readings, fixed = iter_named(form, start), True
    for naive in naive_readings:
        key, instants = localize(naive, zone, fixed)
        yield naive, key, instants


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta | None:
    """The zone's UTC offset at an instant."""
    return instant.astimezone(zone).utcoffset()


def _interval_readings(form: Interval, timing: Timing, scan_from: datetime) -> Iterator[Reading]:
    """anchor + k * every for every k whose instant is at or after the one before `scan_from`."""
    if form.every <= timedelta(0):
        raise TimingError(f"an interval must be positive, got {form.every}")
    anchor = form.anchor.astimezone(UTC)
    instant = anchor + ((scan_from - anchor) // form.every) * form.every
    while instant.year <= LAST_YEAR:
        yield local_naive(instant, timing.zone), instant, (instant,)
        instant += form.every


def _closed_stretch_start(closed: ClosedDays, timing: Timing, lower: datetime) -> datetime:
    """Where to start reading so every fire that moves past `lower` is seen.

    Those are the fires of the closed stretch that contains `lower`'s day, or, when that day
    is open, of the closed stretch that ends the day before (they move onto `lower`'s day).
    """
    day = lower.astimezone(timing.zone).date()
    if closed.reason(day) is None:
        day -= _ONE_DAY
    steps = 0
    while steps <= MAX_CALENDAR_MOVE.days and closed.reason(day) is not None:
        day -= _ONE_DAY
        steps += 1
    if steps == 0:
        return lower
    return min(lower, first_instant(datetime.combine(day + _ONE_DAY, time()), timing.zone))


class _Mover:
    """Moves a closed day's fire to the same wall-clock time on the next open day."""

    def __init__(self, closed: ClosedDays, timing: Timing) -> None:
        self.closed = closed
        self.zone = timing.zone
        self.open_after: dict[date, date] = {}

    def move(self, naive: datetime, closed_day: date) -> datetime:
        """The moved instant (gap/overlap rule applied again), or TimingError if none in reach."""
        target = self.open_after.get(closed_day)
        if target is None:
            target = self._next_open(closed_day, naive)
            self.open_after[closed_day] = target
        return first_instant(datetime.combine(target, naive.time()), self.zone)

    def _next_open(self, closed_day: date, naive: datetime) -> date:
        """The first open day after `closed_day`, at most MAX_CALENDAR_MOVE later."""
        for offset in range(1, MAX_CALENDAR_MOVE.days + 1):
            candidate = closed_day + timedelta(days=offset)
            if self.closed.reason(candidate) is None:
                return candidate
        raise TimingError(
            f"the {naive:%H:%M} run of {closed_day} falls on a closed day "
            f"({self.closed.reason(closed_day)}) and no open day follows within "
            f"{MAX_CALENDAR_MOVE.days} days",
            hint="use on_closed: skip, or check the schedule's closed-days calendar",
        )


def _merge(timing: Timing, lower: datetime, scan_from: datetime) -> Iterator[Fire]:
    """Order, deduplicate and window the fires; skip or move those on closed days."""
    until = timing.until.astimezone(UTC) if timing.until is not None else None
    last = lower
    for at, _rank, nominal, _seq, reason in _settled(timing, lower, scan_from, until):
        if until is not None and at >= until:
            return
        if at > last:
            last = at
            yield Fire(at, nominal, reason)


def _settled(
    timing: Timing, lower: datetime, scan_from: datetime, until: datetime | None
) -> Iterator[_Entry]:
    """Every fire's entry in time order, each given once no later reading can come before it."""
    closed, zone = timing.closed, timing.zone
    mover = _Mover(closed, timing) if closed and timing.on_closed == "next-open-day" else None
    heap: list[_Entry] = []
    sequence = 0
    for naive, key, instants in _readings(timing, scan_from):
        if key is None:
            continue
        # Later readings only give instants >= key, so everything before key is final.
        while heap and heap[0][0] < key:
            yield heapq.heappop(heap)
        if until is not None and key >= until:
            break
        for instant in instants:
            if instant <= lower and mover is None:
                continue
            reason = closed.reason(instant.astimezone(zone).date()) if closed else None
            sequence += 1
            if reason is None:
                heapq.heappush(heap, (instant, 0, instant, sequence, None))
            elif mover is None:
                heapq.heappush(heap, (instant, 0, instant, sequence, reason))
            else:
                day = instant.astimezone(zone).date()
                heapq.heappush(heap, (mover.move(naive, day), 1, instant, sequence, None))
    while heap:
        yield heapq.heappop(heap)
