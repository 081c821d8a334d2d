"""Per-schedule history summaries, kept in the customer state files as each record is folded in.

`gitcron history --stats` and `gitcron history ID` answer from these instead of decoding a year
of day files: a summary holds the same counts `stats.py` computes from records (runs by outcome,
attempts, skipped and missed fires, rows, durations, the latest success and failure) and the days
that hold the schedule's newest records, so a listing reads only those day files.

A summary is folded one record at a time, in the order the tick applies them, and stays bounded:
durations are kept as a histogram of values rounded to two significant digits (so the p95 it
gives is within 5% of the exact one), and `days` keeps only as many days as hold the newest
RECENT records. A run's outcome is the status of its last attempt; the newest few runs a retry
can still change (`open`) are remembered, so that a retry moves its run from failed to succeeded,
as `stats.py` does. Summaries count from when they started; `since` says when that was for a
schedule that ran before its state had one (its older runs are only in the day files).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from annotated_types import MaxLen
from pydantic import PlainValidator, with_config
from pydantic_core import PydanticCustomError

from gitcron.state.codec import FORBID_UNKNOWN, Amount, Count, Instant, Text
from gitcron.state.records import Record, RunStatus
from gitcron.state.stats import RAN, ScheduleStats

if TYPE_CHECKING:
    from gitcron.state.model import ScheduleState

RECENT = 50  # records `days` covers at least: what `gitcron history ID` lists by default
MAX_OPEN = 4  # runs kept open: one pending retry, and the few runs that failed around it
MAX_BUCKETS = 2_000  # duration buckets: 2 significant digits over 0 ms .. a year is ~1,000


def _digits(value: object) -> str:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 12:
        raise PydanticCustomError("bucket_key", "expected a duration in milliseconds, as digits")
    return value


def _day(value: object) -> str:
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise PydanticCustomError("day_key", "expected a day like 2026-11-22")


Buckets = Annotated[dict[Annotated[str, PlainValidator(_digits)], Count], MaxLen(MAX_BUCKETS)]
Days = Annotated[dict[Annotated[str, PlainValidator(_day)], Count], MaxLen(RECENT + 1)]


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class OpenRun:
    """The latest run that failed or was partly delivered: a retry may still change its outcome."""

    run_id: Text
    attempt: Count
    status: RunStatus
    rows: Amount = 0


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class Summary:
    """What one schedule's history says, folded as the tick appends each record."""

    since: Instant | None = None  # counting started here; None: since the schedule was first seen
    records: Count = 0
    runs: Count = 0
    attempts: Count = 0
    succeeded: Count = 0
    partial: Count = 0
    failed: Count = 0
    skipped: Count = 0
    missed: Count = 0
    rows: Amount = 0
    duration_ms: Amount = 0  # summed over attempts that ran
    durations: Buckets = field(default_factory=dict)  # rounded duration (ms) -> attempts
    last_success: Instant | None = None
    last_failure: Instant | None = None
    last_status: RunStatus | None = None  # of the newest record
    open: tuple[OpenRun, ...] = ()  # the newest runs a retry may still change, oldest first
    days: Days = field(default_factory=dict)  # YYYY-MM-DD -> records of the newest days


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """A summary's JSON without the keys that hold their default: a customer file stays small."""
    return {key: value for key, value in data.items() if value not in _DEFAULTS}


_DEFAULTS: tuple[object, ...] = (None, 0, {}, [])


