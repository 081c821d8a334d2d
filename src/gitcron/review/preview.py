"""`gitcron preview`: what a pull request changes, as data; `markdown` and `as_json` render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gitcron.config.problems import Problem, ordered
from gitcron.gitops.git import merge_base
from gitcron.review.changes import Change, Changes, Row, collect, customer_rows, value_text
from gitcron.review.liveness import last_tick, stale_problem
from gitcron.review.rendered import NextRun, next_run
from gitcron.review.view import View, diff_rows, view_of
from gitcron.timing import Fire


@dataclass(slots=True)
class Item:
    """One changed schedule file: its views before and after, and what changed between them."""

    change: Change
    before: View | None = None
    after: View | None = None
    rows: list[Row] = field(default_factory=list)
    next_run: NextRun | None = None  # the next fire's file name and subjects, as rendered

    @property
    def problems(self) -> list[Problem]:
        """What keeps an invalid file from running."""
        new = self.change.new
        return ordered(new.problems) if new is not None else []


@dataclass(slots=True)
class Preview:
    ref: str
    base: str  # the merge-base commit
    now: datetime
    last_tick: datetime | None
    warnings: list[Problem]  # repo-wide: a stale or unreadable state/tick.json
    changes: Changes
    items: list[Item]


def build(root: Path, ref: str, now: datetime) -> Preview:
    """Compare the work tree with the merge-base of `ref` and HEAD, as of `now`."""
    base = merge_base(root, ref)
    changes = collect(root, base, now)
    last, problem = last_tick(root)
    stale = stale_problem(last, changes.new_settings, now) if last is not None else None
    warnings = [p for p in (problem, stale) if p is not None]
    items = [_item(change, changes, now, last) for change in changes.items]
    return Preview(ref, base, now, last, warnings, changes, items)


def _item(change: Change, changes: Changes, now: datetime, last: datetime | None) -> Item:
    item = Item(change)
    old, new = change.old, change.new
    if old is not None and old.ok:
        item.before = view_of(old, changes.old_settings, now, last, changes.first_seen, new=False)
    if new is not None and new.ok and change.kind != "removed":
        added = change.kind == "added"
        item.after = view_of(new, changes.new_settings, now, last, changes.first_seen, new=added)
        assert new.schedule is not None
        item.next_run = next_run(
            new.id, new.schedule, changes.new_settings, item.after.timing, item.after.fires
        )
    if item.before and item.after and old and new and old.schedule and new.schedule:
        item.rows = diff_rows(item.before, item.after, old.schedule, new.schedule)
        customers = old.schedule.customer_file, new.schedule.customer_file
        item.rows += customer_rows(*customers, every=False)
        if change.inherits is not None:  # what its changed customer file does to its next run
            before = next_run(
                old.id, old.schedule, changes.old_settings, item.before.timing, item.before.fires
            )
            item.rows += rendered_rows(before, item.next_run)
    return item


def rendered_rows(old: NextRun | None, new: NextRun | None) -> list[Row]:
    """What the next run's file name and subjects render to, where the change alters them."""
    before = {line.what: line.text or line.error for line in old.lines} if old else {}
    after = {line.what: line.text or line.error for line in new.lines} if new else {}
    return [
        (what, value_text(before.get(what)), value_text(after.get(what)))
        for what in [*after, *(w for w in before if w not in after)]
        if what != "customer" and before.get(what) != after.get(what)
    ]


def counts(preview: Preview) -> dict[str, int]:
    """How many files of each kind, in the order they are shown."""
    found: dict[str, int] = {}
    for item in preview.items:
        found[item.change.kind] = found.get(item.change.kind, 0) + 1
    return found


def as_json(preview: Preview) -> dict[str, Any]:
    """The preview as plain data, for tools (the Markdown says the same in sentences)."""
    return {
        "ref": preview.ref,
        "merge_base": preview.base,
        "at": preview.now.isoformat(),
        "last_tick": preview.last_tick.isoformat() if preview.last_tick else None,
        "warnings": [_problem(p) for p in preview.warnings],
        "settings": {
            "changed": [_row(row) for row in preview.changes.settings_rows],
            "problems": [_problem(p) for p in preview.changes.settings_problems],
        },
        "counts": counts(preview),
        "customers": [
            {"file": c.file, "changed": [_row(row) for row in c.rows], "schedules": c.schedules}
            for c in preview.changes.customers
        ],
        "changes": [_item_json(item) for item in preview.items],
    }


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "kind": item.change.kind,
        "id": item.change.sid,
        "file": item.change.file,
        "inherits": item.change.inherits,
        "problems": [_problem(p) for p in item.problems if p.severity == "error"],
        "before": _view_json(item.before),
        "after": _view_json(item.after),
        "changed": [_row(row) for row in item.rows],
        "next_run": _next_run_json(item.next_run, item.after),
    }


def _next_run_json(found: NextRun | None, view: View | None) -> dict[str, Any] | None:
    if found is None or view is None:
        return None
    return {
        "local": found.fire.astimezone(view.timing.zone).isoformat(),
        "utc": found.fire.isoformat(),
        "rendered": [
            {"what": line.what, "text": line.text, "error": line.error} for line in found.lines
        ],
    }


def _row(row: Row) -> dict[str, str]:
    name, before, after = row
    return {"field": name, "before": before, "after": after}


def _view_json(view: View | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "description": view.description,
        "when": view.when,
        "timezone": view.timing.zone.key,
        "sends": view.sends,
        "deliver": view.deliveries,
        "paused": view.paused,
        "next": [_fire_json(f, view) for f in view.fires],
        "warnings": view.warnings,
    }


def _fire_json(fire: Fire, view: View) -> dict[str, Any]:
    found: dict[str, Any] = {
        "local": fire.at.astimezone(view.timing.zone).isoformat(),
        "utc": fire.at.isoformat(),
    }
    if fire.closed:
        found["skipped"] = fire.closed
    if fire.at != fire.nominal:
        found["moved_from"] = fire.nominal.astimezone(view.timing.zone).isoformat()
    return found


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "col": problem.col,
        "severity": problem.severity,
        "where": problem.where,
        "message": problem.message,
        "hint": problem.hint,
    }
