"""Where an `every:` schedule counts from: one rule for the tick and for all that foretells it.

An interval fires at anchor + k * every. The anchor is `active.from` when the file sets one, else
the local midnight (by the timing engine's gap rule) of the day the schedule was first seen by a
tick: `first_seen` in its committed state, which never changes after. The tick plans from that
state; `gitcron next`, the preview and validate must list the fires the tick will run, so they
read the same state, and for a schedule no tick has seen yet they take the instant the first tick
that will see it is expected (`expected_first_tick`), as the planner will set `first_seen` then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.config.fields import zone
from gitcron.errors import GitcronError
from gitcron.state import ScheduleState, StateStore
from gitcron.timing.localize import first_instant

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule

FirstSeenOf = Callable[[str], datetime]  # schedule id -> when a tick first saw it, or will
_UNREADABLE = (GitcronError, OSError, ValueError)  # a damaged file, a folder, a bad name


def interval_anchor(zone_key: str, start: datetime | None, first_seen: datetime) -> datetime:
    """`start` (active.from) if set, else the local midnight of `first_seen`'s local day."""
    if start is not None:
        return start
    tz = zone(zone_key)
    return first_instant(datetime.combine(first_seen.astimezone(tz).date(), time()), tz)


def expected_first_tick(now: datetime, last_tick: datetime | None, period: timedelta) -> datetime:
    """When the first tick that sees a schedule not yet in state is expected to run.

    Ticks come every `period` (gitcron.yaml's `tick`): the next is due one period after the
    last one (state/tick.json), and is not before `now`; with no tick yet, a tick now.
    """
    if last_tick is None:
        return now
    return max(now, last_tick + period)


def first_seen_for(
    sid: str, schedule: Schedule, first_seen: FirstSeenOf | None, now: datetime
) -> datetime:
    """`first_seen(sid)` when the schedule's fires depend on it (`every:` without from).

    Other schedules get `now`, which nothing reads, so state is read only when it matters; with
    no `first_seen` to ask, `now` is the answer for a schedule that a tick at `now` first sees.
    """
    active = schedule.active
    if first_seen is None or schedule.schedule.every is None or (active and active.start):
        return now
    return first_seen(sid)


class FirstSeen:
    """Each schedule's `first_seen` as the tick has it in state/, or will give it; `sid -> instant`.

    State is read on the first question, each customer file once. Unreadable state counts as
    none: `gitcron state check` is where it is reported.
    """

    def __init__(self, root: Path, now: datetime, period: timedelta) -> None:
        self._store = StateStore(root)
        self._now = now
        self._period = period
        self._expected: datetime | None = None
        self._customers: dict[str, dict[str, ScheduleState]] = {}

    def __call__(self, sid: str) -> datetime:
        customer, _, name = sid.partition("/")
        state = self._customer(customer).get(name)
        if state is not None:
            return state.first_seen
        if self._expected is None:
            try:
                last_tick = self._store.load_tick()
            except _UNREADABLE:
                last_tick = None
            self._expected = expected_first_tick(self._now, last_tick, self._period)
        return self._expected

    def _customer(self, customer: str) -> dict[str, ScheduleState]:
        if customer not in self._customers:
            try:
                self._customers[customer] = self._store.load_customer(customer)
            except _UNREADABLE:
                self._customers[customer] = {}
        return self._customers[customer]
