"""What a tick at `now` must do: a pure function of the schedules, their state and the clock.

For each schedule the fires in `(watermark, now]` are decided: run, skipped (closed day) or
missed (too late, or passed over by `catchup`). Due retries join them. Nothing here reads the
clock, the disk or the network, so every decision can be tested with plain values.

This module decides each schedule's state: where it counts from, its due retry, its lifecycle.
Which of its due fires run, and the records of those that do not, is `due.py`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from gitcron.catalog.build import closed_days_of
from gitcron.catalog.view import ScheduleView
from gitcron.config.settings import Settings
from gitcron.engine.due import decide, due_fires, previous_fire
from gitcron.engine.plans import Plan, PlannedRun, SchedulePlan
from gitcron.state import ScheduleState
from gitcron.state.summaries import Summary
from gitcron.timing.spec import (
    ClosedDays,
    Cron,
    Daily,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekly,
)

# A plan's shapes live in plans.py; they are also importable from here, where callers find them.
__all__ = [
    "Plan",
    "PlannedRun",
    "SchedulePlan",
    "plan",
    "plan_one",
    "quiet_until",
    "suspicious",
    "untrue_field",
]

_DAY = timedelta(days=1)
NEVER = datetime.max.replace(tzinfo=UTC)  # a completed schedule's fast path never ends
_SLACK = timedelta(hours=1)  # a daylight-saving change moves a wall-clock fire by this much
_CLOSED_SLACK = timedelta(days=14)  # closed days (a skip list) push the next open fire out
# The longest wait between two fires of each form (an interval's is its period; a once has
# none); a cron's is taken as that of a monthly one, so a yearly cron is checked every tick.
_GAPS: dict[type, timedelta] = {
    Daily: _DAY,
    Weekly: 7 * _DAY,
    MonthlyNth: 35 * _DAY,
    MonthlyDay: 62 * _DAY,  # day 31 skips the months without one
    Cron: 35 * _DAY,
}


def plan(
    views: Iterable[ScheduleView],
    states: Mapping[str, ScheduleState],
    last_tick: datetime | None,
    now: datetime,
    settings: Settings,
    taken_over: Mapping[str, Collection[datetime]] | None = None,
) -> Plan:
    """Decide every schedule's fires up to `now`; `last_tick` None means the repo's first tick.

    `taken_over`: by schedule id, fires whose claims expired unrecorded (`due.decide`)."""
    result = Plan(now, last_tick is None)
    taken_over = taken_over or {}
    calendars: dict[tuple[tuple[str, str], ...], ClosedDays | None] = {}
    for view in views:
        state = states.get(view.id)
        if (
            state is not None and view.id not in taken_over and _nothing_to_do(view, state, now)
        ):  # no calendar needed:
            result.schedules.append(SchedulePlan(view, state, state, state))  # holidays load
            continue  # only when a schedule that skips them has something to decide
        if view.skip not in calendars:
            calendars[view.skip] = closed_days_of(view.skip, settings)
        closed = calendars[view.skip]
        again = taken_over.get(view.id, ())
        result.schedules.append(plan_one(view, state, last_tick, now, closed, again))
    return result


def plan_one(
    view: ScheduleView,
    state: ScheduleState | None,
    last_tick: datetime | None,
    now: datetime,
    closed: ClosedDays | None,
    taken_over: Collection[datetime] = (),
) -> SchedulePlan:
    """One schedule's decisions; see docs/timing.md for the rules in words."""
    if state is not None and not taken_over and _nothing_to_do(view, state, now):
        return SchedulePlan(view, state, state, state)
    before = state
    state, notes = _anchored(view, state, last_tick, now)
    if view.paused:
        paused = _paused(state)
        if paused != state:  # pausing: from now on nothing is due (resuming sets the anchor)
            paused = replace(paused, anchor=now)
        return SchedulePlan(view, before, paused, paused, notes=(*notes, "paused"))
    timing = view.timing(closed, state.first_seen)
    due, next_fire = due_fires(timing, state.watermark, now)
    runs, records = decide(view, state, due, last_tick, now, timing, taken_over)
    retry = _due_retry(view, state, now, timing)
    if retry is not None:
        runs.append(retry)
    if state.delivered_rows is not None:  # on_unchanged compares with it
        runs = [replace(run, delivered_rows=state.delivered_rows) for run in runs]
    start = state
    if due:
        state = replace(state, last_fire=due[-1].at)
    end = _lifecycle(view, replace(state, next_fire=next_fire), runs)
    return SchedulePlan(view, before, start, end, tuple(records), tuple(runs), tuple(notes))


