"""The scheduled tick: prepare (load, reconcile, plan), run every due step, finish.

Schedules run in parallel on worker threads; each schedule's steps run in fire order on one
thread, and each record is in history and in state before the next step starts (why a crash
then loses nothing: `repository.py`). A dry run renders the due runs and writes no state.

A tick can be stopped between steps (`Stop`, set by the command's signal handler): no step
starts after the request, the runs in progress finish and are recorded, and the tick finishes
with what was recorded. If it stops waiting for a run in progress (a second request, or the
grace period), that run's record is dropped even if it comes later, so the state the tick
leaves never changes behind its back. The workers are daemon threads for that reason: a run
that never returns must not keep the process from exiting.

Most ticks have nothing due, so what runs a step (steps.py, executor.py: jobs, renderers,
channels, jinja2) is imported by the functions that take steps, never by planning.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gitcron.engine import faults, misses
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import (
    OnRecord,
    Prepared,
    Stop,
    TickOptions,
    TickResult,
    finish,
    prepare,
)
from gitcron.engine.plans import Plan, PlannedRun, SchedulePlan
from gitcron.engine.repository import StateRepository
from gitcron.engine.run_env import RunEnv
from gitcron.state import Record

# The ends every tick shares live in phases.py; their names are also importable from here, where
# the CLI finds them. The manual trigger is engine/trigger.py's.
__all__ = [
    "OnRecord",
    "Prepared",
    "Stop",
    "TickOptions",
    "TickResult",
    "prepare",
    "run_tick",
]

_POLL = 0.2  # seconds between the main thread's looks at a stop request while it waits


def run_tick(
    root: Path, now: datetime, options: TickOptions, on_record: OnRecord | None = None
) -> TickResult:
    """One tick at `now`; `on_record` sees each record as it is written (for live output)."""
    stop = options.stop or Stop()
    with tick_lock(root):
        ready = prepare(root, now, options.only, holder=options.holder)
        loaded, the_plan = ready.loaded, ready.plan
        result = ready.result()
        env = RunEnv(
            root, loaded.settings, now, options.env, outbox=options.outbox, sleep=options.sleep
        )
        if options.dry_run:
            _dry_run(the_plan, result, env, on_record)
            return result
        stop.started = True
        left = _execute(the_plan, ready.states, result, env, options.jobs, stop, on_record)
        finish(ready, the_plan, now, whole=not options.only, left=left, given_up=result.not_started)
        result.warnings += misses.tell(result.records, ready.views, env, ready.last_tick)
        result.changed = ready.states.changed_files()
        return result


def _execute(
    the_plan: Plan,
    states: StateRepository,
    result: TickResult,
    env: RunEnv,
    jobs: int,
    stop: Stop,
    on_record: OnRecord | None,
) -> set[str]:
    """Every schedule's steps: records as planned, runs attempted; each one saved, then told.
    Returns the ids of the schedules whose steps did not all happen (a stopped tick)."""
    busy = [p for p in the_plan.schedules if p.records or p.runs]
    if not busy:  # nothing due: the machinery of a step is not even imported
        return set()
    from gitcron.engine.steps import LazySchedule, attempt, tell  # loads jobs and channels

    steps = {p.view.id: p.steps for p in busy}
    done: dict[str, int] = {}  # steps saved, by schedule id
    running: dict[str, PlannedRun] = {}  # the run each schedule is attempting
    gate = threading.Lock()  # every write to state; closed once the tick stops waiting
    closed = False

    def steps_of(part: SchedulePlan) -> None:
        sid = part.view.id
        state = part.start
        schedule = LazySchedule(part.view, env)
        for n, step in enumerate(steps[sid]):
            with gate:
                if closed or stop.requested:
                    return
                if n == 0:
                    states.begin(sid, state)
                if isinstance(step, PlannedRun):
                    running[sid] = step
            record = step if isinstance(step, Record) else attempt(step, schedule, env)
            if not isinstance(step, Record):
                faults.reached("mid-delivery")
            with gate:
                if closed:
                    return
                state = states.record(part.view, state, record)
                result.records.append(record)
                done[sid] = n + 1
                running.pop(sid, None)
            result.warnings.extend(tell(record, state, schedule, env))  # list.extend: atomic (GIL)
            if on_record is not None:
                on_record(record, part.view)

    finished = _in_parallel(busy, jobs, steps_of, stop)
    with gate:  # a worker still saving finishes first; none saves after this
        closed = not finished
        if closed:
            result.cut = [running[p.view.id] for p in busy if p.view.id in running]
    for part in busy:
        rest = steps[part.view.id][done.get(part.view.id, 0) :]
        result.not_started += [s for s in rest if isinstance(s, PlannedRun) and s not in result.cut]
    return {p.view.id for p in busy if done.get(p.view.id, 0) < len(steps[p.view.id])}


def _in_parallel(
    parts: Sequence[SchedulePlan], jobs: int, work: Callable[[SchedulePlan], None], stop: Stop
) -> bool:
    """`work` on every part, on up to `jobs` daemon threads taking parts in order; a part not
    taken before a stop request is never started. False if the tick stopped waiting (then the
    threads may still be running); else the first error of a part, in order, is raised."""
    queue = iter(enumerate(parts))
    taking = threading.Lock()
    errors: dict[int, BaseException] = {}

    def worker() -> None:
        while not stop.requested:
            with taking:
                item = next(queue, None)
            if item is None:
                return
            index, part = item
            try:
                work(part)
            except BaseException as error:  # raised in the main thread, as a pool's result would
                errors[index] = error

    threads = [
        threading.Thread(target=worker, name=f"gitcron-tick-{n}", daemon=True)
        for n in range(min(max(1, jobs), len(parts)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            if stop.given_up():
                return False
            thread.join(_POLL)
    if errors:
        raise errors[min(errors)]
    return True


def _dry_run(the_plan: Plan, result: TickResult, env: RunEnv, on_record: OnRecord | None) -> None:
    """Render each due run into the outbox; nothing is delivered and no state is written."""
    from gitcron.engine.executor import run_one  # loads jobs and channels
    from gitcron.engine.steps import LazySchedule

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
