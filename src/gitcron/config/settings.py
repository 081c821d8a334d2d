"""`gitcron.yaml`: the engineers' half of the repo (datasets, channels, calendars, defaults).

Over 250 lines on purpose: every setting carries its help for editors (`about(...)`: a
description shown on hover, examples to copy) where it is declared.

A default that is itself a model is made with `model_construct()`: the value `Model()` gives
(tests/config/test_default_models.py holds them equal), without building that model's validator
when this module is imported, so a command that validates no gitcron.yaml (a warm tick, which
restores it from the parse cache) builds none.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    model_validator,
)

from gitcron.config.addresses import Email, Emails
from gitcron.config.base import Strict, about, exactly_one, one_of
from gitcron.config.columns import ColumnList
from gitcron.config.credentials import Credential, Grants
from gitcron.config.fields import Duration, EnvName, Slug, Timezone, bad, parse_env_name
from gitcron.config.policy import Notify, Retry
from gitcron.config.roots import StorageRoot
from gitcron.timing import holiday_country_problem


def _params(value: Any) -> Any:
    """`params: [customer, region]` is shorthand for optional parameters without defaults."""
    if isinstance(value, list):
        return {str(name): {} for name in value}
    return value


class Param(Strict):
    required: Annotated[
        StrictBool, about("every schedule using the dataset must give it", True)
    ] = False
    default: Annotated[
        str | int | float | bool | date | None,
        about("the value when a schedule gives none", "Bakery"),
    ] = None
    description: Annotated[
        str | None, about("what the parameter means, for schedule writers", "Only this category")
    ] = None


def _database(value: str) -> str:
    """An SQLAlchemy URL without a password, or the name of the variable holding the full URL."""
    if "://" not in value:
        return parse_env_name(value)
    if urlsplit(value).password is not None:
        raise bad(
            "the database address contains a password, and secrets must never be in files",
            "store the address as a repository secret and write its variable name here,"
            " e.g. database: REPORTS_DB_URL",
            kind="secret",
        )
    return value


class HttpSource(Strict):
    url: Annotated[str, about("the address answering JSON", "https://api.ourco.example/v1/prices")]
    headers_env: Annotated[
        dict[str, EnvName],
        about(
            "request headers, each naming the environment variable holding its value",
            {"Authorization": "PRICES_API_AUTH"},
        ),
    ] = {}
    timeout: Annotated[Duration, about("how long to wait for the answer", "30s")] = timedelta(
        seconds=30
    )
    max_bytes: Annotated[int, about("the largest answer accepted, in bytes", 50_000_000)] = Field(
        50_000_000, ge=1
    )
    rows: Annotated[  # a dotted path to the list of rows inside the JSON document
        str | None, about("the dotted path to the list of rows in the answer", "data.items")
    ] = None


SOURCES = ("sql", "file", "http", "sample")


class Dataset(Strict):
    """Exactly one source: sql, file, http or sample."""

    model_config = ConfigDict(json_schema_extra=one_of(SOURCES))

    description: Annotated[
        str | None, about("what the data is, for schedule writers", "The product catalogue")
    ] = None
    sql: Annotated[
        str | None,
        about(
            "a query; :name marks a parameter",
            "SELECT * FROM products WHERE :category IS NULL OR category = :category",
        ),
    ] = None
    database: Annotated[
        Annotated[str, AfterValidator(_database)] | None,
        about(
            "the environment variable holding the database URL, or a URL without a password"
            " (default: the bundled sample database)",
            "REPORTS_DB_URL",
        ),
    ] = None
    timeout: Annotated[
        Duration | None,
        about(
            "sql: the longest the query may run before the database stops it (default 10m)",
            "2m",
        ),
    ] = None
    file: Annotated[
        str | None, about("a CSV or JSON file of this repository", "data/products.csv")
    ] = None
    http: Annotated[
        HttpSource | None,
        about("JSON rows fetched over HTTP", {"url": "https://api.ourco.example/v1/prices"}),
    ] = None
    sample: Annotated[Literal["products"] | None, about("the bundled sample data", "products")] = (
        None
    )
    params: Annotated[
        Annotated[dict[str, Param], BeforeValidator(_params)],
        about(
            "the parameters schedules may give, by name",
            {"customer": {"required": True}, "category": {"description": "Only this category"}},
            ["customer", "category"],
        ),
    ] = {}
    columns: Annotated[
        ColumnList | None,
        about(
            "the columns the data has, in order: templates may name them (columns.<name>), and"
            " validate rehearses deliveries with them, never querying the data",
            [{"name": "sku", "type": "text"}, {"name": "unit_price", "type": "number"}],
        ),
    ] = None

    @model_validator(mode="after")
    def _one_source(self) -> Dataset:
        exactly_one(
            self,
            SOURCES,
            "a dataset has one source",
            "file: data/products.csv",
        )
        return self


class EmailChannel(Strict):
    smtp_url_env: Annotated[
        EnvName,
        about(
            "the environment variable holding the SMTP server's URL (without it, mail goes to"
            " the outbox)",
            "GITCRON_SMTP_URL",
        ),
    ] = "GITCRON_SMTP_URL"
    sender: Annotated[
        Email, about("the sender of every email", "Reports <reports@ourco.example>")
    ] = Field("gitcron@localhost", alias="from")
    reply_to: Annotated[Email | None, about("where replies go", "accounts@ourco.example")] = None
    max_attachment_mb: Annotated[float, about("the largest attachment, in megabytes", 20)] = Field(
        20, gt=0
    )


class S3Settings(Strict):
    endpoint_url: Annotated[
        str | None,
        about("an S3-compatible server's address (default: AWS)", "https://s3.ourco.example"),
    ] = None
    region: Annotated[str | None, about("the bucket's region", "eu-west-1")] = None
    access_key_id_env: Annotated[
        EnvName | None,
        about("the environment variable holding the access key id", "REPORTS_S3_KEY_ID"),
    ] = None
    secret_access_key_env: Annotated[
        EnvName | None,
        about("the environment variable holding the secret access key", "REPORTS_S3_SECRET"),
    ] = None


def _true_false_or_list(value: Any) -> Any:
    """Only YAML's true and false, or a list: `on` or `yes` must not mean "every address"."""
    if isinstance(value, bool | list):
        return value
    raise bad(
        f"'{value}' should be true, false or a list of addresses",
        "write true or false, or a list like [10.0.0.0/8]",
    )


