"""The manual trigger: one schedule run now, by hand (`gitcron trigger`).

It is recorded, counted and notified like any run, but it is not a tick: nothing else runs, and
its schedule's watermark and next fire stay where they were. Its data interval starts at the
schedule's last runnable fire before now: the data a fire now would cover.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gitcron.catalog.build import closed_days_of
from gitcron.engine.due import previous_fire
from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import OnRecord, TickOptions, TickResult, prepare
from gitcron.engine.plans import PlannedRun
from gitcron.engine.steps import LazySchedule, tell
from gitcron.errors import GitcronError
from gitcron.state import make_run_id


def trigger(
    root: Path, now: datetime, sid: str, options: TickOptions, on_record: OnRecord | None = None
) -> TickResult:
    """Run one schedule now, by hand: recorded and counted, its next fire left where it was."""
    with tick_lock(root):
        ready = prepare(root, now, (sid,), manual=True)
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
        run = PlannedRun(make_run_id(sid, now), sid, now, previous_fire(timing, now), "manual")
        outbox = options.outbox
        if options.dry_run:
            outbox = outbox or root / loaded.settings.channels.outbox.dir
        keep = outbox if options.dry_run else None
        env = RunEnv(root, loaded.settings, now, options.env, outbox, keep, sleep=options.sleep)
        schedule = LazySchedule(view, env)
        full = schedule.get()
        if options.stop is not None:
            options.stop.started = True  # from here a signal lets the run finish and be recorded
        record = run_one(run, full, view.zone, env)
        if not options.dry_run:
            state = ready.states.record(view, state, record)
            result.warnings.extend(tell(record, state, schedule, env))
            result.changed = ready.states.changed_files()
        result.records.append(record)
        if on_record is not None:
            on_record(record, view)
        return result
