"""The contract between the executor and a delivery channel (`email:`, `outbox:` ...)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from gitcron.config.customer import CustomerFile
from gitcron.config.settings import Settings
from gitcron.core.artifact import Artifact
from gitcron.core.run import RunInfo
from gitcron.errors import GitcronError
from gitcron.net.guard import NetError


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


def unreachable(error: NetError) -> DeliveryError:
    """A refusal or failure of gitcron.net as a delivery error, as permanent as it is."""
    return DeliveryError(error.message, error.hint, permanent=error.permanent)


def permanent(message: str, hint: str) -> DeliveryError:
    """A delivery error that trying again cannot fix (a bad setting, a refused login)."""
    return DeliveryError(message, hint, permanent=True)


@dataclass(frozen=True, slots=True)
class DeliveryContext:
    """One delivery of one run's artifact."""

    run: RunInfo
    settings: Settings
    artifact: Artifact
    root: Path
    outbox: Path | None  # when set, every channel writes into this folder instead of sending
    env: Mapping[str, str]
    # the names a schedule's templates see (`customer`, `run`, ...), built by the job layer
    template_values: Callable[[], dict[str, Any]]
    # the schedule's deliveries in order, as (channel, target): what comes before what
    deliveries: tuple[tuple[str, Any], ...] = ()
    # links to the file made by earlier deliveries of this run (storage presigned URLs), in order,
    # for an email with `link: true`; channels append, deliveries run one after another
    links: list[str] = field(default_factory=list)
    sleep: Callable[[float], None] = time.sleep  # injected by tests: in-tick retries never sleep
    # the clock at send time (aware UTC), for an email's Date; None outside a tick: the instant
    # the run's first attempt began stands in (or the fire)
    now: Callable[[], datetime] | None = None
    customer: CustomerFile | None = None  # the schedule's customer file: names, sender, locale

    def stored_links(self, missing: str, waiting: str) -> list[str]:
        """The links earlier storage deliveries of this run made, for a message that carries the
        file as a link (an email with `link: true`, a chat message). A dry run made none, so it
        names the file; none in a real run is worth a later tick, once the storage delivery
        succeeds: `missing` says what is missing, `waiting` who waits for it."""
        if self.links:
            return list(self.links)
        if self.outbox is not None:  # a dry run uploads nothing, so no link exists yet
            return [f"<link to {self.artifact.name}, made by the storage delivery>"]
        raise DeliveryError(
            f"{self.run.schedule_id}: {missing}",
            f"see the storage delivery's error in this run's record; {waiting} waits for it",
            retry_after=self.settings.channels.retry.within.total_seconds() + 1,
        )

    def sent_at(self) -> datetime:
        """When this delivery is made, as the engine's clock says (never the fire)."""
        if self.now is not None:
            return self.now()
        return self.run.generated or self.run.fire


class Channel(Protocol):
    """A way to deliver, registered by the name used under `deliver:`."""

    def deliver(self, target: Any, ctx: DeliveryContext) -> str | None:
        """Deliver ctx.artifact to `target` (the channel's model); a short note of where it went."""
        ...


@runtime_checkable
class Offline(Protocol):
    """A channel that can deliver without the network when it is not set up to send."""

    def offline(self, target: Any, ctx: DeliveryContext) -> str | None:
        """A note when the delivery was made locally instead (not retried); None to send."""
        ...


class Routed(Protocol):
    """One `deliver:` item: its channel's name, and the target under an attribute of that name."""

    @property
    def channel(self) -> str: ...
