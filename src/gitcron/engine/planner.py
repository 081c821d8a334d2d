"""What a tick at `now` must do: a pure function of the schedules, their state and the clock.

For each schedule the fires in `(watermark, now]` are decided: run, skipped (closed day) or
missed (too late, or passed over by `catchup`). Due retries join them. Nothing here reads the
clock, the disk or the network, so every decision can be tested with plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from gitcron.catalog.build import closed_days_of
from gitcron.catalog.view import ScheduleView
from gitcron.config.settings import Settings
from gitcron.state import Record, ScheduleState, make_run_id
from gitcron.state.records import Trigger
from gitcron.timing.fires import iter_fires
from gitcron.timing.spec import ClosedDays, Fire, Once, Timing

MAX_MISSED_RECORDS = 100  # per schedule and tick; older ones are summed up in one note
_LOOK_BACK = (timedelta(hours=2), timedelta(days=2), timedelta(days=9), timedelta(days=367))
_LOOK_AHEAD_LIMIT = 10_000  # closed fires passed while looking for the next runnable one


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """One attempt to make: a new fire, a catch-up, a retry or a manual trigger."""

    run_id: str
    schedule: str
    fire: datetime
    interval_start: datetime | None
    trigger: Trigger
    attempt: int = 1
    targets: tuple[str, ...] | None = None  # None: every delivery; a retry: only these


@dataclass(frozen=True, slots=True)
class SchedulePlan:
    """One schedule's part of a tick: its state before and after, what it records and runs."""

    view: ScheduleView
    before: ScheduleState | None
    start: ScheduleState  # what the steps are folded onto: anchored, watermark not yet moved
    state: ScheduleState  # the planned end: watermark past every due fire, next fire, lifecycle
    records: tuple[Record, ...] = ()  # skipped and missed fires
    runs: tuple[PlannedRun, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def steps(self) -> list[Record | PlannedRun]:
        """Records and runs in fire order: the order that keeps the watermark honest on a crash."""
        items: list[Record | PlannedRun] = [*self.records, *self.runs]
        return sorted(items, key=lambda s: (s.trigger == "retry", s.fire))


@dataclass(slots=True)
class Plan:
    now: datetime
    first_tick: bool
    schedules: list[SchedulePlan] = field(default_factory=list)

    @property
    def runs(self) -> list[PlannedRun]:
        return [run for p in self.schedules for run in p.runs]

    @property
    def records(self) -> list[Record]:
        return [record for p in self.schedules for record in p.records]


def plan(
    views: Iterable[ScheduleView],
    states: Mapping[str, ScheduleState],
    last_tick: datetime | None,
    now: datetime,
    settings: Settings,
) -> Plan:
    """Decide every schedule's fires up to `now`; `last_tick` None means the repo's first tick."""
    result = Plan(now, last_tick is None)
    calendars: dict[tuple[tuple[str, str], ...], ClosedDays | None] = {}
    for view in views:
        if view.skip not in calendars:
            calendars[view.skip] = closed_days_of(view.skip, settings)
        closed = calendars[view.skip]
        result.schedules.append(plan_one(view, states.get(view.id), last_tick, now, closed))
    return result


def plan_one(
    view: ScheduleView,
    state: ScheduleState | None,
    last_tick: datetime | None,
    now: datetime,
    closed: ClosedDays | None,
) -> SchedulePlan:
    """One schedule's decisions; see docs/timing.md for the rules in words."""
    if state is not None and _nothing_to_do(view, state, now):
        return SchedulePlan(view, state, state, state)
    before = state
    state, notes = _anchored(view, state, last_tick, now)
    if view.paused:
        paused = replace(state, status="paused", anchor=now, next_fire=None, pending_retry=None)
        paused = replace(paused, delivered=())
        return SchedulePlan(view, before, paused, paused, notes=(*notes, "paused"))
    timing = view.timing(closed, state.first_seen)
    due, next_fire = _due_fires(timing, state.watermark, now)
    runs, records = _decide(view, state, due, last_tick, now, timing)
    retry = _due_retry(view, state, now, timing)
    if retry is not None:
        runs.append(retry)
    start = state
    if due:
        state = replace(state, last_fire=due[-1].at)
    end = _lifecycle(view, replace(state, next_fire=next_fire), runs)
    return SchedulePlan(view, before, start, end, tuple(records), tuple(runs), tuple(notes))


def _nothing_to_do(view: ScheduleView, state: ScheduleState, now: datetime) -> bool:
    """The common case, decided without the timing engine: same timing, next fire still ahead.

    Closed-day fires before the next fire are recorded when it comes; nothing else can be
    due earlier, since every setting that moves fires is part of the fingerprint.
    """
    if state.fingerprint != view.fingerprint or view.paused or state.status == "paused":
        return False
    if state.pending_retry is not None and state.pending_retry.due <= now:
        return False
    if state.status == "completed":
        reason = state.completed_reason or ""
        return not reason.startswith("max_runs") or (
            view.max_runs is not None and state.scheduled_runs >= view.max_runs
        )
    return state.next_fire is not None and now < state.next_fire


def _anchored(
    view: ScheduleView, state: ScheduleState | None, last_tick: datetime | None, now: datetime
) -> tuple[ScheduleState, list[str]]:
    """The state to plan from: new schedules count from the last tick, changed ones from now."""
    if state is None:
        anchor = now if last_tick is None else min(last_tick, now)
        return ScheduleState(view.fingerprint, first_seen=now, anchor=anchor), ["new schedule"]
    if state.fingerprint != view.fingerprint:
        since = now if last_tick is None else min(max(last_tick, state.watermark), now)
        changed = replace(state, fingerprint=view.fingerprint, anchor=since, pending_retry=None)
        changed = replace(changed, status="active", completed_reason=None, delivered=())
        return changed, ["timing changed: counting from the previous tick"]
    if state.status == "paused" and not view.paused:
        return replace(state, status="active"), ["resumed"]
    return state, []


def _due_fires(
    timing: Timing, watermark: datetime, now: datetime
) -> tuple[list[Fire], datetime | None]:
    """Fires in (watermark, now], and the first runnable fire after now."""
    due: list[Fire] = []
    passed = 0
    for fire in iter_fires(timing, watermark):
        if fire.at <= now:
            due.append(fire)
        elif fire.closed is None:
            return due, fire.at
        else:
            passed += 1
            if passed > _LOOK_AHEAD_LIMIT:
                break
    return due, None


def _decide(
    view: ScheduleView,
    state: ScheduleState,
    due: list[Fire],
    last_tick: datetime | None,
    now: datetime,
    timing: Timing,
) -> tuple[list[PlannedRun], list[Record]]:
    """Which due fires run, and the records of those that do not."""
    records: list[Record] = []
    open_fires: list[Fire] = []
    for fire in due:
        if fire.closed is not None:
            records.append(_record(view, fire, "skipped", now, f"closed: {fire.closed}"))
        else:
            open_fires.append(fire)
    late = [f for f in open_fires if now - f.at > view.max_delay]
    fresh = [f for f in open_fires if now - f.at <= view.max_delay]
    missed = [(f, f"more than {_words(view.max_delay)} late (max_delay)") for f in late]
    if view.catchup == "all":
        chosen = fresh
    else:
        chosen = fresh[-1:]
        if view.catchup == "none" and chosen and last_tick and chosen[0].at <= last_tick:
            chosen = []
        reason = f"catchup: {view.catchup}: " + (
            "a newer fire ran instead" if chosen else "late fires are not caught up"
        )
        missed += [(f, reason) for f in fresh if f not in chosen]
    if view.max_runs is not None:
        chosen = chosen[: max(0, view.max_runs - state.scheduled_runs)]
    missed.sort(key=lambda item: item[0].at)
    records += _missed_records(view, missed, now)
    runs = [_run(view, fire, timing, due, "scheduled") for fire in chosen]
    if len(runs) > 1:
        runs[:-1] = [replace(run, trigger="catchup") for run in runs[:-1]]
    return runs, sorted(records, key=lambda r: r.fire)


def _missed_records(
    view: ScheduleView, missed: list[tuple[Fire, str]], now: datetime
) -> list[Record]:
    """One record per missed fire, the newest MAX_MISSED_RECORDS of them after a long outage."""
    if len(missed) <= MAX_MISSED_RECORDS:
        return [_record(view, fire, "missed", now, reason) for fire, reason in missed]
    kept = missed[-MAX_MISSED_RECORDS:]
    dropped = len(missed) - len(kept)
    first = missed[0][0].at
    summary_fire, reason = kept[0]
    summary = _record(
        view,
        summary_fire,
        "missed",
        now,
        f"{reason}; and {dropped} earlier fires since {first:%Y-%m-%d %H:%M} UTC, not listed",
    )
    return [summary, *(_record(view, fire, "missed", now, why) for fire, why in kept[1:])]


def _record(view: ScheduleView, fire: Fire, status: str, now: datetime, note: str) -> Record:
    return Record(
        run_id=make_run_id(view.id, fire.at),
        schedule=view.id,
        fire=fire.at,
        trigger="scheduled",
        status="skipped" if status == "skipped" else "missed",
        attempt=1,
        started=now,
        note=note,
    )


def _run(
    view: ScheduleView, fire: Fire, timing: Timing, due: list[Fire], trigger: Trigger
) -> PlannedRun:
    earlier = [f.at for f in due if f.at < fire.at and f.closed is None]
    start = earlier[-1] if earlier else previous_fire(timing, fire.at)
    return PlannedRun(make_run_id(view.id, fire.at), view.id, fire.at, start, trigger)


def previous_fire(timing: Timing, before: datetime) -> datetime | None:
    """The last runnable fire before `before`: the start of a run's data interval."""
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


def _due_retry(
    view: ScheduleView, state: ScheduleState, now: datetime, timing: Timing
) -> PlannedRun | None:
    pending = state.pending_retry
    if pending is None or pending.due > now:
        return None
    return PlannedRun(
        pending.run_id,
        view.id,
        pending.fire,
        previous_fire(timing, pending.fire),
        "retry",
        attempt=pending.attempt + 1,
        targets=pending.failed_targets,
    )


def _lifecycle(view: ScheduleView, state: ScheduleState, runs: list[PlannedRun]) -> ScheduleState:
    """`completed` when no fire is left: once done, max_runs reached, or the window closed."""
    new_runs = sum(1 for run in runs if run.trigger != "retry")
    reason = None
    if view.max_runs is not None and state.scheduled_runs + new_runs >= view.max_runs:
        reason = f"max_runs: {view.max_runs} runs made"
        state = replace(state, next_fire=None)
    elif state.next_fire is None:
        reason = "the active window has ended" if view.until else "no fires are left"
        if isinstance(view.form, Once):
            reason = "once: its one fire has passed"
    if reason is not None:
        return replace(state, status="completed", completed_reason=reason)
    return replace(
        state, status="failed" if state.status == "failed" else "active", completed_reason=None
    )


def _words(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
