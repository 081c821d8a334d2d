"""The tick: load, reconcile, plan, run, record. Every step writes state so a crash loses nothing.

Order matters. Each record is appended to history (fsynced) and only then folded into its
customer's state file (atomic replace); a schedule's steps run in fire order. So after a kill at
any point, state plus the history since the last tick hold every run that happened, and the
next tick re-applies what state missed (`outcomes.fold`) before it plans.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from gitcron.catalog.build import closed_days_of
from gitcron.catalog.cache import Views, load_views
from gitcron.catalog.load import Entry, load_entry
from gitcron.catalog.view import ScheduleView
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.engine import notify, outcomes
from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.lock import tick_lock
from gitcron.engine.planner import Plan, PlannedRun, SchedulePlan, plan, previous_fire
from gitcron.errors import GitcronError, ScheduleNotFoundError
from gitcron.schedule import Schedule
from gitcron.state import (
    Record,
    ScheduleState,
    StateError,
    StateStore,
    iter_records,
    make_run_id,
)

OnRecord = Callable[[Record, ScheduleView], None]  # live output: each record as it is written


@dataclass(frozen=True)
class TickOptions:
    only: tuple[str, ...] = ()  # plan and run just these schedule ids (the tick file stays)
    dry_run: bool = False  # render into the outbox; no delivery, no state written
    outbox: Path | None = None  # deliver everything into this folder instead
    jobs: int = 4
    env: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep  # in-tick retry waits; tests pass a recorder


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

    @property
    def ran(self) -> list[Record]:
        return [r for r in self.records if r.status in ("succeeded", "partial", "failed")]


class States:
    """Every customer's schedule states, saved a customer file at a time, thread-safely."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.by_customer: dict[str, dict[str, ScheduleState]] = {}
        self.broken: dict[str, StateError] = {}  # customers whose file cannot be read: left alone
        for customer in store.customers():
            try:
                self.by_customer[customer] = store.load_customer(customer)
            except StateError as error:
                self.broken[customer] = error
        self.lock = threading.Lock()

    def get(self, sid: str) -> ScheduleState | None:
        customer, name = _split(sid)
        return self.by_customer.get(customer, {}).get(name)

    def all(self) -> dict[str, ScheduleState]:
        return {f"{c}/{n}": s for c, states in self.by_customer.items() for n, s in states.items()}

    def put(self, sid: str, state: ScheduleState | None, save: bool = True) -> None:
        customer, name = _split(sid)
        states = self.by_customer.setdefault(customer, {})
        if state is None:
            states.pop(name, None)
        else:
            states[name] = state
        if save:
            self.store.save_customer(customer, dict(sorted(states.items())))

    def record(self, view: ScheduleView, state: ScheduleState, record: Record) -> ScheduleState:
        """Append `record` to history, then fold it into the schedule's saved state."""
        with self.lock:
            self.store.append_history([record])
            state = outcomes.apply(state, record, view)
            self.put(view.id, state)
            return state


def _split(sid: str) -> tuple[str, str]:
    customer, _, name = sid.partition("/")
    return customer, name


@dataclass
class Prepared:
    """A tick's inputs after reconciling: schedules, state, and the plan made from them."""

    loaded: Views
    views: list[ScheduleView]
    store: StateStore
    states: States
    last_tick: datetime | None
    plan: Plan


def prepare(root: Path, now: datetime, only: tuple[str, ...] = ()) -> Prepared:
    """Load schedules and state, fold in what a killed tick left, and plan; writes nothing."""
    loaded = load_views(root, now)
    views = _chosen(loaded, only)
    store = StateStore(root)
    last_tick = store.load_tick()
    states = States(store)
    views = [v for v in views if v.customer not in states.broken]  # never planned from scratch
    _reconcile(states, views, root, last_tick)
    the_plan = plan(views, states.all(), last_tick, now, loaded.settings)
    return Prepared(loaded, views, store, states, last_tick, the_plan)


def run_tick(
    root: Path, now: datetime, options: TickOptions, on_record: OnRecord | None = None
) -> TickResult:
    """One tick at `now`; `on_record` sees each record as it is written (for live output)."""
    with tick_lock(root):
        ready = prepare(root, now, options.only)
        loaded, the_plan = ready.loaded, ready.plan
        result = TickResult(the_plan, loaded.settings, loaded.settings_problems, loaded.invalid)
        result.state_problems = list(ready.states.broken.values())
        env = RunEnv(
            root, loaded.settings, now, options.env, outbox=options.outbox, sleep=options.sleep
        )
        if options.dry_run:
            _dry_run(the_plan, result, env, on_record)
            return result
        _execute(the_plan, ready.states, result, env, options.jobs, on_record)
        finish_tick(the_plan, ready.states, loaded, options, ready.store, now)
        result.changed = ready.store.changed_files()
        return result


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


def _reconcile(
    states: States, views: Iterable[ScheduleView], root: Path, last_tick: datetime | None
) -> None:
    """Fold records a killed tick appended to history but did not get into state."""
    if last_tick is None:
        return
    by_id = {v.id: v for v in views}
    for record in iter_records(root, since=last_tick.date()):
        view = by_id.get(record.schedule)
        state = states.get(record.schedule)
        if view is None or state is None or outcomes.reflected(state, record):
            continue
        states.put(view.id, outcomes.apply(state, record, view), save=False)


def load_schedule(root: Path, view: ScheduleView, settings: Settings, now: datetime) -> Schedule:
    """The full schedule of a view about to run (the planner only had the view)."""
    entry = load_entry(root, root / view.file, settings, now)
    if entry is None or entry.schedule is None:
        raise ScheduleNotFoundError(f"{view.file} can no longer be read", "run gitcron validate")
    return entry.schedule


