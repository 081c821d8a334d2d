"""The plugin API: everything a third-party job or channel may import, and nothing else.

A job plugin registers a factory under the entry-point group `gitcron.jobs` and returns an object
with `produce(ctx: JobContext) -> Artifact`; a channel plugin registers under `gitcron.channels`
and returns an object with `deliver(target, ctx: DeliveryContext) -> str | None`. Both raise their
error type with `permanent=True` when trying again cannot help. Names here stay importable across
releases; gitcron's other modules may move (`gitcron.jobs.base` keeps re-exporting its old names).
"""

from __future__ import annotations

from gitcron.channels.base import Channel, DeliveryContext, DeliveryError
from gitcron.core.artifact import Artifact, JobError
from gitcron.core.run import RunInfo
from gitcron.errors import GitcronError
from gitcron.jobs.base import Job, JobContext

__all__ = [
    "Artifact",
    "Channel",
    "DeliveryContext",
    "DeliveryError",
    "GitcronError",
    "Job",
    "JobContext",
    "JobError",
    "RunInfo",
]
