"""The two ends every tick shares, and what passes between them.

`prepare` loads schedules and state, folds in what a killed tick left, and plans; it writes
nothing, so `gitcron plan` uses it alone. `finish` leaves the plan's watermarks and next fires,
drops removed schedules, saves, prunes and stamps the tick. A scheduled tick (`tick.py`), a
manual trigger (`trigger.py`) and a replay of records made elsewhere (`replay.py`) differ only
in what happens between the two.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gitcron.catalog.cache import Views, load_views
from gitcron.catalog.load import Entry
from gitcron.catalog.view import ScheduleView
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.engine.planner import plan
from gitcron.engine.plans import Plan
from gitcron.engine.repository import StateRepository
from gitcron.errors import ScheduleNotFoundError
from gitcron.state import Record, StateError

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


@dataclass
class Prepared:
    """A tick's inputs after reconciling: schedules, state, and the plan made from them."""

    loaded: Views
    views: list[ScheduleView]
    states: StateRepository
    last_tick: datetime | None
    plan: Plan

    def result(self) -> TickResult:
        """An empty result for this tick: what it planned, and what it could not load."""
        loaded = self.loaded
        result = TickResult(self.plan, loaded.settings, loaded.settings_problems, loaded.invalid)
        result.state_problems = list(self.states.broken.values())
        return result


def prepare(
    root: Path, now: datetime, only: tuple[str, ...] = (), *, replaying: bool = False
) -> Prepared:
    """Load schedules and state, fold in what a killed tick left, and plan; writes nothing.

    `replaying`: `now` is a past tick's instant, so state may hold later ones (not judged)."""
    loaded = load_views(root, now)
    views = _chosen(loaded, only)
    states = StateRepository(root, None if replaying else now)
    views = [v for v in views if v.customer not in states.broken]  # never planned from scratch
    states.reconcile(views)
    the_plan = plan(views, states.all(), states.last_tick, now, loaded.settings)
    return Prepared(loaded, views, states, states.last_tick, the_plan)


def finish(ready: Prepared, the_plan: Plan, now: datetime, *, whole: bool) -> None:
    """Leave the plan's watermarks and next fires and save; a `whole` tick (not `--only`) also
    drops removed schedules, prunes history and stamps its instant."""
    loaded = ready.loaded
    present = ({v.id for v in loaded.views} | {e.id for e in loaded.invalid}) if whole else None
    ready.states.settle(the_plan.schedules, present)
    if whole:
        ready.states.stamp(now, loaded.settings.history.keep_months)


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
