"""The manual trigger: one schedule run now, by hand (`gitcron trigger`).

It is recorded, counted and notified like any run, but it is not a tick: nothing else runs, and
its schedule's watermark and next fire stay where they were. Its data interval starts at the
schedule's last runnable fire before now: the data a fire now would cover.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gitcron.engine.by_hand import one_schedule
from gitcron.engine.due import previous_fire
from gitcron.engine.executor import run_one
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import OnRecord, TickOptions, TickResult, prepare
from gitcron.engine.plans import PlannedRun
from gitcron.engine.steps import tell
from gitcron.state import make_run_id


def trigger(
    root: Path, now: datetime, sid: str, options: TickOptions, on_record: OnRecord | None = None
) -> TickResult:
    """Run one schedule now, by hand: recorded and counted, its next fire left where it was."""
    with tick_lock(root):
        one = one_schedule(root, prepare(root, now, (sid,), manual=True), sid, options)
        start = previous_fire(one.timing, now)
        delivered_rows = one.state.delivered_rows
        run = PlannedRun(
            make_run_id(sid, now), sid, now, start, "manual", delivered_rows=delivered_rows
        )
        full = one.schedule.get()
        if options.stop is not None:
            options.stop.started = True  # from here a signal lets the run finish and be recorded
        record = run_one(run, full, one.view.zone, one.env)
        one.keep(record, on_record)
        if not options.dry_run:
            one.result.warnings.extend(tell(record, one.state, one.schedule, one.env))
        return one.result
