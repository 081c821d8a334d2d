"""Jobs by name: `report` and `event` built in, more from packages under the `gitcron.jobs` group.

A plugin package declares `[project.entry-points."gitcron.jobs"] name = "module:Factory"`, where
the factory returns an object with `produce(ctx) -> Artifact`. Entry points are listed once, on
first use, and a plugin's module is imported only when its job is asked for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

from gitcron.jobs.base import Job, JobError
from gitcron.jobs.event import EventJob
from gitcron.jobs.report import ReportJob

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule

GROUP = "gitcron.jobs"
JobFactory = Callable[[], Job]
BUILTIN: dict[str, JobFactory] = {"report": ReportJob, "event": EventJob}


def _entry_points() -> list[EntryPoint]:
    """The installed plugins (tests replace this function)."""
    return list(entry_points(group=GROUP))


@functools.cache
def registry() -> dict[str, JobFactory]:
    """Every job by name; two packages claiming one name is an error, never a silent winner."""
    jobs = dict(BUILTIN)
    origin = dict.fromkeys(BUILTIN, "gitcron itself")
    for point in _entry_points():
        owner = f"the package {point.dist.name}" if point.dist else f"'{point.value}'"
        if point.name in jobs:
            raise JobError(
                f"the job '{point.name}' is registered twice: by {origin[point.name]}"
                f" and by {owner}",
                "uninstall one of the two, or ask the plugin's author to rename its job",
                permanent=True,
            )
        jobs[point.name] = _lazy(point)
        origin[point.name] = owner
    return jobs


def _lazy(point: EntryPoint) -> JobFactory:
    def make() -> Job:
        try:
            job = point.load()()
        except Exception as error:
            raise JobError(
                f"the job plugin '{point.name}' ({point.value}) failed to load: {error}",
                "reinstall the package that provides it, or uninstall it",
                permanent=True,
            ) from error
        if not callable(getattr(job, "produce", None)):
            raise JobError(
                f"the job plugin '{point.name}' ({point.value}) has no produce(ctx) method",
                "its factory must return an object with produce(ctx) -> Artifact",
                permanent=True,
            )
        return job  # type: ignore[no-any-return]

    return make


def job_named(name: str) -> Job:
    """A new job of kind `name`; unknown names are a permanent JobError."""
    factory = registry().get(name)
    if factory is None:
        raise JobError(
            f"there is no job named '{name}' (known: {', '.join(sorted(registry()))})",
            "install the plugin that provides it",
            permanent=True,
        )
    return factory()


def job_kind(schedule: Schedule) -> str:
    """`report` or `event`: the section the schedule has."""
    return "report" if schedule.report is not None else "event"


def job_for(schedule: Schedule) -> Job:
    """The job that runs `schedule`."""
    return job_named(job_kind(schedule))
