"""One version of a schedule as a reviewer sees it: words, next runs, targets, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gitcron.catalog.anchor import FirstSeenOf, first_seen_for
from gitcron.catalog.build import timing_for, zone_name
from gitcron.catalog.load import Entry
from gitcron.config.problems import Problem, ordered
from gitcron.config.settings import Settings
from gitcron.review.changes import Row, value_text
from gitcron.review.dst import dst_notes
from gitcron.review.notes import closed_notes, first_run_notes, upcoming
from gitcron.review.words import delivery_words, job_words, when_words
from gitcron.schedule import Schedule
from gitcron.timing import Fire, Timing

NEXT_RUNS = 5
_TIMING_KEYS = {"schedule", "timezone", "skip", "on_closed", "active", "max_runs"}
_SHOWN_KEYS = {*_TIMING_KEYS, "paused", "report", "event", "deliver"}


@dataclass(slots=True)
class View:
    """What the preview says about one valid version of a schedule file."""

    description: str | None
    when: str
    sends: str
    deliveries: list[str]
    paused: bool
    timing: Timing
    fires: list[Fire] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def view_of(
    entry: Entry,
    settings: Settings,
    now: datetime,
    last: datetime | None,
    first_seen: FirstSeenOf,
    new: bool,
) -> View:
    """`new`: the schedule did not exist before, so say what its first tick will do.

    `first_seen` (a `catalog.anchor.FirstSeen`) says where an `every:` counts from, as the tick
    does: both versions of a changed schedule count from the same day, so the runs listed are
    the ones the tick will make.
    """
    schedule = entry.schedule
    assert schedule is not None
    seen = first_seen_for(entry.id, schedule, first_seen, now)
    timing = timing_for(schedule, settings, seen)
    view = View(
        schedule.description,
        when_words(schedule, timing, zone_name(schedule, settings)),
        job_words(schedule),
        [delivery_words(d) for d in schedule.deliver],
        schedule.paused,
        timing,
    )
    first = first_run_notes(schedule, timing, settings, now, last) if new else []
    view.warnings = [problem_line(p) for p in ordered(entry.problems) if not _said(p, first)]
    if schedule.paused:
        return view
    view.fires = upcoming(timing, now, NEXT_RUNS)
    view.warnings += dst_notes(timing, now) + closed_notes(timing, now) + first
    return view


def _said(problem: Problem, first: list[str]) -> bool:
    """The validator's "it will never run" knows no last tick; the first-run note does."""
    return bool(first) and problem.kind == "timing" and "will never run" in problem.message


def problem_line(problem: Problem) -> str:
    """`file:line:col: where: message (fix: ...)` on one line, for lists in Markdown."""
    position = f"{problem.file}:{problem.line}:{problem.col}" if problem.line else problem.file
    where = f"{problem.where}: " if problem.loc else ""
    fix = f" (fix: {problem.hint})" if problem.hint else ""
    return f"{position}: {where}{problem.message}{fix}"


def diff_rows(old: View, new: View, before: Schedule, after: Schedule) -> list[Row]:
    """Field-level changes, old -> new: timing and targets in words, the rest as values."""
    rows: list[Row] = []
    for name, a, b in (
        ("when", old.when, new.when),
        ("paused", _yes(old.paused), _yes(new.paused)),
        ("sends", old.sends, new.sends),
        ("deliver", "; ".join(old.deliveries) or "nothing", "; ".join(new.deliveries) or "nothing"),
    ):
        if a != b:
            rows.append((name, a, b))
    was: dict[str, Any] = before.model_dump(mode="json", by_alias=True, exclude_none=True)
    now: dict[str, Any] = after.model_dump(mode="json", by_alias=True, exclude_none=True)
    for key in sorted((was.keys() | now.keys()) - _SHOWN_KEYS):
        if was.get(key) != now.get(key):
            rows.append((key, value_text(was.get(key)), value_text(now.get(key))))
    return rows


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