class WebhookChannel(Strict):
    allow_private: Annotated[  # the older, webhook-only form of `network.allow`
        bool | list[str],
        BeforeValidator(_true_false_or_list),
        about(
            "private addresses webhooks may reach, or true for all (prefer network.allow)",
            ["10.0.0.0/8"],
        ),
    ] = False
    timeout: Annotated[Duration, about("how long to wait for a receiver", "30s")] = timedelta(
        seconds=30
    )


class DeliveryRetry(Strict):
    """Retries inside one tick, for transient errors (a timeout, a 503); longer waits are the
    schedule's own `retry:`, persisted in state and tried by a later tick, never slept through."""

    attempts: Annotated[  # further tries after the first
        int, about("further tries after the first, within the tick (0 to 10)", 2)
    ] = Field(2, ge=0, le=10)
    initial: Annotated[  # the first wait's upper bound; doubles each time
        Duration, about("the longest first wait; it doubles with each try", "1s")
    ] = timedelta(seconds=1)
    within: Annotated[  # all waits of one delivery together
        Duration, about("all the waits of one delivery together", "60s")
    ] = timedelta(seconds=60)


class OutboxChannel(Strict):
    dir: Annotated[str, about("the folder that receives every delivery on dry runs", "outbox")] = (
        "outbox"
    )


class StorageSettings(Strict):
    """The folders `storage:` deliveries may write to, granted by engineers: repository folders
    (for `path:`) and absolute ones (for `url: file://`). `s3://` buckets are not listed here."""

    roots: Annotated[
        list[StorageRoot],
        about(
            "folders storage deliveries may write to: repository folders for path:, absolute"
            " ones for url: file://; never state/, schedules/, .git/ or .github/",
            ["exports"],
        ),
    ] = ["exports"]


class Channels(Strict):
    email: Annotated[
        EmailChannel,
        about("the mail server and sender", {"from": "Reports <reports@ourco.example>"}),
    ] = EmailChannel.model_construct()
    webhook: Annotated[WebhookChannel, about("webhook settings", {"timeout": "30s"})] = (
        WebhookChannel.model_construct()
    )
    s3: Annotated[S3Settings, about("S3 settings", {"region": "eu-west-1"})] = (
        S3Settings.model_construct()
    )
    storage: Annotated[
        StorageSettings,
        about("where local storage deliveries may write", {"roots": ["exports"]}),
    ] = StorageSettings.model_construct()
    outbox: Annotated[OutboxChannel, about("the outbox folder", {"dir": "outbox"})] = (
        OutboxChannel.model_construct()
    )
    retry: Annotated[
        DeliveryRetry,
        about("quick retries inside a tick", {"attempts": 2, "within": "60s"}),
    ] = DeliveryRetry.model_construct()


def _holiday_code(value: str) -> str:
    problem = holiday_country_problem(value)
    if problem:
        raise bad(problem, "use a code like US, GB-ENG or DE-BY", kind="timing")
    return value


