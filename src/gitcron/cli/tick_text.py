"""How a tick reads in a terminal and a workflow log: one line per decision, then a summary.

Lines come sorted by schedule (then fire), whatever order the runs finished in, and a
schedule's misses are one line ("66 missed, newest ..."), not one each. Colour is the caller's:
each function takes a `paint(text, status)` that `cli.output` gives on a terminal only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any

from gitcron.state.instants import format_instant

if TYPE_CHECKING:  # names only: a quiet tick prints its summary line without any of these
    from gitcron.catalog.view import ScheduleView
    from gitcron.engine.planner import Plan, PlannedRun
    from gitcron.state import Record

    Shown = tuple[Record, ScheduleView | None]

MARKS = {
    "succeeded": "✓",
    "partial": "!",
    "failed": "✗",
    "skipped": "-",
    "missed": "·",
    "abandoned": "?",
}
GROUP_FROM = 2  # a schedule's misses are one line from this many on

Paint = Callable[[str, str], str]  # (text, status or plan verb) -> the text, maybe coloured


def plain(text: str, status: str) -> str:
    """No colour: logs, pipes, NO_COLOR."""
    return text


def when(instant: datetime, view: ScheduleView | None) -> str:
    """`2026-11-23 09:00 EST (14:00 UTC)`: the customer's clock first, UTC for the logs."""
    utc = f"{instant:%Y-%m-%d %H:%M} UTC"
    if view is None or view.zone == "UTC":
        return utc
    from gitcron.config.fields import zone

    local = instant.astimezone(zone(view.zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({instant:%H:%M} UTC)"


def record_lines(record: Record, view: ScheduleView | None, paint: Paint = plain) -> list[str]:
    """A record as a headline and indented details (deliveries, note, error)."""
    status = paint(f"{MARKS[record.status]} {record.status:<9}", record.status)
    head = f"  {status} {record.schedule}  {when(record.fire, view)}"
    extra = []
    if record.trigger not in ("scheduled",):
        attempt = "" if record.attempt == 1 else f" {record.attempt}"
        extra.append(f"{record.trigger}{attempt}")
    if record.rows is not None:
        extra.append(f"{record.rows} row{'s' * (record.rows != 1)}")
    if record.file is not None:
        extra.append(record.file.name)
    lines = [head + ("  " + ", ".join(extra) if extra else "")]
    for d in record.deliveries:
        where = d.note or d.error or ""
        mark = paint(MARKS.get(d.status, "?"), d.status)
        lines.append(f"      {mark} {d.target}" + (f" → {where}" if where else ""))
    if record.note:
        lines.append(f"      note: {record.note}")
    if record.error:
        lines.append(f"      error: {record.error}")
    return lines


def missed_line(misses: Sequence[Record], view: ScheduleView | None, verb: str) -> str:
    """`66 missed, newest 2026-12-24 06:00 UTC`: a schedule's misses at once, the newest's why."""
    newest = max(misses, key=lambda r: r.fire)
    why = f"  {newest.note}" if newest.note else ""
    return f"{verb} {newest.schedule}  {len(misses)} missed, newest {when(newest.fire, view)}{why}"


def tick_lines(shown: Iterable[Shown], paint: Paint = plain) -> list[str]:
    """A tick's records sorted by schedule and fire, each schedule's misses grouped."""
    lines: list[str] = []
    ordered = sorted(shown, key=lambda item: (item[0].schedule, item[0].fire, item[0].attempt))
    for _, group in groupby(ordered, key=lambda item: item[0].schedule):
        items = list(group)
        misses = [record for record, _ in items if record.status == "missed"]
        grouped = len(misses) >= GROUP_FROM
        if grouped:
            verb = paint(f"{MARKS['missed']} {'missed':<9}", "missed")
            lines.append("  " + missed_line(misses, items[0][1], verb))
        for record, view in items:
            if not (grouped and record.status == "missed"):
                lines += record_lines(record, view, paint)
    return lines


def run_line(run: PlannedRun, view: ScheduleView | None, paint: Paint = plain) -> str:
    what = {"retry": "retry", "manual": "manual"}.get(run.trigger, "run")
    tail = f"  attempt {run.attempt}" if run.attempt > 1 else ""
    if run.targets is not None:
        tail += f", only {', '.join(run.targets)}"
    verb = paint(f"{what:<6}", what)
    return f"  {verb} {run.schedule}  {when(run.fire, view)}  ({run.trigger}){tail}"


def plan_lines(the_plan: Plan, paint: Paint = plain) -> list[str]:
    """What a tick would do, by schedule; a schedule's misses are one line from GROUP_FROM on."""
    from gitcron.state import Record

    lines = []
    for part in sorted(the_plan.schedules, key=lambda p: p.view.id):
        misses = [r for r in part.records if r.status == "missed"]
        grouped = len(misses) >= GROUP_FROM
        if grouped:
            lines.append("  " + missed_line(misses, part.view, paint(f"{'miss':<6}", "missed")))
        for step in part.steps:
            if not isinstance(step, Record):
                lines.append(run_line(step, part.view, paint))
            elif not (grouped and step.status == "missed"):
                verb = "skip" if step.status == "skipped" else "miss"
                shown = paint(f"{verb:<6}", step.status)
                lines.append(
                    f"  {shown} {step.schedule}  {when(step.fire, part.view)}  {step.note}"
                )
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
    from gitcron.config.fields import zone

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
