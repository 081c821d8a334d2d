"""Folding run records into schedule state: the one place counters, retries and watermarks move.

History is the log and state is its fold. The tick applies each record right after appending
it, and on start re-applies any record a crash left in history but not in state (`reflected`),
so a killed tick neither loses a run nor runs a recorded fire again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from gitcron.catalog.view import ScheduleView
from gitcron.state import PendingRetry, Record, ScheduleState, delivered_key
from gitcron.state.model import Status
from gitcron.state.summaries import folded

_RAN = ("succeeded", "partial", "failed")
# a re-send or a backfill happens beside the schedule's course: in history, never in state
# (no watermark, counter or retry moves), so it cannot change what a tick does next
_BESIDE = ("resend", "backfill")


def reflected(state: ScheduleState, record: Record) -> bool:
    """Whether `state` already holds `record`'s effect (records are applied in history order)."""
    if record.trigger in _BESIDE:
        return True
    if record.trigger == "manual":
        return state.last_manual is not None and state.last_manual >= record.fire
    if record.trigger == "retry":
        pending = state.pending_retry
        if pending is None or pending.run_id != record.run_id:
            return True
        return pending.attempt >= record.attempt
    return state.last_fire is not None and state.last_fire >= record.fire


def apply(state: ScheduleState, record: Record, view: ScheduleView) -> ScheduleState:
    """`state` after `record`: watermark, counters, and a retry when one is still allowed."""
    state = folded(state, record)  # its history summary (state/summaries.py)
    if record.trigger in _BESIDE:
        return state
    if record.trigger == "manual":
        state = replace(
            state,
            runs=state.runs + 1,
            manual_runs=state.manual_runs + 1,
            last_manual=_later(state.last_manual, record.fire),
        )
        if record.rows_sha256 is not None and record.status in ("succeeded", "partial"):
            state = replace(state, delivered_rows=record.rows_sha256)
        return _final(state, record) if record.status in _RAN else state
    if record.trigger != "retry":
        state = replace(state, last_fire=_later(state.last_fire, record.fire))
        if record.status not in _RAN:
            return state  # skipped or missed: nothing ran
        state = replace(state, runs=state.runs + 1)
    if record.rows_sha256 is not None and record.status in ("succeeded", "partial"):
        state = replace(state, delivered_rows=record.rows_sha256)  # what on_unchanged compares
    if record.status == "succeeded":
        return _final(state, record)
    return _failed(state, record, view)


def _failed(state: ScheduleState, record: Record, view: ScheduleView) -> ScheduleState:
    """Schedule a retry of what failed, or give up after `retry.attempts` retries."""
    retryable = _retry_targets(record, view)
    if retryable is None or record.attempt > view.retry_attempts:
        return _final(state, record)
    if state.pending_retry is not None and state.pending_retry.run_id != record.run_id:
        state = _give_up_pending(state)  # a newer run failed: its retry takes the one slot
    delivered = {d.target for d in record.deliveries if d.status == "succeeded"}
    keys = {delivered_key(record.run_id, target) for target in delivered}
    pending = PendingRetry(
        run_id=record.run_id,
        fire=record.fire,
        attempt=record.attempt,
        due=retry_due(record.started, view.retry_backoff, record.attempt),
        failed_targets=retryable,
        generated=record.generated or record.started,
    )
    return replace(state, pending_retry=pending, delivered=tuple(sorted({*state.delivered, *keys})))


def _retry_targets(record: Record, view: ScheduleView) -> tuple[str, ...] | None:
    """What a retry re-sends: failed deliveries a retry can fix; None when nothing can."""
    if record.permanent:
        return None
    if not record.deliveries:
        return view.targets  # the job itself failed: every target still waits for the file
    failed = [d for d in record.deliveries if d.status == "failed"]
    if any(d.permanent for d in failed) and all(d.permanent for d in failed):
        return None
    return tuple(d.target for d in failed if not d.permanent) or None


def _final(state: ScheduleState, record: Record) -> ScheduleState:
    """The run's outcome is settled: count it, clear its retry."""
    pending = state.pending_retry
    if pending is not None and pending.run_id == record.run_id:
        state = replace(state, pending_retry=None, delivered=())
    settled = state.status in ("completed", "paused")
    if record.status == "succeeded":
        ok: Status = state.status if settled else "active"
        return replace(state, succeeded=state.succeeded + 1, consecutive_failures=0, status=ok)
    status: Status = state.status if settled else "failed"
    return replace(
        state,
        failed=state.failed + 1,
        consecutive_failures=state.consecutive_failures + 1,
        status=status,
    )


def _give_up_pending(state: ScheduleState) -> ScheduleState:
    return replace(
        state,
        pending_retry=None,
        delivered=(),
        failed=state.failed + 1,
        consecutive_failures=state.consecutive_failures + 1,
    )


def supersede(
    state: ScheduleState, earlier: Record, record: Record, view: ScheduleView
) -> ScheduleState:
    """`state`, which holds `earlier`, once `record` of the same attempt replaces it.

    A run recorded where a plan had recorded its fire missed, skipped or abandoned is counted
    (runs, outcome, retry) and may complete the schedule by `max_runs`; the watermark never moves
    back. Between two records of runs, counters already hold a run: only history changes.
    """
    if record.status not in _RAN or earlier.status in _RAN:
        return state
    state = apply(state, record, view)
    limit = view.max_runs
    if record.trigger != "manual" and limit is not None and state.scheduled_runs >= limit:
        reason = f"max_runs: {limit} runs made"
        state = replace(state, status="completed", completed_reason=reason, next_fire=None)
    return state


def fold(state: ScheduleState, records: Iterable[Record], view: ScheduleView) -> ScheduleState:
    """Apply every record `state` does not reflect yet, in order."""
    for record in records:
        if not reflected(state, record):
            state = apply(state, record, view)
    return state


def finish(planned: ScheduleState, folded: ScheduleState) -> ScheduleState:
    """The state a tick leaves: the plan's watermark and lifecycle, the runs' outcomes."""
    if folded is planned:
        return planned
    settled = planned.status in ("completed", "paused")
    status = planned.status if settled else folded.status
    return replace(
        folded,
        last_fire=_later(folded.last_fire, planned.last_fire),
        next_fire=planned.next_fire,
        status=status,
        completed_reason=planned.completed_reason,
    )


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    return a if b is None or a >= b else b


def retry_due(started: datetime, backoff: timedelta, attempt: int) -> datetime:
    """When the retry after failed attempt `attempt` is due: the backoff doubles each time."""
    return started + backoff * (1 << max(0, attempt - 1))
