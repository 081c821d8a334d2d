"""The two ends every tick shares, and what passes between them.

`prepare` loads schedules and state, folds in what a killed tick left, and plans; it writes
nothing, so `gitcron plan` uses it alone. `finish` leaves the plan's watermarks and next fires,
drops removed schedules, saves, prunes and stamps the tick. A scheduled tick (`tick.py`), a
manual trigger (`trigger.py`) and a replay of records made elsewhere (`replay.py`) differ only
in what happens between the two.

`Stop` is how a signal reaches a tick: the command's handler asks, the tick's workers look
before each step, and `finish` leaves the schedules a stopped tick did not get through as their
recorded steps left them, so the next tick plans what did not run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gitcron.catalog.cache import Views, load_views
from gitcron.catalog.entry import Entry
from gitcron.catalog.view import ScheduleView
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.engine.claims import abandon
from gitcron.engine.planner import plan
from gitcron.engine.plans import Plan, PlannedRun
from gitcron.engine.repository import StateRepository
from gitcron.errors import ScheduleNotFoundError
from gitcron.state import Record, StateError

OnRecord = Callable[[Record, ScheduleView], None]  # live output: each record as it is written
STOP_GRACE = 30.0  # seconds a stopped tick waits for its runs in progress before it gives up


class Stop:
    """A request to stop a tick between runs, made by a signal handler in the main thread.

    The first request stops new steps from starting; the runs in progress finish and are
    recorded. A second request, or `grace` seconds after the first, stops the waiting: those
    runs are left unrecorded. Plain attributes and no locks, because a handler may interrupt
    any line of the main thread, including another handler, and must never wait on a lock.

    Until the tick takes its first step (`started`), it has written nothing: it may still be
    waiting for another tick's lock, so a handler should abandon it at once instead of asking.
    """

    def __init__(self, grace: float = STOP_GRACE) -> None:
        self.grace = grace
        self.signal: int | None = None  # the first request's signal number
        self.started = False  # set by the tick, in the main thread, before its first step
        self.requested = False  # read by the workers before each step
        self._cut = False
        self._deadline: float | None = None

    def request(self, signal: int) -> None:
        """Stop starting steps; asked again, stop waiting for the ones in progress."""
        if self.requested:
            self._cut = True
            return
        self.signal = signal
        self._deadline = time.monotonic() + self.grace
        self.requested = True

    def given_up(self) -> bool:
        """Whether the tick stops waiting for its runs in progress: asked twice, or out of time."""
        if self._deadline is not None and time.monotonic() >= self._deadline:
            self._cut = True
        return self._cut


@dataclass(frozen=True)
class TickOptions:
    only: tuple[str, ...] = ()  # plan and run just these schedule ids (the tick file stays)
    dry_run: bool = False  # render into the outbox; no delivery, no state written
    outbox: Path | None = None  # deliver everything into this folder instead
    jobs: int = 4
    env: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep  # in-tick retry waits; tests pass a recorder
    stop: Stop | None = None  # set by a signal handler: no new step starts (see `Stop`)
    holder: str | None = None  # this tick's token in state/claims.json, when it claims (--push)


@dataclass
class TickResult:
    plan: Plan
    settings: Settings
    settings_problems: list[Problem]
    invalid: list[Entry]
    records: list[Record] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    state_problems: list[StateError] = field(default_factory=list)  # their customers did not run
    warnings: list[str] = field(default_factory=list)  # e.g. a notification that was not sent
    # a stopped tick: runs it did not start, and runs it stopped waiting for (not recorded)
    not_started: list[PlannedRun] = field(default_factory=list)
    cut: list[PlannedRun] = field(default_factory=list)

    @property
    def ran(self) -> list[Record]:
        return [r for r in self.records if r.status in ("succeeded", "partial", "failed")]


@dataclass
class Prepared:
    """A tick's inputs after reconciling: schedules, state, and the plan made from them."""

    loaded: Views
    views: list[ScheduleView]
    states: StateRepository
    last_tick: datetime | None
    plan: Plan
    held: list[str] = field(default_factory=list)  # schedules another tick's live claims hold

    def result(self) -> TickResult:
        """An empty result for this tick: what it planned, and what it could not load."""
        loaded = self.loaded
        result = TickResult(self.plan, loaded.settings, loaded.settings_problems, loaded.invalid)
        result.state_problems = list(self.states.broken.values())
        return result


def prepare(
    root: Path,
    now: datetime,
    only: tuple[str, ...] = (),
    *,
    replaying: bool = False,
    holder: str | None = None,
    manual: bool = False,
) -> Prepared:
    """Load schedules and state, fold in what a killed tick left, and plan; writes nothing.

    `replaying`: `now` is a past tick's instant, so state may hold later ones (not judged), and
    records made elsewhere are folded whoever claimed their runs. Otherwise a schedule another
    tick holds a live claim on is not planned (it is that tick's), and a missed fire whose claim
    expired is recorded abandoned (engine/claims.py); `holder` is this tick's own token. A
    `manual` run (a trigger) has a run id no claim holds: its schedule is planned whoever holds
    it."""
    loaded = load_views(root, now)
    views = _chosen(loaded, only)
    states = StateRepository(root, None if replaying else now)
    states.guard(views, loaded.settings)
    views = [v for v in views if v.customer not in states.broken]  # never planned from scratch
    states.reconcile(views)
    held = set() if replaying or manual else states.claims.held_elsewhere(holder, now)
    planned = [v for v in views if v.id not in held]
    again = {} if replaying else states.claims.taken_over(now, holder)
    the_plan = plan(planned, states.all(), states.last_tick, now, loaded.settings, again)
    the_plan = abandon(the_plan, states.claims.expired(now))
    return Prepared(loaded, views, states, states.last_tick, the_plan, sorted(held))


def finish(
    ready: Prepared,
    the_plan: Plan,
    now: datetime,
    *,
    whole: bool,
    left: Collection[str] = (),
    given_up: Collection[PlannedRun] = (),
) -> None:
    """Leave the plan's watermarks and next fires and save; a `whole` tick (not `--only`) also
    drops removed schedules, prunes history and stamps its instant.

    The schedules in `left` did not take every step (a stopped tick): each keeps the state its
    recorded steps left, since the plan's end would pass over fires that did not run, and the
    tick is not whole. Its instant is not stamped, so the next tick decides those fires against
    the same previous tick (a `catchup: none` fire is not taken for one a tick passed over). Its
    claims on the runs in `given_up` (not started) end, so the next tick runs them at once.
    """
    loaded = ready.loaded
    whole = whole and not left
    present = ({v.id for v in loaded.views} | {e.id for e in loaded.invalid}) if whole else None
    ready.states.end_claims((run.run_id, run.attempt) for run in given_up)
    parts = [p for p in the_plan.schedules if p.view.id not in left]
    ready.states.settle(parts, present, now)
    if whole:
        ready.states.stamp(now, loaded.settings.history.keep_months)


def _chosen(loaded: Views, only: tuple[str, ...]) -> list[ScheduleView]:
    if not only:
        return loaded.views
    by_id = {v.id: v for v in loaded.views}
    broken = {e.id for e in loaded.invalid}
    for sid in only:
        if sid not in by_id and sid not in broken:
            raise ScheduleNotFoundError(
                f"there is no schedule '{sid}'",
                "ids are paths under schedules/ without .yaml, e.g. acme-corp/weekly-products",
            )
    return [by_id[sid] for sid in only if sid in by_id]