class Calendar(Strict):
    description: Annotated[
        str | None, about("what the closed days are", "Days our office is closed")
    ] = None
    dates: Annotated[
        list[date], about("closed dates, YYYY-MM-DD", ["2026-12-24", "2026-12-31"])
    ] = []
    weekends: Annotated[StrictBool, about("Saturdays and Sundays are closed too", True)] = False
    holidays: Annotated[
        Annotated[str, AfterValidator(_holiday_code)] | None,
        about("public holidays of a country or region are closed too", "US", "GB-ENG"),
    ] = None


class Defaults(Strict):
    timezone: Annotated[Timezone, about("for schedules that name none", "Europe/London")] = "UTC"
    catchup: Annotated[
        Literal["latest", "all", "none"],
        about("when several runs were missed: run the latest, all, or none", "latest"),
    ] = "latest"
    max_delay: Annotated[Duration, about("a run later than this is recorded as missed", "6h")] = (
        timedelta(hours=6)
    )
    retry: Annotated[
        Retry, about("retries of failed deliveries", {"attempts": 3, "backoff": "5m"})
    ] = Retry.model_construct()
    notify: Annotated[
        Notify | None, about("who hears about failures", {"email": ["ops@ourco.example"]})
    ] = None
    owner: Annotated[
        Email | None,
        about("told about failures when a schedule names no owner", "accounts@ourco.example"),
    ] = None
    on_empty: Annotated[
        Literal["send", "skip"],
        about("when a dataset has no rows: send the empty file, or skip the run", "send"),
    ] = "send"


AllowedNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def allow_entry(text: str) -> AllowedNetwork | str:
    """One allowlist entry: an address or a CIDR network, else a host name (lower case, no dot
    at the end); ValueError for anything else. The address guard in gitcron.net reads it too."""
    plain = text.strip().strip("[]")
    try:
        return ipaddress.ip_network(plain, strict=False)
    except ValueError:
        pass
    if not plain or "/" in plain or ":" in plain or len(plain.split()) > 1:
        raise ValueError(f"'{text}' is neither an address, a network nor a host name")
    return plain.lower().rstrip(".")


def _allow_entry(value: str) -> str:
    try:
        allow_entry(value)
    except ValueError as error:
        raise bad(
            str(error),
            "write an address (10.0.0.5), a network (192.168.0.0/24) or a host name"
            " (smtp.internal.example)",
            kind="target",
        ) from None
    return value


class Network(Strict):
    """The private hosts gitcron may reach besides the public internet (an SMTP relay, an SFTP
    server, an internal receiver or API); only engineers write this file, never a schedule."""

    allow: Annotated[
        list[Annotated[str, AfterValidator(_allow_entry)]],
        about(
            "addresses, networks or host names gitcron may reach",
            ["10.0.0.5", "192.168.0.0/24", "smtp.internal.example"],
        ),
    ] = []


class HistoryArchive(Strict):
    """Where `gitcron history-archive` moves whole past months of history (docs/tick.md)."""

    to: Annotated[
        str,
        about(
            "where archives go, granted as storage deliveries are: an s3:// bucket and folder, a"
            " file:// folder under a storage root, or a repository folder under one",
            "s3://ourco-gitcron/history",
        ),
    ] = Field(min_length=1)
    after_months: Annotated[
        int, about("archive months that ended more than this many months ago", 3)
    ] = Field(3, ge=1)


class History(Strict):
    keep_months: Annotated[int, about("months of run history to keep", 13)] = Field(13, ge=1)
    archive: Annotated[
        HistoryArchive | None,
        about(
            "move old months out of the repository into compressed archives",
            {"to": "s3://ourco-gitcron/history", "after_months": 3},
        ),
    ] = None

    @model_validator(mode="after")
    def _archive_before_retention(self) -> History:
        if self.archive is not None and self.archive.after_months >= self.keep_months:
            raise bad(
                f"history.archive.after_months ({self.archive.after_months}) is not below"
                f" history.keep_months ({self.keep_months}): retention would delete the days"
                " before the archive could take them",
                f"set after_months below {self.keep_months}, e.g. after_months: 3",
            )
        return self


class Liveness(Strict):
    heartbeat_url_env: Annotated[
        EnvName | None,
        about(
            "the environment variable holding a URL pinged after each tick", "GITCRON_HEARTBEAT_URL"
        ),
    ] = None
    stale_after: Annotated[
        Duration,
        about(
            "validate warns when the last tick is older than this, and a tick that finds its "
            "previous one older tells the operators",
            "2h",
        ),
    ] = timedelta(hours=2)
    claims_expire_after: Annotated[
        Duration,
        about(
            "how long a tick's claims on its runs hold: more than the longest a tick can take"
            " (the workflow's timeout-minutes plus push retries); then a later tick takes over",
            "45m",
        ),
    ] = timedelta(minutes=45)


