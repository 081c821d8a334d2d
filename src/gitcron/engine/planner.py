"""What a tick at `now` must do: a pure function of the schedules, their state and the clock.

For each schedule the fires in `(watermark, now]` are decided: run, skipped (closed day) or
missed (too late, or passed over by `catchup`). Due retries join them. Nothing here reads the
clock, the disk or the network, so every decision can be tested with plain values.

This module decides each schedule's state: where it counts from, its due retry, its lifecycle.
Which of its due fires run, and the records of those that do not, is `due.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from gitcron.catalog.build import closed_days_of
from gitcron.catalog.view import ScheduleView
from gitcron.config.settings import Settings
from gitcron.engine.due import decide, due_fires, previous_fire
from gitcron.engine.plans import Plan, PlannedRun, SchedulePlan
from gitcron.state import ScheduleState
from gitcron.timing.spec import ClosedDays, Once, Timing

# A plan's shapes live in plans.py; they are also importable from here, where callers find them.
__all__ = ["Plan", "PlannedRun", "SchedulePlan", "plan", "plan_one"]


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
    due, next_fire = due_fires(timing, state.watermark, now)
    runs, records = decide(view, state, due, last_tick, now, timing)
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
