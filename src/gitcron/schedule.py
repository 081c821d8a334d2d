"""The schedule file (`schedules/<customer>/<name>.yaml`): who gets what, when and how.

Its parts are defined where they belong: timing and jobs in `gitcron.config`, each delivery target
in its channel's folder (`gitcron.channels.<kind>.target`), so the channel that trusts a target
sits beside the model that validated it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, StrictBool, model_validator

from gitcron.channels.email.target import EmailTarget
from gitcron.channels.outbox.target import OutboxTarget
from gitcron.channels.sftp.target import SftpTarget
from gitcron.channels.storage.target import StorageTarget
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.addresses import Email
from gitcron.config.base import Strict, exactly_one
from gitcron.config.fields import Duration, Slug, Timezone, bad
from gitcron.config.job import Event, Report
from gitcron.config.policy import Notify, Retry
from gitcron.config.when import Active, SkipItem, When

__all__ = [
    "CHANNELS",
    "Delivery",
    "EmailTarget",
    "OutboxTarget",
    "Schedule",
    "SftpTarget",
    "StorageTarget",
    "WebhookTarget",
]


CHANNELS = ("email", "webhook", "storage", "sftp", "outbox")


class Delivery(Strict):
    email: EmailTarget | None = None
    webhook: WebhookTarget | None = None
    storage: StorageTarget | None = None
    sftp: SftpTarget | None = None
    outbox: OutboxTarget | None = None

    @model_validator(mode="after")
    def _one_channel(self) -> Delivery:
        exactly_one(self, CHANNELS, "each delivery goes through one channel", "email: {to: [...]}")
        return self

    @property
    def channel(self) -> str:
        return next(name for name in CHANNELS if getattr(self, name) is not None)

    def target(self) -> str:
        """What identifies the destination, so two deliveries to one place are caught."""
        spec = getattr(self, self.channel)
        if isinstance(spec, EmailTarget):
            return ",".join(sorted(a.lower() for a in spec.to))
        return str(
            getattr(spec, "url", None)
            or getattr(spec, "path", None)
            or getattr(spec, "dir", None)
            or "default"  # `outbox: {}`: the folder named by channels.outbox.dir
        )


class Schedule(Strict):
    """One schedule file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="gitcron schedule",
        json_schema_extra={"$id": "https://gitcron.dev/schema/schedule.schema.json"},
    )

    description: str | None = Field(None, max_length=2000)
    customer: Slug | None = None
    owner: Email | None = None
    timezone: Timezone | None = None
    schedule: When
    skip: list[SkipItem] = []
    on_closed: Literal["skip", "next-open-day"] = "skip"
    active: Active | None = None
    max_runs: int | None = Field(None, ge=1)
    paused: StrictBool = False
    catchup: Literal["latest", "all", "none"] | None = None
    max_delay: Duration | None = None
    report: Report | None = None
    event: Event | None = None
    deliver: list[Delivery] = []
    retry: Retry | None = None
    notify: Notify | None = None
    labels: dict[str, str | int | float | bool] = {}

    @model_validator(mode="after")
    def _one_job(self) -> Schedule:
        exactly_one(self, ("report", "event"), "a schedule does one job", "report: {dataset: ...}")
        return self

    @model_validator(mode="after")
    def _links_come_first(self) -> Schedule:
        linking = False
        for item in self.deliver:
            if item.email is not None and item.email.link and not linking:
                raise bad(
                    "an email with link: true needs a storage delivery with link_expires listed"
                    " before it, to make the link",
                    "add e.g. - storage: { url: s3://bucket/reports, link_expires: 7d } above the"
                    " email under deliver:, or set link: false",
                    kind="target",
                )
            linking |= item.storage is not None and item.storage.link_expires is not None
        return self
