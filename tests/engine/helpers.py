"""Planner-level simulation: views from schedule dicts, and ticks whose runs all succeed.

The views are built by tests/factories.py (the planner_* family), re-exported here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from factories import PLANNER_SETTINGS as SETTINGS
from factories import planner_view as view
from gitcron.catalog.view import ScheduleView
from gitcron.config.settings import Settings
from gitcron.engine import outcomes
from gitcron.engine.planner import plan
from gitcron.engine.plans import Plan, PlannedRun
from gitcron.state import Delivery, Record, ScheduleState
from support import utc

__all__ = ["SETTINGS", "Sim", "outcome", "paused", "utc", "view"]


def outcome(run: PlannedRun, now: datetime, failed: tuple[str, ...] = ()) -> Record:
    """The record of `run` when the targets in `failed` fail (transiently) and the rest arrive."""
    targets = run.targets if run.targets is not None else ("email:buyer@acme.example", "outbox:out")
    deliveries = tuple(
        Delivery(t, "failed", "503") if t in failed else Delivery(t, "succeeded") for t in targets
    )
    bad = sum(d.status == "failed" for d in deliveries)
    status = "succeeded" if not bad else "partial" if bad < len(deliveries) else "failed"
    return Record(
        run.run_id,
        run.schedule,
        run.fire,
        run.trigger,
        status,
        run.attempt,
        now,
        deliveries=deliveries,
    )


class Sim:
    """State carried from tick to tick as the real tick carries it: records folded, then finish."""

    def __init__(self, *views: ScheduleView, settings: Settings = SETTINGS) -> None:
        self.views = list(views)
        self.settings = settings
        self.states: dict[str, ScheduleState] = {}
        self.last_tick: datetime | None = None
        self.history: list[Record] = []

    def tick(self, now: datetime, failing: dict[str, tuple[str, ...]] | None = None) -> Plan:
        the_plan = plan(self.views, self.states, self.last_tick, now, self.settings)
        for part in the_plan.schedules:
            state = part.start
            for step in part.steps:
                if isinstance(step, Record):
                    record = step
                else:
                    record = outcome(step, now, (failing or {}).get(step.schedule, ()))
                self.history.append(record)
                state = outcomes.apply(state, record, part.view)
            self.states[part.view.id] = outcomes.finish(part.state, state)
        self.last_tick = now
        return the_plan

    def ran(self, sid: str | None = None) -> list[datetime]:
        return [
            r.fire
            for r in self.history
            if r.status in ("succeeded", "partial", "failed")
            and r.trigger != "retry"
            and (sid is None or r.schedule == sid)
        ]

    def by_status(self, status: str) -> list[datetime]:
        return [r.fire for r in self.history if r.status == status]


def paused(v: ScheduleView, flag: bool = True) -> ScheduleView:
    return replace(v, paused=flag)
