"""The state repository: every customer's schedule states, loaded once, saved as they change.

Ticks, manual triggers and replays all change state the same way, and the order of the writes is
what makes a crash harmless: a record is appended to history (fsynced) and only then folded into
its customer's state file (an atomic replace). So after a kill at any point, state plus the
history since the last tick hold every run that happened, and the next load folds in what state
missed (`reconcile`) before anything is planned.

Each customer file is decoded only when its bytes changed since a tick kept its decoded states
(catalog/kept_states.py); every load still reads every file and checks it against the tick.

A customer whose state file cannot be read is `broken`: left alone, never planned from scratch
and never rewritten. Damaged means anything a tick would not have written (state/checks.py): bad
JSON, a value out of bounds, or, judged against the instant of the tick reading it, an instant
no tick had reached. A replay of a past tick passes no instant: later ticks may have moved state
past it by right. A next fire or a completion is judged against its schedule's timing once the
schedules are loaded (`guard`), and only when the planner's fast path would trust a suspicious
one: see `suspicious` in engine/planner.py.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from gitcron.catalog import kept_states
from gitcron.catalog.build import closed_days_of
from gitcron.catalog.entry import no_gc_pauses
from gitcron.catalog.view import ScheduleView
from gitcron.config.settings import Settings
from gitcron.engine import outcomes
from gitcron.engine.claims import ClaimBook
from gitcron.engine.planner import suspicious, untrue_field
from gitcron.engine.plans import PlannedRun, SchedulePlan
from gitcron.state import Record, ScheduleState, StateError, StateStore, iter_records
from gitcron.state.checks import untrue_fire
from gitcron.state.records import RunKey, run_key
from gitcron.state.store import customer_file


class StateRepository:
    """Every customer's schedule states, saved a customer file at a time, thread-safely."""

    def __init__(self, root: Path, now: datetime | None = None) -> None:
        """Load `root`'s state for a tick at `now` (None: a replay of a past tick)."""
        self._now = now
        self._by_customer: dict[str, dict[str, ScheduleState]] = {}
        self.broken: dict[str, StateError] = {}  # customers whose file cannot be read
        with no_gc_pauses():  # the states are acyclic, and all kept
            kept = kept_states.read(root)
            self._store = StateStore(root, kept.table)
            self.last_tick: datetime | None = self._store.load_tick(now)  # None: the first tick
            for customer in self._store.customers():
                try:
                    self._by_customer[customer] = self._store.load_customer(customer, now)
                except StateError as error:
                    self.broken[customer] = error
        if self._store.kept_changed():  # the next tick decodes only the files changed since
            kept_states.write(root, self._store.kept, kept)
        self.claims = ClaimBook(self._store.load_claims())  # damaged: the whole tick stops
        self._recorded: set[RunKey] = set()  # runs recorded here: their claims end
        self._lock = threading.Lock()

    def get(self, sid: str) -> ScheduleState | None:
        customer, name = _split(sid)
        return self._by_customer.get(customer, {}).get(name)

    def all(self) -> dict[str, ScheduleState]:
        return {f"{c}/{n}": s for c, states in self._by_customer.items() for n, s in states.items()}

    def guard(self, views: Iterable[ScheduleView], settings: Settings) -> None:
        """Set aside, as `broken`, each customer with a next fire or a completion its timing
        contradicts: trusted, it would stop the schedule without a word. Not in a replay."""
        if self._now is None:
            return
        by_id = {v.id: v for v in views}
        for customer in sorted(self._by_customer):
            states = self._by_customer[customer]
            problem = timing_damage(customer, states, by_id, settings, self._now)
            if problem is not None:
                self.broken[customer] = problem
                del self._by_customer[customer]

    def reconcile(self, views: Iterable[ScheduleView]) -> None:
        """Fold records a killed tick appended to history but did not get into state (unsaved)."""
        if self.last_tick is None:
            return
        by_id = {v.id: v for v in views}
        for record in iter_records(self._store.root, since=self.last_tick.date()):
            self._fold(record, by_id.get(record.schedule))

    def begin(self, sid: str, start: ScheduleState) -> None:
        """Save a schedule's start state before its first step: a crash after the first record
        must find it to fold onto."""
        with self._lock:
            self._put(sid, start)

    def record(self, view: ScheduleView, state: ScheduleState, record: Record) -> ScheduleState:
        """Append `record` to history, then fold it into the schedule's saved state."""
        with self._lock:
            self._store.append_history([record])
            self._recorded.add(run_key(record))
            state = outcomes.apply(state, record, view)
            self._put(view.id, state)
            return state

    def keep(self, record: Record, view: ScheduleView | None) -> None:
        """Append a record no planned step took to history; fold it in if state does not reflect
        it yet (saved by `settle`). It counts a run that did happen; no watermark moves back."""
        self._store.append_history([record])
        self._recorded.add(run_key(record))
        self._fold(record, view)

    def supersede(self, record: Record, earlier: Record, view: ScheduleView | None) -> None:
        """Append `record`, which says more happened than history's `earlier` record of the same
        attempt, and count it as the run it was (saved by `settle`)."""
        self._store.append_history([record])
        self._recorded.add(run_key(record))
        state = self.get(record.schedule)
        if view is not None and state is not None:
            self._put(view.id, outcomes.supersede(state, earlier, record, view), save=False)

    def claim(self, runs: Iterable[PlannedRun], holder: str, now: datetime, life: timedelta) -> int:
        """Claim `runs` for the tick `holder` and save the claims file; how many were claimed."""
        count = self.claims.claim(runs, holder, now, life)
        self._store.save_claims(self.claims.all())
        return count

    def end_claims(self, keys: Iterable[RunKey]) -> None:
        """These runs have records (another tick's, or given up by this one): their claims end."""
        self.claims.end(keys)

    def settle(
        self,
        parts: Iterable[SchedulePlan],
        present: Collection[str] | None,
        now: datetime | None = None,
    ) -> None:
        """Leave each plan's watermark and next fire on the folded outcomes, drop the schedules
        not `present` (None: keep all, as after a partial tick), and save every customer.

        The claims of runs recorded here end; so do, in a whole tick at `now`, the expired
        claims of the schedules it planned (taken over) and those of schedules gone."""
        parts = list(parts)
        for part in parts:
            folded = self.get(part.view.id) or part.start
            self._put(part.view.id, outcomes.finish(part.state, folded), save=False)
        if present is not None:
            for sid in list(self.all()):  # broken customers are not loaded: never touched
                if sid not in present:
                    self._put(sid, None, save=False)
        for customer, states in self._by_customer.items():
            self._store.save_customer(customer, dict(sorted(states.items())))
        self.claims.end(self._recorded)
        if present is not None and now is not None:
            self.claims.end_expired({p.view.id for p in parts}, now)
            self.claims.keep_only(present)
        self._store.save_claims(self.claims.all())

    def stamp(self, now: datetime, keep_months: int) -> None:
        """End a whole tick: prune history past retention and record the tick's instant."""
        self._store.prune_history(now.date(), keep_months)
        self._store.save_tick(now)

    def changed_files(self) -> list[str]:
        """Repo-relative paths written or deleted so far: what a commit must stage."""
        return self._store.changed_files()

    def _fold(self, record: Record, view: ScheduleView | None) -> None:
        state = self.get(record.schedule)
        if view is None or state is None or outcomes.reflected(state, record):
            return
        self._put(view.id, outcomes.apply(state, record, view), save=False)

    def _put(self, sid: str, state: ScheduleState | None, save: bool = True) -> None:
        customer, name = _split(sid)
        states = self._by_customer.setdefault(customer, {})
        if state is None:
            states.pop(name, None)
        else:
            states[name] = state
        if save:
            self._store.save_customer(customer, dict(sorted(states.items())))


def timing_damage(
    customer: str,
    states: Mapping[str, ScheduleState],
    views: Mapping[str, ScheduleView],
    settings: Settings,
    now: datetime,
) -> StateError | None:
    """The first of `customer`'s states whose next fire or completion its timing contradicts,
    judged for a tick at `now`; `views` by schedule id."""
    for key in sorted(states):
        view, state = views.get(f"{customer}/{key}"), states[key]
        if view is None or not suspicious(view, state, now):
            continue
        found = untrue_field(view, state, closed_days_of(view.skip, settings))
        if found is not None:
            field, timing = found
            name = customer_file(customer)
            return untrue_fire(name, f"schedules.{key}", field, state.next_fire, timing)
    return None


def _split(sid: str) -> tuple[str, str]:
    customer, _, name = sid.partition("/")
    return customer, name
