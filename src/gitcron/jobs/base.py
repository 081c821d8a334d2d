"""The contract between the executor and a job: what a run is told, and what it hands back.

A job turns one run into an `Artifact` (a file, or an event body); the executor then hands the
artifact to each delivery target through `gitcron.channels`. Jobs never deliver and never touch
state, so a job can be tried on its own and a retry can re-send without re-deciding anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from gitcron.config.schedule import Schedule
from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.state.codec import format_instant


class JobError(GitcronError):
    """A run could not make its artifact. `permanent` errors are not retried (a bad template)."""

    def __init__(self, message: str, hint: str | None = None, permanent: bool = False) -> None:
        super().__init__(message, hint)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One run as templates, datasets and channels see it (never the schedule's state)."""

    run_id: str  # `<schedule id>@<fire UTC>`: the idempotency key of every delivery
    schedule_id: str
    fire: datetime  # aware UTC
    interval_start: datetime | None  # the previous fire (aware UTC); None when there is none
    trigger: str  # scheduled | catchup | retry | manual
    attempt: int
    zone: ZoneInfo  # the schedule's timezone

    @property
    def customer(self) -> str:
        return self.schedule_id.split("/", 1)[0]

    @property
    def interval_end(self) -> datetime:
        return self.fire

    @property
    def local_fire(self) -> datetime:
        return self.fire.astimezone(self.zone)

    def template_context(self) -> dict[str, Any]:
        """`run.*` in templates: instants in UTC ISO form, local date and time in the zone."""
        local = self.local_fire
        start = self.interval_start
        return {
            "id": self.run_id,
            "fire": format_instant(self.fire),
            "local_date": local.strftime("%Y-%m-%d"),
            "local_time": local.strftime("%H%M"),
            "local": local.isoformat(),
            "timezone": self.zone.key,
            "interval_start": None if start is None else format_instant(start),
            "interval_end": format_instant(self.fire),
            "trigger": self.trigger,
            "attempt": self.attempt,
        }


@dataclass(frozen=True, slots=True)
class JobContext:
    """Everything a job may use: the run, its validated schedule, settings, and where to write."""

    run: RunInfo
    schedule: Schedule
    settings: Settings
    root: Path  # the repository
    work_dir: Path  # an empty folder owned by this run; the artifact's file goes here
    env: Mapping[str, str]  # environment variables (secrets are read only through config names)


@dataclass(frozen=True, slots=True)
class Artifact:
    """What a job produced, ready for every channel."""

    name: str  # the file name the customer sees (already a safe single path component)
    content_type: str  # MIME type
    path: Path | None = None  # the file (reports); None for events
    body: bytes | None = None  # the JSON body (events); None for reports
    rows: int | None = None
    note: str | None = None  # e.g. "no rows: sent an empty file"
    skip: bool = False  # on_empty: skip and no rows: nothing is delivered, the run is `skipped`

    def data(self) -> bytes:
        """The bytes to deliver."""
        if self.body is not None:
            return self.body
        assert self.path is not None
        return self.path.read_bytes()


class Job(Protocol):
    """A kind of work a schedule does (`report:`, `event:`), registered by name."""

    def produce(self, ctx: JobContext) -> Artifact:
        """Make the run's artifact in ctx.work_dir; raise JobError when it cannot."""
        ...
