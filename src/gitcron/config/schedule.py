"""The schedule file (`schedules/<customer>/<name>.yaml`): who gets what, when and how."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic import WithJsonSchema as Schema

from gitcron.config.addresses import Email, Emails
from gitcron.config.fields import (
    Duration,
    EnvName,
    LocalDateTime,
    MonthlyOn,
    Slug,
    Times,
    Timezone,
    Weekdays,
    bad,
    one_of,
)
from gitcron.config.templates import (
    EMAIL_NAMES,
    MAX_FILENAME_TEMPLATE,
    filename_problem,
    template_problem,
)


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def exactly_one(model: BaseModel, names: tuple[str, ...], what: str, example: str) -> None:
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) > 1:
        raise bad(
            f"{what}: found {one_of(given).replace(' or ', ' and ')}",
            f"keep only one of {one_of(given)}",
        )
    if not given:
        raise bad(f"{what}, but none is given", f"add one of {one_of(names)}, e.g. {example}")


def _template(value: str, names: tuple[str, ...] | None = None) -> str:
    problem = template_problem(value, names=names) if names else template_problem(value)
    if problem:
        raise bad(problem, "see docs/schedules.md for the names a template can use", kind="content")
    return value


def _email_template(value: str) -> str:
    return _template(value, EMAIL_NAMES)


def _filename(value: str) -> str:
    problem = filename_problem(value)
    if problem:
        raise bad(
            problem,
            'use a plain file name, e.g. "acme-products-{{ run.local_date }}.xlsx"',
            kind="content",
        )
    return value


Template = Annotated[str, AfterValidator(_template)]
EmailTemplate = Annotated[str, AfterValidator(_email_template)]  # a body: `links` too
FilenameTemplate = Annotated[
    str, AfterValidator(_filename), Field(max_length=MAX_FILENAME_TEMPLATE)
]


# --- when -----------------------------------------------------------------------------------------


class DailyForm(Strict):
    at: Times


class WeeklyForm(Strict):
    on: Weekdays
    at: Times


class MonthlyForm(Strict):
    on: MonthlyOn
    at: Times


CronText = Annotated[
    str,
    BeforeValidator(lambda v: " ".join(str(v).split()) if isinstance(v, str) else v),
    Schema({"type": "string", "examples": ["0 */6 * * *", "30 8 * * MON-FRI"]}),
]

FORMS = ("daily", "weekly", "monthly", "cron", "once", "every")


class When(Strict):
    daily: DailyForm | None = None
    weekly: WeeklyForm | None = None
    monthly: MonthlyForm | None = None
    cron: CronText | None = None
    once: LocalDateTime | None = None
    every: Duration | None = None

    @model_validator(mode="after")
    def _one_form(self) -> When:
        exactly_one(self, FORMS, "a schedule has exactly one form", 'daily: { at: "08:00" }')
        return self


def _skip_item(value: Any) -> tuple[str, str]:
    """`weekends`, a calendar name from gitcron.yaml, or `{holidays: US-NY}`."""
    if isinstance(value, dict) and list(value) == ["holidays"]:
        code = str(value["holidays"]).strip()
        return ("holidays", code)
    if isinstance(value, str) and value.strip():
        return ("calendar", value.strip()) if value.strip() != "weekends" else ("weekends", "")
    raise bad(
        f"'{value}' is not a calendar",
        "use weekends, holidays: <country code> (e.g. holidays: US-NY) or a calendar named in"
        " gitcron.yaml",
        kind="timing",
    )


SkipItem = Annotated[
    tuple[str, str],
    BeforeValidator(_skip_item),
    Schema(
        {
            "anyOf": [
                {"type": "string", "examples": ["weekends"]},
                {
                    "type": "object",
                    "properties": {"holidays": {"type": "string", "examples": ["US", "GB-ENG"]}},
                    "required": ["holidays"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


def _date_or_datetime(value: Any) -> Any:
    return datetime.combine(value, time()) if type(value) is date else value


WindowEdge = Annotated[LocalDateTime, BeforeValidator(_date_or_datetime)]


class Active(Strict):
    start: WindowEdge | None = Field(None, alias="from")
    until: WindowEdge | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Active:
        if self.start and self.until and self.until <= self.start:
            raise bad(
                "the active window ends before it starts",
                "'until' must be later than 'from'",
                kind="timing",
            )
        return self


# --- what -----------------------------------------------------------------------------------------

Scalar = str | int | float | bool | date | None


class CsvOptions(Strict):
    delimiter: Literal[",", ";", "\t", "|"] = ","
    bom: bool = False


class PdfOptions(Strict):
    orientation: Literal["auto", "portrait", "landscape"] = "auto"
    title: Template | None = None
    max_rows: int | None = Field(None, ge=1)


class JsonOptions(Strict):
    lines: bool = False


class XlsxOptions(Strict):
    sheet: str | None = Field(None, max_length=31)


class Report(Strict):
    dataset: Slug
    params: dict[str, Scalar] = {}
    format: Literal["xlsx", "csv", "pdf", "json"]
    filename: FilenameTemplate | None = None
    on_empty: Literal["send", "skip"] | None = None
    csv: CsvOptions | None = None
    pdf: PdfOptions | None = None
    json_: JsonOptions | None = Field(None, alias="json")
    xlsx: XlsxOptions | None = None


class Event(Strict):
    type: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,100}$", examples=["report.daily"])]
    payload: dict[str, Any] = {}


# --- how ------------------------------------------------------------------------------------------


def _url(schemes: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or not (parts.netloc or parts.path):
            raise bad(
                f"'{value}' is not a {one_of(schemes)} address",
                f"write a full address starting with {one_of([s + '://' for s in schemes])}",
                kind="target",
            )
        if parts.password is not None:
            raise bad(
                "the address contains a password, and secrets must never be written in files",
                "remove it and name an environment variable in the *_env setting instead",
                kind="secret",
            )
        return value

    return AfterValidator(check)


class EmailTarget(Strict):
    to: Emails
    cc: Emails | None = None
    bcc: Emails | None = None
    subject: Template | None = None
    body: EmailTemplate | None = None
    html: EmailTemplate | None = None
    attach: bool = True
    link: bool = False


class WebhookTarget(Strict):
    url: Annotated[str, _url(("https", "http"))]
    secret_env: EnvName | None = None
    token_env: EnvName | None = None
    timeout: Duration | None = None


class StorageTarget(Strict):
    url: Annotated[str, _url(("s3", "file"))] | None = None
    path: str | None = None
    key: FilenameTemplate | None = None
    link_expires: Duration | None = None

    @model_validator(mode="after")
    def _one_place(self) -> StorageTarget:
        exactly_one(self, ("url", "path"), "a storage delivery names one place", "path: exports")
        return self


class SftpTarget(Strict):
    url: Annotated[str, _url(("sftp",))]
    password_env: EnvName | None = None
    key_env: EnvName | None = None
    known_hosts: str | None = None
    known_hosts_env: EnvName | None = None

    @model_validator(mode="after")
    def _complete(self) -> SftpTarget:
        parts = urlsplit(self.url)
        if not parts.username:
            raise bad(
                "the sftp address names no user",
                "write it as sftp://user@host/folder",
                kind="target",
            )
        if ".." in parts.path.split("/"):
            raise bad(
                "the sftp folder contains '..'",
                "write the folder's full path, e.g. sftp://user@host/incoming",
                kind="target",
            )
        if self.password_env is None and self.key_env is None:
            raise bad(
                "an sftp delivery needs a login, but neither password_env nor key_env is given",
                "add key_env: ACME_SFTP_KEY (a repository secret holding the private key)",
                kind="target",
            )
        if self.known_hosts is None and self.known_hosts_env is None:
            raise bad(
                "the server's host key is needed to trust it, but known_hosts is not given",
                'add known_hosts: "[sftp.acme.example]:22 ssh-ed25519 AAAA..." (the line'
                " ssh-keyscan -p 22 sftp.acme.example prints; check it with the customer)",
                kind="target",
            )
        return self


class OutboxTarget(Strict):
    dir: str | None = None


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


class Retry(Strict):
    attempts: int = Field(3, ge=0, le=20)
    backoff: Duration = timedelta(minutes=5)


class Notify(Strict):
    on: list[Literal["failure", "partial", "success", "missed"]] = ["failure", "partial"]
    email: Emails | None = None
    webhook: Annotated[str, _url(("https", "http"))] | None = None


# --- the file -------------------------------------------------------------------------------------


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
    paused: bool = False
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