class Settings(Strict):
    """The whole of gitcron.yaml. `credentials:` comes last: it is checked against the rest."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="gitcron settings")

    tick: Annotated[
        Duration, about("how often the tick runs; no schedule may fire more often", "15m")
    ] = timedelta(minutes=15)
    company: Annotated[
        str | None,
        about("your company's name: the author of files, the signature of emails", "Our Co Ltd"),
    ] = Field(None, min_length=1, max_length=200)
    defaults: Annotated[
        Defaults,
        about("values for schedules that do not set them", {"timezone": "Europe/London"}),
    ] = Defaults.model_construct()
    datasets: Annotated[
        dict[Slug, Dataset],
        about(
            "the data schedules can report on, by name",
            {"products": {"sample": "products"}},
        ),
    ] = {}
    channels: Annotated[
        Channels,
        about("how email, webhooks, S3 and the outbox are reached", {"outbox": {"dir": "outbox"}}),
    ] = Channels.model_construct()
    calendars: Annotated[
        dict[Slug, Calendar],
        about(
            "named sets of closed days that schedules can skip",
            {"company-closures": {"dates": ["2026-12-24"]}},
        ),
    ] = {}
    history: Annotated[History, about("how long run history is kept", {"keep_months": 13})] = (
        History.model_construct()
    )
    liveness: Annotated[
        Liveness,
        about(
            "a heartbeat after each tick, and when to call the last tick stale",
            {"heartbeat_url_env": "GITCRON_HEARTBEAT_URL"},
        ),
    ] = Liveness.model_construct()
    network: Annotated[
        Network,
        about("private hosts gitcron may reach", {"allow": ["smtp.internal.example"]}),
    ] = Network.model_construct()
    operators: Annotated[
        Emails | None,
        about(
            "who runs the scheduler: told once when ticks stopped for longer than "
            "liveness.stale_after, with what was missed",
            ["platform@ourco.example"],
        ),
    ] = None
    notify_from: Annotated[
        Emails | None,
        about(
            "the sender of failure notices (default: channels.email.from)", "alerts@ourco.example"
        ),
    ] = None
    credentials: Annotated[
        dict[Slug, Credential],
        about(
            "the secrets schedules may name, each with what it may be used for (docs/grants.md)",
            {
                "acme-hooks": {
                    "env": "ACME_WEBHOOK_SECRET",
                    "for": "webhook",
                    "to": ["https://hooks.acme.example/"],
                }
            },
        ),
    ] = {}

    _grants: Grants | None = PrivateAttr(None)

    def reserved_variables(self) -> dict[str, str]:
        """The variables gitcron.yaml names for gitcron's own use, and what each holds.

        No schedule may name them, and no credential may grant them: the SMTP URL, the storage
        keys, the heartbeat URL, and the datasets' database URLs and header values.
        """
        found = {
            self.channels.email.smtp_url_env: "the mail server's address and password"
            " (channels.email.smtp_url_env in gitcron.yaml)"
        }
        s3 = self.channels.s3
        for key, name in (
            ("access_key_id_env", s3.access_key_id_env),
            ("secret_access_key_env", s3.secret_access_key_env),
        ):
            if name:
                found.setdefault(name, f"a storage key (channels.s3.{key} in gitcron.yaml)")
        if self.liveness.heartbeat_url_env:
            found.setdefault(
                self.liveness.heartbeat_url_env,
                "the heartbeat address (liveness.heartbeat_url_env in gitcron.yaml)",
            )
        for name, dataset in self.datasets.items():
            if dataset.database and "://" not in dataset.database:
                found.setdefault(
                    dataset.database,
                    f"the database address of the dataset '{name}' (datasets.{name}.database"
                    " in gitcron.yaml)",
                )
            for header, variable in (dataset.http.headers_env if dataset.http else {}).items():
                found.setdefault(
                    variable,
                    f"the {header} header of the dataset '{name}'"
                    f" (datasets.{name}.http.headers_env in gitcron.yaml)",
                )
        return found

    def grants(self) -> Grants:
        """What schedules may use: the credentials, checked against the reserved variables.

        Built once per settings (they are frozen): validate asks for every schedule file and the
        channels for every secret they read.
        """
        private = self.__pydantic_private__  # read directly: pydantic's __getattr__ is slow, and
        grants = private.get("_grants") if private else None  # validate asks once per file
        if grants is None:
            grants = self._grants = Grants(self.credentials, self.reserved_variables())
        return grants

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy (with `update` applied) that builds its own grants: they may have changed."""
        copy = super().model_copy(update=update, deep=deep)
        copy._grants = None
        return copy
