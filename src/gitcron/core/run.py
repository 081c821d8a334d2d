"""One run as everything below the engine sees it: its identity, its fire and its data interval."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from gitcron.state.codec import format_instant

if TYPE_CHECKING:
    from gitcron.config.settings import Settings

RUN_VALUES = ("interval_start", "interval_end", "fire")  # given to every dataset besides params


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One run as templates, datasets and channels see it (never the schedule's state)."""

    run_id: str  # `<schedule id>@<fire UTC>`: the idempotency key of every delivery
    schedule_id: str
    fire: datetime  # aware UTC
    interval_start: datetime | None  # the previous fire (aware UTC); None when there is none
    trigger: str  # scheduled | catchup | retry | manual | resend | backfill
    attempt: int
    zone: ZoneInfo  # the schedule's timezone
    # when the run's first attempt began (aware UTC), kept in its records: files say "generated"
    # with it, so a retry re-renders the same bytes; None outside a tick (the fire stands in)
    generated: datetime | None = None
    # a delivery again of what already arrived (a re-send): receivers must not drop it as a
    # duplicate, so its deliveries carry an id of their own (`delivery_id`)
    again: bool = False
    # the value of a bursting report's part being delivered: each part is a delivery of its own
    part: str | None = None

    @property
    def delivery_id(self) -> str:
        """The idempotency key a delivery carries: the run id, the same on every retry, so a
        receiver drops a duplicate; a part adds its value (two parts are two messages, even to
        one person); a re-send adds its attempt, so a receiver accepts it."""
        key = self.run_id if self.part is None else f"{self.run_id}#part={self.part}"
        return f"{key}#{self.attempt}" if self.again else key

    # the digest of the rows of the schedule's last delivered run (`on_unchanged: skip`)
    delivered_rows: str | None = None

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
            "generated": format_instant(self.generated or self.fire),
        }


class RunScope(Protocol):
    """What a dataset or a renderer may use of a job's context: the run, the repository, env,
    and gitcron.yaml (an http dataset reads `network.allow` from it)."""

    @property
    def run(self) -> RunInfo: ...

    @property
    def root(self) -> Path: ...

    @property
    def env(self) -> Mapping[str, str]: ...

    @property
    def settings(self) -> Settings: ...