def _paused(state: ScheduleState) -> ScheduleState:
    """A paused schedule's state: nothing next, nothing to retry, nothing delivered to compare.
    A state already so is left as it is, so a paused schedule's state file is not rewritten by
    every tick."""
    paused = replace(state, status="paused", next_fire=None, pending_retry=None)
    return replace(paused, delivered=())


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


def quiet_until(view: ScheduleView, state: ScheduleState, now: datetime) -> datetime | None:
    """Until when (not included) the fast path above holds from `now` on by the clock alone: the
    next fire, or a pending retry's due time; a completed schedule's, and a paused one's whose
    state is already paused, hold for ever (`NEVER`). None when it does not hold at `now`. The
    quiet record (engine/quiet.py) takes the earliest over every schedule: before it, a tick
    plans nothing for any of them."""
    if view.paused and state.fingerprint == view.fingerprint and _paused(state) == state:
        return NEVER  # paused, and already so: nothing is due until the file changes
    if not _nothing_to_do(view, state, now):
        return None
    ends = [NEVER]
    if state.pending_retry is not None:
        ends.append(state.pending_retry.due)
    if state.status != "completed" and state.next_fire is not None:
        ends.append(state.next_fire)
    return min(ends)


def suspicious(view: ScheduleView, state: ScheduleState, now: datetime) -> bool:
    """Whether the fast path would trust a next fire or completion worth checking by timing.

    A tick writes `next_fire` as the first runnable fire after the watermark, and `completed`
    only once no fire is left, and the fast path trusts both without the timing engine. A value
    planted by hand would stop the schedule without a word, so one that the fast path would
    trust is checked when it looks wrong, without timing: a completion not proven by the
    counters, or a next fire further from the watermark than the form's fires ever are.
    """
    if not _nothing_to_do(view, state, now):
        return False
    if state.status == "completed":
        return view.max_runs is None or state.scheduled_runs < view.max_runs
    longest = _longest_gap(view)
    return longest is None or state.next_fire is None or state.next_fire - state.watermark > longest


def untrue_field(
    view: ScheduleView, state: ScheduleState, closed: ClosedDays | None
) -> tuple[str, datetime] | None:
    """The field (`next_fire` or `status`) the timing contradicts, with the fire it gives.

    Only a value that would stop fires is untrue: a next fire later than the timing's first
    runnable fire after the watermark, or a completion while the timing has one left.
    """
    timing = view.timing(closed, state.first_seen)
    _, expected = due_fires(timing, state.watermark, state.watermark)
    if expected is None:
        return None
    if state.status == "completed":
        return "status", expected
    if state.next_fire is not None and state.next_fire > expected:
        return "next_fire", expected
    return None


def _longest_gap(view: ScheduleView) -> timedelta | None:
    """How far after the watermark a tick may write the next fire; None: any distance."""
    form = view.form
    gap = form.every if isinstance(form, Interval) else _GAPS.get(type(form))
    if gap is None:
        return None
    if view.skip or view.on_closed != "skip":
        gap += _CLOSED_SLACK
    return gap + _SLACK


def _anchored(
    view: ScheduleView, state: ScheduleState | None, last_tick: datetime | None, now: datetime
) -> tuple[ScheduleState, list[str]]:
    """The state to plan from: new schedules count from the last tick, changed ones from now."""
    if state is None:
        anchor = now if last_tick is None else min(last_tick, now)
        fresh = ScheduleState(view.fingerprint, first_seen=now, anchor=anchor, summary=Summary())
        return fresh, ["new schedule"]
    if state.fingerprint != view.fingerprint:
        since = now if last_tick is None else min(max(last_tick, state.watermark), now)
        changed = replace(state, fingerprint=view.fingerprint, anchor=since, pending_retry=None)
        changed = replace(changed, status="active", completed_reason=None, delivered=())
        return changed, ["timing changed: counting from the previous tick"]
    if state.status == "paused" and not view.paused:  # counting again from the tick before
        since = now if last_tick is None else min(max(last_tick, state.watermark), now)
        return replace(state, status="active", anchor=since), ["resumed"]
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
        generated=pending.generated,
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