def bucket(duration_ms: int) -> int:
    """`duration_ms` rounded to two significant digits (exact below 100 ms)."""
    if duration_ms < 100:
        return duration_ms
    step: int = 10 ** (len(str(duration_ms)) - 2)
    return (duration_ms + step // 2) // step * step


def add(summary: Summary, record: Record) -> Summary:
    """`summary` after `record`, the next record of its schedule in the order they were applied."""
    days = dict(summary.days)
    day = record.day.isoformat()
    days[day] = days.get(day, 0) + 1
    changes: dict[str, object] = {
        "records": summary.records + 1,
        "last_status": record.status,
        "days": _trimmed(days),
    }
    if record.status not in RAN:
        key = "skipped" if record.status == "skipped" else "missed"
        changes[key] = int(getattr(summary, key)) + 1
        return replace(summary, **changes)  # type: ignore[arg-type]
    durations = dict(summary.durations)
    slot = str(bucket(record.duration_ms))
    durations[slot] = durations.get(slot, 0) + 1
    changes |= {
        "attempts": summary.attempts + 1,
        "duration_ms": summary.duration_ms + record.duration_ms,
        "durations": durations,
    }
    if record.status == "succeeded":
        changes["last_success"] = _later(summary.last_success, record.started)
    else:
        changes["last_failure"] = _later(summary.last_failure, record.started)
    counts: dict[str, int] = {status: int(getattr(summary, status)) for status in RAN}
    rows = summary.rows
    before = next((run for run in summary.open if run.run_id == record.run_id), None)
    if before is not None:
        if record.attempt <= before.attempt:  # an older attempt, applied late: not the outcome
            return replace(summary, **changes)  # type: ignore[arg-type]
        counts[before.status] -= 1  # a retry: its outcome replaces the earlier attempt's
        rows -= before.rows
    else:
        changes["runs"] = summary.runs + 1
    counts[record.status] += 1
    rows += record.rows or 0
    changes |= counts
    changes["rows"] = rows
    still_open = [run for run in summary.open if run is not before]
    if record.status != "succeeded":
        still_open.append(OpenRun(record.run_id, record.attempt, record.status, record.rows or 0))
    changes["open"] = tuple(still_open[-MAX_OPEN:])
    return replace(summary, **changes)  # type: ignore[arg-type]


def summary_of(state: ScheduleState) -> Summary | None:
    """The schedule's summary; an empty one for a state that has nothing in history yet, None for
    a state that ran before summaries were kept (its counts are only in the day files)."""
    if state.summary is not None:
        return state.summary
    if state.runs == 0 and state.last_fire is None and state.last_manual is None:
        return Summary()
    return None


def folded(state: ScheduleState, record: Record) -> ScheduleState:
    """`state` with `record` counted in its summary (started at `record` for an older state)."""
    summary = summary_of(state) or Summary(since=record.started)
    return replace(state, summary=add(summary, record))


def _trimmed(days: dict[str, int]) -> dict[str, int]:
    """The newest days that hold at least RECENT records (all of them while there are fewer)."""
    ordered = sorted(days.items())
    while len(ordered) > 1 and sum(n for _, n in ordered[1:]) >= RECENT:
        ordered.pop(0)
    return dict(ordered)


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def recent_days(summary: Summary) -> list[date]:
    """The days whose files hold the schedule's newest RECENT records (or all it has), oldest
    first."""
    return [date.fromisoformat(day) for day in sorted(summary.days)]


def to_stats(schedule: str, summary: Summary) -> ScheduleStats:
    """The statistics `stats.py` would compute from the same records (p95 within 5%)."""
    runs = summary.runs
    attempts = summary.attempts
    return ScheduleStats(
        schedule=schedule,
        runs=runs,
        attempts=attempts,
        succeeded=summary.succeeded,
        partial=summary.partial,
        failed=summary.failed,
        skipped=summary.skipped,
        missed=summary.missed,
        records=summary.records,
        rows=summary.rows,
        success_rate=summary.succeeded / runs if runs else None,
        avg_duration_ms=summary.duration_ms / attempts if attempts else None,
        p95_duration_ms=_p95(summary.durations),
        last_success=summary.last_success,
        last_failure=summary.last_failure,
    )


def _p95(buckets: Mapping[str, int]) -> int | None:
    """The nearest-rank 95th percentile of the histogram's values."""
    total = sum(buckets.values())
    if not total:
        return None
    rank = math.ceil(0.95 * total)
    seen = 0
    for value, count in sorted((int(k), n) for k, n in buckets.items()):
        seen += count
        if seen >= rank:
            return value
    return None  # unreachable: the counts sum to total
