"""What a plan is: the runs a tick makes and each schedule's part of it.

Plain values with no logic of their own, so that everything that reads a plan (the executor,
replay, shards, `gitcron plan`) depends on its shape and not on how the planner decides it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gitcron.catalog.view import ScheduleView
from gitcron.state import Record, ScheduleState
from gitcron.state.records import Trigger


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
    again: bool = False  # a re-send of what arrived: deliveries carry ids of their own
    generated: datetime | None = None  # a retry's: when the first attempt began
    delivered_rows: str | None = None  # the digest of the last delivered run's rows (state's)


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
