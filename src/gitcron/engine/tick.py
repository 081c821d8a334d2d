"""The scheduled tick: prepare (load, reconcile, plan), run every due step, finish.

Schedules run in parallel on a thread pool; each schedule's steps run in fire order on one
thread, and each record is in history and in state before the next step starts (why a crash
then loses nothing: `repository.py`). A dry run renders the due runs and writes no state.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import OnRecord, Prepared, TickOptions, TickResult, finish, prepare
from gitcron.engine.plans import Plan, SchedulePlan
from gitcron.engine.repository import StateRepository
from gitcron.engine.steps import LazySchedule, attempt, tell
from gitcron.engine.trigger import trigger
from gitcron.state import Record

# The ends every tick shares live in phases.py and the manual trigger in trigger.py; their names
# are also importable from here, where the CLI finds them.
__all__ = ["OnRecord", "Prepared", "TickOptions", "TickResult", "prepare", "run_tick", "trigger"]


def run_tick(
    root: Path, now: datetime, options: TickOptions, on_record: OnRecord | None = None
) -> TickResult:
    """One tick at `now`; `on_record` sees each record as it is written (for live output)."""
    with tick_lock(root):
        ready = prepare(root, now, options.only)
        loaded, the_plan = ready.loaded, ready.plan
        result = ready.result()
        env = RunEnv(
            root, loaded.settings, now, options.env, outbox=options.outbox, sleep=options.sleep
        )
        if options.dry_run:
            _dry_run(the_plan, result, env, on_record)
            return result
        _execute(the_plan, ready.states, result, env, options.jobs, on_record)
        finish(ready, the_plan, now, whole=not options.only)
        result.changed = ready.states.changed_files()
        return result


def _execute(
    the_plan: Plan,
    states: StateRepository,
    result: TickResult,
    env: RunEnv,
    jobs: int,
    on_record: OnRecord | None,
) -> None:
    """Every schedule's steps: records as planned, runs attempted; each one saved, then told."""
    busy = [p for p in the_plan.schedules if p.records or p.runs]
    collecting = threading.Lock()

    def steps_of(part: SchedulePlan) -> None:
        state = part.start
        states.begin(part.view.id, state)
        schedule = LazySchedule(part.view, env)
        for step in part.steps:
            record = step if isinstance(step, Record) else attempt(step, schedule, env)
            state = states.record(part.view, state, record)
            result.warnings.extend(tell(record, state, schedule, env))  # list.extend: atomic (GIL)
            with collecting:
                result.records.append(record)
            if on_record is not None:
                on_record(record, part.view)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(steps_of, part) for part in busy]:
            future.result()


def _dry_run(the_plan: Plan, result: TickResult, env: RunEnv, on_record: OnRecord | None) -> None:
    """Render each due run into the outbox; nothing is delivered and no state is written."""
    outbox = env.outbox or env.root / env.settings.channels.outbox.dir
    dry = replace(env, outbox=outbox, keep_files=outbox)
    for part in the_plan.schedules:
        if not part.runs:
            continue
        schedule = LazySchedule(part.view, env).get()
        for run in part.runs:
            record = run_one(run, schedule, part.view.zone, dry)
            result.records.append(record)
            if on_record is not None:
                on_record(record, part.view)
