"""The contract between the executor and a delivery channel (`email:`, `outbox:` ...)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from gitcron.config.schedule import Schedule
from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.jobs.base import Artifact, RunInfo


class DeliveryError(GitcronError):
    """A delivery did not arrive. `permanent` errors are never retried (a 401, a bad address).

    `retry_after` (seconds) is the receiver's own word on when to try again (HTTP Retry-After);
    the in-tick retry waits at least that long, or leaves the retry to a later tick.
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        permanent: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.permanent = permanent
        self.retry_after = retry_after


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
    # links to the file made by earlier deliveries of this run (storage presigned URLs), in order,
    # for an email with `link: true`; channels append, deliveries run one after another
    links: list[str] = field(default_factory=list)
    sleep: Callable[[float], None] = time.sleep  # injected by tests: in-tick retries never sleep


class Channel(Protocol):
    """A way to deliver, registered by the name used under `deliver:`."""

    def deliver(self, target: Any, ctx: DeliveryContext) -> str | None:
        """Deliver ctx.artifact to `target` (the channel's model); a short note of where it went."""
        ...
