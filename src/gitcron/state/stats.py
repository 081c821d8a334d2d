"""Per-schedule statistics over run records, for `gitcron history --stats`; pure, no I/O.

A run is every attempt of one fire (one run id); its outcome is the status of its last
attempt, so a run that failed once and succeeded on retry counts as one succeeded run.
Skipped and missed fires never ran: they are counted apart and are not runs. Records are
folded one at a time, so a year of history is never held in memory as Record objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from gitcron.state.records import Record, RunStatus

RAN: tuple[RunStatus, ...] = ("succeeded", "partial", "failed")  # partial: a delivery failed


@dataclass(frozen=True, slots=True)
class ScheduleStats:
    """What one schedule's history says: counts, outcomes, durations and the latest instants."""

    schedule: str
    runs: int = 0
    attempts: int = 0  # attempts that ran (retries included)
    succeeded: int = 0  # runs by outcome: the status of each run's last attempt
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    missed: int = 0
    records: int = 0  # history lines, whatever their status
    rows: int = 0  # data rows of each run's last attempt, summed
    success_rate: float | None = None  # succeeded runs / runs; None without runs
    avg_duration_ms: float | None = None  # over attempts that ran
    p95_duration_ms: int | None = None
    last_success: datetime | None = None  # `started` of the latest succeeded attempt
    last_failure: datetime | None = None  # `started` of the latest failed or partial attempt


def p95(values: Sequence[int]) -> int | None:
    """The 95th percentile by nearest rank: the smallest value >= 95% of them; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


@dataclass
class _Outcome:
    attempt: int
    started: datetime
    status: RunStatus
    rows: int


@dataclass
class Tally:
    """One schedule's statistics so far; `add` records in any order, then `result`."""

    schedule: str
    records: int = 0
    durations: list[int] = field(default_factory=list)
    outcomes: dict[str, _Outcome] = field(default_factory=dict)  # by run id: its last attempt
    counts: dict[RunStatus, int] = field(default_factory=dict)  # of records, by status
    last: dict[str, datetime] = field(default_factory=dict)  # "success" / "failure"

    def add(self, record: Record) -> None:
        self.records += 1
        self.counts[record.status] = self.counts.get(record.status, 0) + 1
        if record.status not in RAN:
            return
        self.durations.append(record.duration_ms)
        seen = self.outcomes.get(record.run_id)
        if seen is None or (record.attempt, record.started) > (seen.attempt, seen.started):
            outcome = _Outcome(record.attempt, record.started, record.status, record.rows or 0)
            self.outcomes[record.run_id] = outcome
        kind = "success" if record.status == "succeeded" else "failure"
        if kind not in self.last or record.started > self.last[kind]:
            self.last[kind] = record.started

    def result(self) -> ScheduleStats:
        runs = list(self.outcomes.values())
        by_outcome = {status: sum(o.status == status for o in runs) for status in RAN}
        durations = self.durations
        return ScheduleStats(
            schedule=self.schedule,
            runs=len(runs),
            attempts=len(durations),
            succeeded=by_outcome["succeeded"],
            partial=by_outcome["partial"],
            failed=by_outcome["failed"],
            skipped=self.counts.get("skipped", 0),
            missed=self.counts.get("missed", 0),
            records=self.records,
            rows=sum(o.rows for o in runs),
            success_rate=by_outcome["succeeded"] / len(runs) if runs else None,
            avg_duration_ms=sum(durations) / len(durations) if durations else None,
            p95_duration_ms=p95(durations),
            last_success=self.last.get("success"),
            last_failure=self.last.get("failure"),
        )


def stats_by_schedule(records: Iterable[Record]) -> dict[str, ScheduleStats]:
    """Statistics per schedule id, sorted by id."""
    tallies: dict[str, Tally] = {}
    for record in records:
        tally = tallies.get(record.schedule)
        if tally is None:
            tally = tallies[record.schedule] = Tally(record.schedule)
        tally.add(record)
    return {sid: tallies[sid].result() for sid in sorted(tallies)}
