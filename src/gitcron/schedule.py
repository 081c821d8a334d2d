"""The schedule file (`schedules/<customer>/<name>.yaml`): who gets what, when and how.

Its parts are defined where they belong: timing and jobs in `gitcron.config`, each delivery target
in its channel's folder (`gitcron.channels.<kind>.target`), so the channel that trusts a target
sits beside the model that validated it.

Over 250 lines on purpose: every key carries its help for editors (`about(...)`: a description
shown on hover, examples to copy) and the JSON Schema of its cross-key rules, beside the
validator that enforces them, so `schema/schedule.schema.json` says what validate says.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, StrictBool, model_validator

from gitcron.channels.email.target import EmailTarget
from gitcron.channels.outbox.target import OutboxTarget
from gitcron.channels.protect.target import Protect
from gitcron.channels.sftp.target import SftpTarget
from gitcron.channels.slack.target import SlackTarget
from gitcron.channels.storage.target import StorageTarget
from gitcron.channels.teams.target import TeamsTarget
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.addresses import Email
from gitcron.config.base import Strict, about, exactly_one, one_of, present
from gitcron.config.customer import CustomerFile
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
    "SlackTarget",
    "StorageTarget",
    "TeamsTarget",
    "WebhookTarget",
]


CHANNELS = ("email", "webhook", "storage", "sftp", "slack", "teams", "outbox")


class Delivery(Strict):
    """One place the file goes: exactly one of email, webhook, storage, sftp, slack, teams or
    outbox."""

    model_config = ConfigDict(json_schema_extra=one_of(CHANNELS))

    email: Annotated[
        EmailTarget | None,
        about("send the file by email", {"to": ["buyer@acme.example"], "subject": "Products"}),
    ] = None
    webhook: Annotated[
        WebhookTarget | None,
        about(
            "POST the file or event to a web address, signed",
            {"url": "https://hooks.acme.example/gitcron", "secret_env": "ACME_WEBHOOK_SECRET"},
        ),
    ] = None
    storage: Annotated[
        StorageTarget | None,
        about(
            "save the file in a folder of the repository, a file:// folder or an s3:// bucket",
            {"path": "exports/acme"},
            {"url": "s3://acme-reports/exports", "link_expires": "7d"},
        ),
    ] = None
    sftp: Annotated[
        SftpTarget | None,
        about(
            "upload the file to the customer's SFTP server",
            {
                "url": "sftp://gitcron@sftp.acme.example/incoming",
                "key_env": "ACME_SFTP_KEY",
                "known_hosts": "sftp.acme.example ssh-ed25519 AAAA...",
            },
        ),
    ] = None
    slack: Annotated[
        SlackTarget | None,
        about(
            "post a message with the file's link to Slack, or upload the file with a bot token",
            {"webhook": "acme-slack"},
            {"token": "acme-slack-bot", "channel": "C0123456789"},
        ),
    ] = None
    teams: Annotated[
        TeamsTarget | None,
        about(
            "post a message with the file's link to Microsoft Teams (a Workflows webhook)",
            {"webhook": "acme-teams"},
        ),
    ] = None
    outbox: Annotated[
        OutboxTarget | None,
        about("only write the file to the local outbox folder (for tries)", {}),
    ] = None

    protect: Annotated[
        Protect | None,
        about(
            "seal the file before it goes: encrypted to public keys under keys/ (age, openpgp)"
            " or in an AES zip whose password is a credential of gitcron.yaml",
            {"age": ["keys/acme/buyer.age"]},
            {"zip": "acme-zip-password"},
        ),
    ] = None

    @model_validator(mode="after")
    def _one_channel(self) -> Delivery:
        exactly_one(self, CHANNELS, "each delivery goes through one channel", "email: {to: [...]}")
        return self

    @property
    def channel(self) -> str:
        for name in CHANNELS:  # a loop, not next() over a generator: checks ask it often
            if getattr(self, name) is not None:
                return name
        raise AssertionError("a delivery has one channel (`_one_channel`)")

    @property
    def needs_links(self) -> bool:
        """Its target may carry the storage links of the run (an email with link: true or
        too_large: link, a Slack webhook, Teams): the storage deliveries above it make them."""
        return bool(getattr(getattr(self, self.channel), "needs_links", False))

    def target(self) -> str:
        """What identifies the destination, so two deliveries to one place are caught."""
        spec = getattr(self, self.channel)
        if isinstance(spec, EmailTarget):  # a bursting report's: each part's own recipients
            return ",".join(sorted(a.lower() for a in spec.to)) if spec.to else "parts"
        return str(
            getattr(spec, "url", None)
            or getattr(spec, "path", None)
            or getattr(spec, "dir", None)
            or getattr(spec, "channel", None)  # a Slack upload: the channel it goes to
            or getattr(spec, "webhook", None)  # a chat webhook: the credential holding its URL
            or "default"  # `outbox: {}`: the folder named by channels.outbox.dir
        )


def _some_item(channel: str, **properties: Any) -> dict[str, Any]:
    """JSON Schema: `deliver:` holds an item of `channel` (with `properties` set, if given)."""
    target: dict[str, Any] = {"type": "object"}
    if properties:
        target |= {"required": list(properties), "properties": properties}
    return {
        "required": ["deliver"],
        "properties": {
            "deliver": {"contains": {"required": [channel], "properties": {channel: target}}}
        },
    }


# The rules of catalog/job_checks.py and `_links_come_first` that JSON Schema can say: an event
# needs a webhook (or the outbox) to go to; an email with `link: true` needs a storage delivery
# that makes links (validate also wants it listed before the email: an order no schema can say).
_EVENT_NEEDS_A_RECEIVER: dict[str, Any] = {
    "if": present("event"),
    "then": {"anyOf": [_some_item("webhook"), _some_item("outbox")]},
}
_LINK_NEEDS_STORAGE: dict[str, Any] = {
    "if": {
        "anyOf": [
            _some_item("email", link={"const": True}),
            _some_item("email", too_large={"const": "link"}),
        ]
    },
    "then": _some_item("storage", link_expires={"not": {"type": "null"}}),
}
# A report's file reaches a Slack webhook or Teams only as a link.
_CHAT_NEEDS_STORAGE: dict[str, Any] = {
    "if": {
        "allOf": [
            present("report"),
            {"anyOf": [_some_item("slack", webhook={"type": "string"}), _some_item("teams")]},
        ]
    },
    "then": _some_item("storage", link_expires={"not": {"type": "null"}}),
}

# A bursting report's parts go only where they stay apart (catalog/burst_checks.py): email (each
# part to its own recipients, so the email names no `to:`), storage and the outbox.
_BURST_PARTS_STAY_APART: dict[str, Any] = {
    "if": {
        "required": ["report"],
        "properties": {"report": {"type": "object", **present("burst")}},
    },
    "then": {
        "properties": {
            "deliver": {
                "items": {
                    "not": {
                        "anyOf": [present(name) for name in ("webhook", "sftp", "slack", "teams")]
                    },
                    "properties": {"email": {"not": present("to")}},
                }
            }
        }
    },
}


class Schedule(Strict):
    """One schedule file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="gitcron schedule",
        json_schema_extra={
            "$id": "https://gitcron.dev/schema/schedule.schema.json",
            **one_of(("report", "event")),
            "allOf": [
                _EVENT_NEEDS_A_RECEIVER,
                _LINK_NEEDS_STORAGE,
                _CHAT_NEEDS_STORAGE,
                _BURST_PARTS_STAY_APART,
            ],
        },
    )

    description: Annotated[
        str | None,
        about("one line for people reading the repo", "Products workbook for Acme's buyers"),
    ] = Field(None, max_length=2000)
    customer: Annotated[
        Slug | None,
        about("the customer's folder name under schedules/; must match it", "acme"),
    ] = None
    owner: Annotated[
        Email | None,
        about("the account manager's email, told about failures", "jane.doe@ourco.example"),
    ] = None
    timezone: Annotated[
        Timezone | None,
        about(
            "the timezone of every time in this file (default: defaults.timezone in gitcron.yaml)",
            "Europe/London",
            "America/New_York",
        ),
    ] = None
    schedule: Annotated[
        When,
        about(
            "when it runs: exactly one of daily, weekly, monthly, cron, once or every",
            {"daily": {"at": "08:00"}},
            {"weekly": {"on": "monday", "at": "09:00"}},
        ),
    ]
    skip: Annotated[
        list[SkipItem],
        about(
            "days when it does not run: weekends, public holidays, or a calendar from gitcron.yaml",
            ["weekends", {"holidays": "US"}],
        ),
    ] = []
    on_closed: Annotated[
        Literal["skip", "next-open-day"],
        about(
            "what happens to a run on a skipped day: skip it, or move it to the next open day",
            "next-open-day",
        ),
    ] = "skip"
    active: Annotated[
        Active | None,
        about(
            "the dates between which it runs, in local time",
            {"from": "2026-01-01", "until": "2027-01-01"},
        ),
    ] = None
    max_runs: Annotated[int | None, about("stop after this many runs", 12)] = Field(None, ge=1)
    paused: Annotated[
        StrictBool,
        about("true stops the runs; runs missed while paused are not made up", True),
    ] = False
    catchup: Annotated[
        Literal["latest", "all", "none"] | None,
        about(
            "when several runs were missed: run the latest, all of them, or none",
            "latest",
        ),
    ] = None
    max_delay: Annotated[
        Duration | None,
        about("a run later than this is recorded as missed (default 6h)", "6h", "30m"),
    ] = None
    report: Annotated[
        Report | None,
        about(
            "the file to make from a dataset (a schedule has a report or an event)",
            {"dataset": "products", "format": "xlsx"},
        ),
    ] = None
    event: Annotated[
        Event | None,
        about(
            "an event sent as JSON to webhooks instead of a file",
            {"type": "report.daily", "payload": {"date": "{{ run.local_date }}"}},
        ),
    ] = None
    deliver: Annotated[
        list[Delivery],
        about(
            "where the file goes: a list of email, webhook, storage, sftp, slack, teams or outbox",
            [{"email": {"to": ["buyer@acme.example"]}}],
        ),
    ] = []
    retry: Annotated[
        Retry | None,
        about("tries again later when a delivery fails", {"attempts": 3, "backoff": "5m"}),
    ] = None
    notify: Annotated[
        Notify | None,
        about(
            "who hears about failed, partial or missed runs (default: the owner, on failures)",
            {"on": ["failure", "missed"], "email": ["ops@ourco.example"]},
        ),
    ] = None
    labels: Annotated[
        dict[str, str | int | float | bool],
        about("free key: value pairs kept with each run", {"team": "retail", "ticket": 1234}),
    ] = {}

    # the customer file of the schedule's folder, when it has one (set by the catalog, never
    # by the YAML): names, sender and locale for what the customer reads
    _customer_file: CustomerFile | None = PrivateAttr(None)

    @property
    def customer_file(self) -> CustomerFile | None:
        private = self.__pydantic_private__  # read directly: pydantic's __getattr__ is slow,
        return private.get("_customer_file") if private else None  # and validate asks per file

    def with_customer(self, customer: CustomerFile | None) -> Schedule:
        """This schedule as its customer's: the customer file it inherited from."""
        copy = self.model_copy()
        copy._customer_file = customer
        return copy

    @model_validator(mode="after")
    def _one_job(self) -> Schedule:
        exactly_one(self, ("report", "event"), "a schedule does one job", "report: {dataset: ...}")
        return self

    @model_validator(mode="after")
    def _links_come_first(self) -> Schedule:
        linking = False
        for item in self.deliver:
            if item.email is not None and item.email.needs_links and not linking:
                raise bad(
                    "an email with link: true (or too_large: link) needs a storage delivery with"
                    " link_expires listed before it, to make the link",
                    "add e.g. - storage: { url: s3://bucket/reports, link_expires: 7d } above the"
                    " email under deliver:, or set link: false",
                    kind="target",
                )
            chat = item.slack or item.teams
            if chat is not None and chat.needs_links and self.report is not None and not linking:
                raise bad(
                    f"a {item.channel} message carries the report as a link: it needs a storage"
                    " delivery with link_expires listed before it, to make the link",
                    "add e.g. - storage: { url: s3://bucket/reports, link_expires: 7d } above it"
                    " under deliver:"
                    + (" (or upload the file: token: and channel:)" if item.slack else ""),
                    kind="target",
                )
            linking |= item.storage is not None and item.storage.link_expires is not None
        return self
