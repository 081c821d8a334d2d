"""What the by-hand commands share: one schedule made ready to run outside a tick, and its runs.

`gitcron trigger`, `resend` and `backfill` each act on one schedule between ticks: they take the
tick's lock, load and reconcile state as a tick does (`prepare`), refuse a schedule whose file
or customer state is damaged, and record each attempt the way a tick does, or nothing on a dry
run. Their records never move the schedule's course (engine/outcomes.py), so none of them can
change what the next tick decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitcron.catalog.build import closed_days_of
from gitcron.catalog.view import ScheduleView
from gitcron.engine.executor import RunEnv
from gitcron.engine.phases import OnRecord, Prepared, TickOptions, TickResult
from gitcron.engine.steps import LazySchedule
from gitcron.errors import GitcronError
from gitcron.state import Record, ScheduleState, iter_records
from gitcron.timing.spec import Timing

RAN = ("succeeded", "partial", "failed")  # statuses of attempts that made a file and sent it


@dataclass
class OneSchedule:
    """One schedule ready to run by hand: its view, state, timing, and the run environment."""

    ready: Prepared
    view: ScheduleView
    state: ScheduleState
    timing: Timing
    env: RunEnv
    schedule: LazySchedule
    result: TickResult
    dry_run: bool

    def keep(self, record: Record, on_record: OnRecord | None) -> None:
        """Record one attempt (history first, then state), or only show it on a dry run."""
        if not self.dry_run:
            self.state = self.ready.states.record(self.view, self.state, record)
            self.result.changed = self.ready.states.changed_files()
        self.result.records.append(record)
        if on_record is not None:
            on_record(record, self.view)


def one_schedule(root: Path, ready: Prepared, sid: str, options: TickOptions) -> OneSchedule:
    """`sid` out of a plan prepared for it alone; GitcronError when it cannot run."""
    loaded = ready.loaded
    result = TickResult(ready.plan, loaded.settings, loaded.settings_problems, loaded.invalid)
    customer = sid.partition("/")[0]
    if customer in ready.states.broken:
        raise ready.states.broken[customer]
    if not ready.views:
        [broken] = [e for e in loaded.invalid if e.id == sid]
        raise GitcronError(
            f"{broken.file} has problems, so it cannot run", "run gitcron validate and fix them"
        )
    [view] = ready.views
    state = ready.states.get(sid) or ready.plan.schedules[0].start
    timing = view.timing(closed_days_of(view.skip, loaded.settings), state.first_seen)
    outbox = options.outbox
    if options.dry_run:
        outbox = outbox or root / loaded.settings.channels.outbox.dir
    keep = outbox if options.dry_run else None
    env = RunEnv(
        root, loaded.settings, ready.plan.now, options.env, outbox, keep, sleep=options.sleep
    )
    return OneSchedule(
        ready, view, state, timing, env, LazySchedule(view, env), result, options.dry_run
    )


def runs_of(root: Path, sid: str, since: date) -> dict[str, list[Record]]:
    """`sid`'s records by run id, from the history days since `since`, oldest first."""
    found: dict[str, list[Record]] = defaultdict(list)
    for record in iter_records(root, since=since, schedule=sid):
        found[record.run_id].append(record)
    return found


def delivered(records: Iterable[Record]) -> set[str]:
    """The targets that some attempt among `records` delivered."""
    return {
        d.target
        for r in records
        if r.status in RAN
        for d in r.deliveries
        if d.status == "succeeded"
    }


def next_attempt(records: Iterable[Record]) -> int:
    """The attempt number after every one recorded: a re-send's own."""
    return max((r.attempt for r in records), default=0) + 1
