"""The contract between the executor and a delivery channel (`email:`, `outbox:` ...)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gitcron.config.schedule import Schedule
from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.jobs.base import Artifact, RunInfo


class DeliveryError(GitcronError):
    """A delivery did not arrive. `permanent` errors are never retried (a 401, a bad address)."""

    def __init__(self, message: str, hint: str | None = None, permanent: bool = False) -> None:
        super().__init__(message, hint)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class DeliveryContext:
    """One delivery of one run's artifact."""

    run: RunInfo
    schedule: Schedule
    settings: Settings
    artifact: Artifact
    root: Path
    outbox: Path | None  # when set, every channel writes into this folder instead of sending
    env: Mapping[str, str]


class Channel(Protocol):
    """A way to deliver, registered by the name used under `deliver:`."""

    def deliver(self, target: Any, ctx: DeliveryContext) -> str | None:
        """Deliver ctx.artifact to `target` (the channel's model); a short note of where it went."""
        ...
