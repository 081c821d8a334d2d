"""A schedule's due fires and what becomes of each: it runs, or it is skipped or missed, and why.

The planner decides a schedule's state (anchoring, retries, lifecycle); this module decides its
fires within that state. Pure, like the planner: no clock, no disk, no network.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from gitcron.catalog.view import ScheduleView
from gitcron.engine.plans import PlannedRun
from gitcron.state import Record, ScheduleState, make_run_id
from gitcron.state.records import Trigger
from gitcron.timing.fires import iter_fires
from gitcron.timing.fires import previous_fire as previous_fire  # its home is timing now
from gitcron.timing.spec import Fire, Timing
from gitcron.timing.words import duration_words

MAX_MISSED_RECORDS = 100  # per schedule and tick; older ones are summed up in one note
_LOOK_AHEAD_LIMIT = 10_000  # closed fires passed while looking for the next runnable one


def due_fires(
    timing: Timing, watermark: datetime, now: datetime
) -> tuple[list[Fire], datetime | None]:
    """Fires in (watermark, now], and the first runnable fire after now."""
    due: list[Fire] = []
    passed = 0
    for fire in iter_fires(timing, watermark):
        if fire.at <= now:
            due.append(fire)
        elif fire.closed is None:
            return due, fire.at
        else:
            passed += 1
            if passed > _LOOK_AHEAD_LIMIT:
                break
    return due, None


def decide(
    view: ScheduleView,
    state: ScheduleState,
    due: list[Fire],
    last_tick: datetime | None,
    now: datetime,
    timing: Timing,
    taken_over: Collection[datetime] = (),
) -> tuple[list[PlannedRun], list[Record]]:
    """Which due fires run, and the records of those that do not.

    `taken_over`: fires a tick claimed and died before recording. Within `max_delay` each one
    runs again whatever `catchup` says (its tick may have delivered it: a file the customer
    has must not be recorded missed); later than that, it is recorded missed here and
    `abandoned` by the caller (engine/claims.py)."""
    records: list[Record] = []
    open_fires: list[Fire] = []
    for fire in due:
        if fire.closed is not None:
            records.append(_record(view, fire, "skipped", now, f"closed: {fire.closed}"))
        else:
            open_fires.append(fire)
    late = [f for f in open_fires if now - f.at > view.max_delay]
    fresh = [f for f in open_fires if now - f.at <= view.max_delay]
    missed = [
        (f, f"more than {duration_words(view.max_delay, short=True)} late (max_delay)")
        for f in late
    ]
    if view.catchup == "all":
        chosen = fresh
    else:
        chosen = fresh[-1:]
        if view.catchup == "none" and chosen and last_tick and chosen[0].at <= last_tick:
            chosen = []
        reason = f"catchup: {view.catchup}: " + (
            "a newer fire ran instead" if chosen else "late fires are not caught up"
        )
        missed += [(f, reason) for f in fresh if f not in chosen]
    again = [f for f in fresh if f.at in taken_over and f not in chosen]
    if again:
        chosen = sorted([*chosen, *again], key=lambda f: f.at)
        missed = [(f, why) for f, why in missed if f not in again]
    if view.max_runs is not None:
        chosen = chosen[: max(0, view.max_runs - state.scheduled_runs)]
    missed.sort(key=lambda item: item[0].at)
    records += _missed_records(view, missed, now)
    runs = [_run(view, fire, timing, due, "scheduled") for fire in chosen]
    if len(runs) > 1:
        runs[:-1] = [replace(run, trigger="catchup") for run in runs[:-1]]
    return runs, sorted(records, key=lambda r: r.fire)


def _missed_records(
    view: ScheduleView, missed: list[tuple[Fire, str]], now: datetime
) -> list[Record]:
    """One record per missed fire, the newest MAX_MISSED_RECORDS of them after a long outage."""
    if len(missed) <= MAX_MISSED_RECORDS:
        return [_record(view, fire, "missed", now, reason) for fire, reason in missed]
    kept = missed[-MAX_MISSED_RECORDS:]
    dropped = len(missed) - len(kept)
    first = missed[0][0].at
    summary_fire, reason = kept[0]
    summary = _record(
        view,
        summary_fire,
        "missed",
        now,
        f"{reason}; and {dropped} earlier fires since {first:%Y-%m-%d %H:%M} UTC, not listed",
    )
    return [summary, *(_record(view, fire, "missed", now, why) for fire, why in kept[1:])]


def _record(view: ScheduleView, fire: Fire, status: str, now: datetime, note: str) -> Record:
    return Record(
        run_id=make_run_id(view.id, fire.at),
        schedule=view.id,
        fire=fire.at,
        trigger="scheduled",
        status="skipped" if status == "skipped" else "missed",
        attempt=1,
        started=now,
        note=note,
    )


def _run(
    view: ScheduleView, fire: Fire, timing: Timing, due: list[Fire], trigger: Trigger
) -> PlannedRun:
    earlier = [f.at for f in due if f.at < fire.at and f.closed is None]
    start = earlier[-1] if earlier else previous_fire(timing, fire.at)
    return PlannedRun(make_run_id(view.id, fire.at), view.id, fire.at, start, trigger)