def _execute(
    the_plan: Plan,
    states: States,
    result: TickResult,
    env: RunEnv,
    jobs: int,
    on_record: OnRecord | None,
) -> None:
    busy = [p for p in the_plan.schedules if p.records or p.runs]

    def steps_of(part: SchedulePlan) -> None:
        state = part.start
        with states.lock:  # saved first: a crash after the first record must find it to fold onto
            states.put(part.view.id, state)
        schedule: Schedule | str = ""
        if part.runs:
            try:
                schedule = load_schedule(env.root, part.view, env.settings, env.now)
            except GitcronError as error:
                schedule = str(error)
        for step in part.steps:
            record = step if isinstance(step, Record) else _run(step, schedule, part.view, env)
            state = states.record(part.view, state, record)
            schedule = _tell(record, state, schedule, part.view, env, result)
            with states.lock:
                result.records.append(record)
            if on_record is not None:
                on_record(record, part.view)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(steps_of, part) for part in busy]:
            future.result()


def _run(run: PlannedRun, schedule: Schedule | str, view: ScheduleView, env: RunEnv) -> Record:
    """Run one step; a schedule that could not be read (the error text) fails its runs."""
    if isinstance(schedule, Schedule):
        return run_one(run, schedule, view.zone, env)
    return Record(
        run.run_id,
        run.schedule,
        run.fire,
        run.trigger,
        "failed",
        run.attempt,
        env.now,
        error=schedule,
    )


def _tell(
    record: Record,
    state: ScheduleState,
    schedule: Schedule | str,
    view: ScheduleView,
    env: RunEnv,
    result: TickResult,
) -> Schedule | str:
    """Notify about a final outcome; the schedule, loaded here if only misses needed it."""
    if record.status not in notify.EVENTS:
        return schedule
    if schedule == "":
        try:
            schedule = load_schedule(env.root, view, env.settings, env.now)
        except GitcronError as error:
            schedule = str(error)
    if isinstance(schedule, Schedule) and notify.wanted(
        record, state, notify.audience(schedule, env.settings)
    ):
        where = notify.Where(view.file, view.zone)
        warnings = notify.notify(record, schedule, where, env)
        result.warnings.extend(warnings)  # list.extend is atomic under the GIL
    return schedule


def _dry_run(the_plan: Plan, result: TickResult, env: RunEnv, on_record: OnRecord | None) -> None:
    """Render each due run into the outbox; nothing is delivered and no state is written."""
    outbox = env.outbox or env.root / env.settings.channels.outbox.dir
    dry = replace(env, outbox=outbox, keep_files=outbox)
    for part in the_plan.schedules:
        if not part.runs:
            continue
        schedule = load_schedule(env.root, part.view, env.settings, env.now)
        for run in part.runs:
            record = run_one(run, schedule, part.view.zone, dry)
            result.records.append(record)
            if on_record is not None:
                on_record(record, part.view)


def finish_tick(
    the_plan: Plan,
    states: States,
    loaded: Views,
    options: TickOptions,
    store: StateStore,
    now: datetime,
) -> None:
    """Leave the plan's watermarks and next fires, drop removed schedules, prune, stamp the tick."""
    for part in the_plan.schedules:
        folded = states.get(part.view.id) or part.start
        states.put(part.view.id, outcomes.finish(part.state, folded), save=False)
    if not options.only:
        present = {v.id for v in loaded.views} | {e.id for e in loaded.invalid}
        for sid in list(states.all()):  # broken customers are not in states: never touched
            if sid not in present:
                states.put(sid, None, save=False)
    for customer, customer_states in states.by_customer.items():
        store.save_customer(customer, dict(sorted(customer_states.items())))
    if not options.only:
        store.prune_history(now.date(), loaded.settings.history.keep_months)
        store.save_tick(now)


def trigger(
    root: Path, now: datetime, sid: str, options: TickOptions, on_record: OnRecord | None = None
) -> TickResult:
    """Run one schedule now, by hand: recorded and counted, its next fire left where it was."""
    with tick_lock(root):
        ready = prepare(root, now, (sid,))
        loaded = ready.loaded
        result = TickResult(ready.plan, loaded.settings, loaded.settings_problems, loaded.invalid)
        customer = sid.partition("/")[0]
        if customer in ready.states.broken:
            raise ready.states.broken[customer]
        if not ready.views:
            [broken] = [e for e in loaded.invalid if e.id == sid]
            raise GitcronError(
                f"{broken.file} has problems, so it cannot run", "run gitcron validate and fix them"
            )
        [view] = ready.views
        state = ready.states.get(sid) or ready.plan.schedules[0].start
        timing = view.timing(closed_days_of(view.skip, loaded.settings), state.first_seen)
        run = PlannedRun(make_run_id(sid, now), sid, now, previous_fire(timing, now), "manual")
        outbox = options.outbox
        if options.dry_run:
            outbox = outbox or root / loaded.settings.channels.outbox.dir
        keep = outbox if options.dry_run else None
        env = RunEnv(root, loaded.settings, now, options.env, outbox, keep, sleep=options.sleep)
        schedule = load_schedule(root, view, loaded.settings, now)
        record = run_one(run, schedule, view.zone, env)
        if not options.dry_run:
            state = ready.states.record(view, state, record)
            _tell(record, state, schedule, view, env, result)
            result.changed = ready.store.changed_files()
        result.records.append(record)
        if on_record is not None:
            on_record(record, view)
        return result
