"""How a tick reads in a terminal and a workflow log: one line per decision, then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from gitcron.catalog.view import ScheduleView
from gitcron.config.fields import zone
from gitcron.engine.planner import Plan, PlannedRun
from gitcron.state import Record, format_instant

MARKS = {"succeeded": "✓", "partial": "!", "failed": "✗", "skipped": "-", "missed": "·"}


def when(instant: datetime, view: ScheduleView | None) -> str:
    """`2026-11-23 09:00 EST (14:00 UTC)`: the customer's clock first, UTC for the logs."""
    utc = f"{instant:%Y-%m-%d %H:%M} UTC"
    if view is None or view.zone == "UTC":
        return utc
    local = instant.astimezone(zone(view.zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({instant:%H:%M} UTC)"


def record_lines(record: Record, view: ScheduleView | None) -> list[str]:
    """A record as a headline and indented details (deliveries, note, error)."""
    head = (
        f"  {MARKS[record.status]} {record.status:<9} {record.schedule}  {when(record.fire, view)}"
    )
    extra = []
    if record.trigger not in ("scheduled",):
        extra.append(record.trigger if record.attempt == 1 else f"retry {record.attempt}")
    if record.rows is not None:
        extra.append(f"{record.rows} row{'s' * (record.rows != 1)}")
    if record.file is not None:
        extra.append(record.file.name)
    lines = [head + ("  " + ", ".join(extra) if extra else "")]
    for d in record.deliveries:
        where = d.note or d.error or ""
        lines.append(
            f"      {MARKS.get(d.status, '?')} {d.target}" + (f" → {where}" if where else "")
        )
    if record.note:
        lines.append(f"      note: {record.note}")
    if record.error:
        lines.append(f"      error: {record.error}")
    return lines


def run_line(run: PlannedRun, view: ScheduleView | None) -> str:
    what = {"retry": "retry", "manual": "manual"}.get(run.trigger, "run")
    tail = f"  attempt {run.attempt}" if run.attempt > 1 else ""
    if run.targets is not None:
        tail += f", only {', '.join(run.targets)}"
    return f"  {what:<6} {run.schedule}  {when(run.fire, view)}  ({run.trigger}){tail}"


def plan_lines(the_plan: Plan) -> list[str]:
    lines = []
    for part in the_plan.schedules:
        for step in part.steps:
            if isinstance(step, Record):
                verb = "skip" if step.status == "skipped" else "miss"
                lines.append(
                    f"  {verb:<6} {step.schedule}  {when(step.fire, part.view)}  {step.note}"
                )
            else:
                lines.append(run_line(step, part.view))
    return lines


def summary(records: Iterable[Record]) -> str:
    """`3 runs (2 succeeded, 1 failed), 1 missed`: also the commit message's words."""
    counts = Counter(r.status for r in records)
    ran = counts["succeeded"] + counts["partial"] + counts["failed"]
    parts = [f"{counts[s]} {s}" for s in ("succeeded", "partial", "failed") if counts[s]]
    text = f"{ran} run{'s' if ran != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
    for status in ("missed", "skipped"):
        if counts[status]:
            text += f", {counts[status]} {status}"
    return text


def plan_json(the_plan: Plan, last_tick: datetime | None) -> dict[str, Any]:
    views = {p.view.id: p.view for p in the_plan.schedules}
    return {
        "at": format_instant(the_plan.now),
        "last_tick": None if last_tick is None else format_instant(last_tick),
        "first_tick": the_plan.first_tick,
        "runs": [_run_json(r, views.get(r.schedule)) for r in the_plan.runs],
        "records": [
            {
                "run_id": r.run_id,
                "schedule": r.schedule,
                "fire": format_instant(r.fire),
                "status": r.status,
                "note": r.note,
            }
            for r in the_plan.records
        ],
    }


def _run_json(run: PlannedRun, view: ScheduleView | None) -> dict[str, Any]:
    local = run.fire.astimezone(zone(view.zone)) if view else run.fire
    return {
        "run_id": run.run_id,
        "schedule": run.schedule,
        "fire": format_instant(run.fire),
        "fire_local": local.isoformat(),
        "interval_start": None
        if run.interval_start is None
        else format_instant(run.interval_start),
        "trigger": run.trigger,
        "attempt": run.attempt,
        "targets": None if run.targets is None else list(run.targets),
        **({} if run.generated is None else {"generated": format_instant(run.generated)}),
        **({} if run.delivered_rows is None else {"delivered_rows": run.delivered_rows}),
    }


def _instant(instant: datetime | None) -> str | None:
    return None if instant is None else format_instant(instant)
