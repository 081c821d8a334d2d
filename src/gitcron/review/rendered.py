"""What the next run of a changed schedule will be called: its file name and email subjects.

A green check should mean the delivery will work, so the preview renders the schedule's own
templates for its next fire, with the run the tick would make (scheduled, attempt 1, the data
interval from the previous fire) and no rows yet. A template that fails is shown as its error:
the preview itself never fails on one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from gitcron.channels.base import DeliveryContext
from gitcron.channels.email.message import recipients, subject
from gitcron.config.settings import Settings
from gitcron.core.artifact import Artifact
from gitcron.core.run import RunInfo
from gitcron.engine.due import previous_fire
from gitcron.errors import GitcronError
from gitcron.jobs.context import template_context
from gitcron.jobs.filenames import file_name
from gitcron.jobs.report import extension, report_title
from gitcron.schedule import Schedule
from gitcron.state.codec import make_run_id
from gitcron.timing import Fire, Timing


@dataclass(frozen=True, slots=True)
class Line:
    """One rendered template: what it is, and its text or why it cannot be rendered."""

    what: str  # "file", "email subject" (with the recipients when there are several emails)
    text: str | None = None
    error: str | None = None


@dataclass(slots=True)
class NextRun:
    """The next runnable fire and what its templates render to."""

    fire: datetime  # aware UTC
    lines: list[Line] = field(default_factory=list)


def next_run(
    sid: str, schedule: Schedule, settings: Settings, timing: Timing, fires: list[Fire]
) -> NextRun | None:
    """The first fire in `fires` that runs, rendered; None when none of them runs."""
    fire = next((f for f in fires if f.closed is None), None)
    if fire is None:
        return None
    found = NextRun(fire.at)
    try:
        start = previous_fire(timing, fire.at)
    except Exception:  # the previous fire only widens the interval; without it there is none
        start = None
    run = RunInfo(make_run_id(sid, fire.at), sid, fire.at, start, "scheduled", 1, timing.zone)

    def context() -> dict[str, Any]:
        return template_context(run, schedule, settings, rows=None)

    customer = schedule.customer_file
    if customer is not None:  # what its customer file gives it, as the customer reads it
        found.lines.append(Line("customer", text=customer.name))
    name, title = "(no file yet)", None
    if schedule.report is not None:
        report = schedule.report
        line = _attempt("file", lambda: file_name(report.filename, context(), extension(report)))
        found.lines.append(line)
        name = line.text or name
        title = _attempt("title", lambda: report_title(report, report.dataset, context())).text
    emails = [d.email for d in schedule.deliver if d.email is not None]
    for email in emails:
        what = "email subject" if len(emails) == 1 else f"email subject to {recipients(email)}"
        delivery = DeliveryContext(
            run=run,
            settings=settings,
            artifact=Artifact(name, "application/octet-stream", title=title),
            root=Path("."),
            outbox=None,
            env={},
            template_values=context,
            customer=customer,
        )
        found.lines.append(_attempt(what, partial(subject, email, delivery)))
    return found


def _attempt(what: str, make: Callable[[], str]) -> Line:
    """`make()` as a line; its error in words when it fails, whatever the error is."""
    try:
        return Line(what, text=make())
    except GitcronError as error:
        hint = f" (fix: {error.hint})" if error.hint else ""
        return Line(what, error=f"{error.message}{hint}")
    except Exception as error:  # the preview reports, it never stops on a schedule's template
        return Line(what, error=f"{type(error).__name__}: {error}")
