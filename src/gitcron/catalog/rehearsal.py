"""Rehearsal: every template of a schedule, checked by name and rendered as its next run will be.

A green check must mean the delivery will work. Compiling a template (the model's check) cannot
see `{{ run.nope }}` or `{{ customer.name }}`, which fail at 09:00 on the day. So validate
1. follows every name each template reads, in every branch, through the values a run gives
   (`gitcron.config.template_names`), so a branch taken once a year is checked today; then
2. renders each template in the run sandbox (strict undefined names, the run's budgets) as the
   tick will: for the next run (its fire, its data interval from the fire before) with sample
   rows, and for a retry of the run after it with no rows. A template that can branch is also
   rendered for a year's variety of runs (each weekday, day of the month, month, hour and
   daylight-saving offset: `catalog.fire_sample`), both ways, and, when it reads `rows`, for the
   next run with one row and with each side of `min_rows` and `max_rows`. Sample rows come from the
   declared columns and the bundled or committed data (`gitcron.datasets.samples`), never from
   a live query.

The names come from `gitcron.jobs.context` and file names are made by `gitcron.jobs.filenames`,
exactly as the run makes them. Compiled templates are cached by their text (config/sandbox.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from gitcron.catalog.fire_sample import Sampled, next_runs, row_counts, year_of_runs
from gitcron.channels.email.message import MAX_BODY
from gitcron.config.problems import Loc, Problem, strings_at
from gitcron.config.sandbox import render_template
from gitcron.config.settings import Dataset, Settings
from gitcron.config.template_names import name_problems
from gitcron.config.templates import SIMPLE
from gitcron.core.run import RunInfo
from gitcron.datasets.samples import sample_rows
from gitcron.errors import GitcronError
from gitcron.jobs.context import template_context
from gitcron.jobs.filenames import file_name
from gitcron.jobs.report import extension
from gitcron.schedule import Schedule
from gitcron.state.codec import make_run_id
from gitcron.timing import Timing

Found = Iterator[Problem]


class Place(NamedTuple):
    """One template of the schedule: where it is written and how the run makes it (a tuple:
    validate makes a few for every schedule)."""

    loc: Loc
    source: str
    make: Callable[[str, dict[str, Any]], str]  # (source, names) -> text; raises GitcronError
    links: bool = False  # an email body also sees `links`
    counted: bool = True  # `rows` holds the count (a PDF title is made before any row is read)


@functools.cache
def _text(limit: int) -> Callable[[str, dict[str, Any]], str]:
    return lambda source, names: render_template(source, names, limit)


@functools.cache
def _name(kind: str) -> Callable[[str, dict[str, Any]], str]:
    return lambda source, names: file_name(source, names, kind)


def places(schedule: Schedule) -> Iterator[Place]:
    """Every template a run of `schedule` renders: file name, PDF title, email subject, body and
    html, storage key, event payload texts."""
    report = schedule.report
    kind = extension(report) if report is not None else "json"
    if report is not None:
        if report.filename is not None:
            yield Place(("report", "filename"), report.filename, _name(kind))
        if report.pdf is not None and report.pdf.title is not None:
            yield Place(("report", "pdf", "title"), report.pdf.title, _text(500), counted=False)
    for index, delivery in enumerate(schedule.deliver):
        email, storage = delivery.email, delivery.storage
        if email is not None:
            texts = (("subject", email.subject), ("body", email.body), ("html", email.html))
            for key, source in texts:
                if source is not None:
                    make = _text(1000 if key == "subject" else MAX_BODY)
                    loc: Loc = ("deliver", index, "email", key)
                    yield Place(loc, source, make, links=key != "subject")
        if storage is not None and storage.key is not None:
            yield Place(("deliver", index, "storage", "key"), storage.key, _name(kind))
    if schedule.event is not None:
        for loc, text in strings_at(schedule.event.payload, ("event", "payload")):
            yield Place(loc, text, _text(10_000))


@dataclass(frozen=True, slots=True)
class RehearsedRun:
    info: RunInfo
    rows: int
    retry: bool  # a second attempt, with no rows

    def words(self, zone: ZoneInfo) -> str:
        """Which run, for the message (made only when a template fails)."""
        local = self.info.fire.astimezone(zone)
        when = f"{local:%a} {local.day} {local:%b %Y %H:%M} {zone.key}"
        if self.retry:
            return f"a retry of the run of {when} with no rows"
        empty = " (no run before it: run.interval_start is empty)"
        rows = f"{self.rows} row{'s' * (self.rows != 1)}"
        return f"the run of {when} with {rows}{'' if self.info.interval_start else empty}"


def make_run(sid: str, sampled: Sampled, timing: Timing, rows: int, retry: bool) -> RehearsedRun:
    """The run the tick would make for `sampled`: scheduled with `rows`, or a retry with none."""
    trigger, attempt = ("retry", 2) if retry else ("scheduled", 1)
    at, start = sampled.fire, sampled.start
    info = RunInfo(sid + _fire_id(at), sid, at, start, trigger, attempt, timing.zone)
    return RehearsedRun(info, 0 if retry else rows, retry)


@functools.lru_cache(maxsize=4096)
def _fire_id(fire: datetime) -> str:
    """What a run id adds to its schedule's id (`make_run_id` of an empty one: `@` and the
    instant), spelled once per fire: schedules share their fires."""
    return make_run_id("", fire)


def run_values(run: RehearsedRun) -> dict[str, Any]:
    """`run` in templates, as `RunInfo.template_context` gives it: the values of a fire are
    worked out once for every schedule sharing it; only the run's id is each schedule's own."""
    info = run.info
    shared = _fire_values(info.fire, info.interval_start, info.zone, info.trigger, info.attempt)
    return {**shared, "id": info.run_id}


@functools.lru_cache(maxsize=4096)
def _fire_values(
    fire: datetime, start: datetime | None, zone: ZoneInfo, trigger: str, attempt: int
) -> dict[str, Any]:
    return RunInfo("", "", fire, start, trigger, attempt, zone).template_context()


def rehearse(
    file: str,
    sid: str,
    schedule: Schedule,
    settings: Settings,
    timing: Timing,
    now: datetime,
    root: Path,
) -> Found:
    """Each template rendered for the next runs, and its names followed in every branch; one
    problem per template. `root`: the repository, where a `file:` dataset's sample is read.

    The next run has sample rows; a retry of the run after it has none. A template with more
    than `{{ a.b }}` (it may branch) is also rendered for a year's variety of runs, both ways,
    and, when it reads `rows`, for the next run with each count of `row_counts`.
    """
    found = list(places(schedule))
    if not found:
        return
    count = _sample_count(schedule, settings, root)
    first, then = next_runs(timing, now)
    runs = [make_run(sid, first, timing, count, False), make_run(sid, then, timing, count, True)]
    try:
        first_values = run_values(runs[0])
        base = template_context(
            runs[0].info, schedule, settings, rows=runs[0].rows, run_values=first_values
        )
    except GitcronError:  # a dataset or parameter missing: job_checks reports it
        return

    def names(run: RehearsedRun) -> dict[str, Any]:  # only the run and its rows differ between runs
        return {**base, "run": run_values(run), "rows": run.rows}

    contexts = [base, names(runs[1])]
    more: list[tuple[RehearsedRun, dict[str, Any]]] | None = None
    for place in found:
        simple = SIMPLE.match(place.source) is not None
        failed = _render(file, place, zip(runs, contexts, strict=True), timing.zone)
        if failed is None and simple:
            continue  # every name of a `{{ a.b }}` template was read, in its only branch
        shape = {**contexts[1], "links": LINKS} if place.links else contexts[1]
        wrong = name_problems(place.source, shape)
        for problem in wrong:  # before the rendering's error: it says where, and the fix
            inside = (problem.line, problem.col)
            yield Problem(
                file, problem.message, place.loc, problem.hint, inside=inside, kind="content"
            )
        if failed is None and not wrong:
            if more is None:
                year = year_of_runs(timing, now)
                made = [
                    make_run(sid, s, timing, count, retry) for s in year for retry in (False, True)
                ]
                more = [(run, names(run)) for run in made]
            failed = _render(file, place, iter(more), timing.zone)
        if failed is None and not wrong and place.counted and "rows" in place.source:
            counts = row_counts(schedule.report, (count, 0))
            made = [make_run(sid, first, timing, n, False) for n in counts]
            tried = ((run, {**base, "rows": run.rows}) for run in made)
            failed = _render(file, place, tried, timing.zone)
        if failed is not None and not wrong:
            yield failed


LINKS = ["https://files.example/acme-products.xlsx"]  # an email's storage links, as they look


def _render(
    file: str, place: Place, runs: Iterator[tuple[RehearsedRun, dict[str, Any]]], zone: ZoneInfo
) -> Problem | None:
    for run, values in runs:
        if not place.counted or place.links:
            values = {**values, "rows": values["rows"] if place.counted else None}
            if place.links:
                values["links"] = LINKS
        try:
            place.make(place.source, values)
        except GitcronError as error:
            detail = error.message.removeprefix("the filename template: ")
            detail = detail.removeprefix("the template failed: ")
            return Problem(
                file,
                f"this template fails for {run.words(zone)}: {detail}",
                place.loc,
                error.hint or "see docs/schedules.md#templates for what each name holds",
                kind="content",
            )
    return None


# By dataset and repository: every schedule of a dataset shares one read of its sample.
_COUNTS: dict[tuple[int, Path], tuple[Dataset, int]] = {}


def _sample_count(schedule: Schedule, settings: Settings, root: Path) -> int:
    report = schedule.report
    spec = settings.datasets.get(report.dataset) if report is not None else None
    if spec is None:
        return 0
    cached = _COUNTS.get((id(spec), root))
    if cached is None or cached[0] is not spec:
        cached = _COUNTS[id(spec), root] = (spec, len(sample_rows(spec, root)[1]))
    return cached[1]
