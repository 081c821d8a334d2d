"""The contract between the executor and a job: what a run is told, and what it hands back.

A job turns one run into an `Artifact` (a file, or an event body); the executor then hands the
artifact to each delivery target through `gitcron.channels`. Jobs never deliver and never touch
state, so a job can be tried on its own and a retry can re-send without re-deciding anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from gitcron.config.settings import Settings
from gitcron.core.artifact import Artifact, JobError
from gitcron.core.run import RunInfo

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule

__all__ = ["Artifact", "Job", "JobContext", "JobError", "RunInfo"]


@dataclass(frozen=True, slots=True)
class JobContext:
    """Everything a job may use: the run, its validated schedule, settings, and where to write."""

    run: RunInfo
    schedule: Schedule
    settings: Settings
    root: Path  # the repository
    work_dir: Path  # an empty folder owned by this run; the artifact's file goes here
    env: Mapping[str, str]  # environment variables (secrets are read only through config names)


class Job(Protocol):
    """A kind of work a schedule does (`report:`, `event:`), registered by name."""

    def produce(self, ctx: JobContext) -> Artifact:
        """Make the run's artifact in ctx.work_dir; raise JobError when it cannot."""
        ...
