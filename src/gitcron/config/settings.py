"""`gitcron.yaml`: the engineers' half of the repo (datasets, channels, calendars, defaults)."""

from __future__ import annotations

import ipaddress
from datetime import date, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator

from gitcron.config.addresses import Email, Emails
from gitcron.config.base import Strict, exactly_one
from gitcron.config.credentials import Credential, Grants
from gitcron.config.fields import Duration, EnvName, Slug, Timezone, bad, parse_env_name
from gitcron.config.policy import Notify, Retry
from gitcron.timing import holiday_country_problem


def _params(value: Any) -> Any:
    """`params: [customer, region]` is shorthand for optional parameters without defaults."""
    if isinstance(value, list):
        return {str(name): {} for name in value}
    return value


class Param(Strict):
    required: bool = False
    default: str | int | float | bool | date | None = None
    description: str | None = None


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
    url: str
    headers_env: dict[str, EnvName] = {}
    timeout: Duration = timedelta(seconds=30)
    max_bytes: int = Field(50_000_000, ge=1)
    rows: str | None = None  # a dotted path to the list of rows inside the JSON document


class Dataset(Strict):
    description: str | None = None
    sql: str | None = None
    database: Annotated[str, AfterValidator(_database)] | None = None
    file: str | None = None
    http: HttpSource | None = None
    sample: Literal["products"] | None = None
    params: Annotated[dict[str, Param], BeforeValidator(_params)] = {}

    @model_validator(mode="after")
    def _one_source(self) -> Dataset:
        exactly_one(
            self,
            ("sql", "file", "http", "sample"),
            "a dataset has one source",
            "file: data/products.csv",
        )
        return self


class EmailChannel(Strict):
    smtp_url_env: EnvName = "GITCRON_SMTP_URL"
    sender: Email = Field("gitcron@localhost", alias="from")
    reply_to: Email | None = None
    max_attachment_mb: float = Field(20, gt=0)


class S3Settings(Strict):
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id_env: EnvName | None = None
    secret_access_key_env: EnvName | None = None


class WebhookChannel(Strict):
    allow_private: bool | list[str] = False  # the older, webhook-only form of `network.allow`
    timeout: Duration = timedelta(seconds=30)


class DeliveryRetry(Strict):
    """Retries inside one tick, for transient errors (a timeout, a 503); longer waits are the
    schedule's own `retry:`, persisted in state and tried by a later tick, never slept through."""

    attempts: int = Field(2, ge=0, le=10)  # further tries after the first
    initial: Duration = timedelta(seconds=1)  # the first wait's upper bound; doubles each time
    within: Duration = timedelta(seconds=60)  # all waits of one delivery together


class OutboxChannel(Strict):
    dir: str = "outbox"


class Channels(Strict):
    email: EmailChannel = EmailChannel()
    webhook: WebhookChannel = WebhookChannel()
    s3: S3Settings = S3Settings()
    outbox: OutboxChannel = OutboxChannel()
    retry: DeliveryRetry = DeliveryRetry()


def _holiday_code(value: str) -> str:
    problem = holiday_country_problem(value)
    if problem:
        raise bad(problem, "use a code like US, GB-ENG or DE-BY", kind="timing")
    return value


class Calendar(Strict):
    description: str | None = None
    dates: list[date] = []
    weekends: bool = False
    holidays: Annotated[str, AfterValidator(_holiday_code)] | None = None


class Defaults(Strict):
    timezone: Timezone = "UTC"
    catchup: Literal["latest", "all", "none"] = "latest"
    max_delay: Duration = timedelta(hours=6)
    retry: Retry = Retry()
    notify: Notify | None = None
    owner: Email | None = None
    on_empty: Literal["send", "skip"] = "send"


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

    allow: list[Annotated[str, AfterValidator(_allow_entry)]] = []


class History(Strict):
    keep_months: int = Field(13, ge=1)


class Liveness(Strict):
    heartbeat_url_env: EnvName | None = None
    stale_after: Duration = timedelta(hours=2)


class Settings(Strict):
    """The whole of gitcron.yaml. `credentials:` comes last: it is checked against the rest."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="gitcron settings")

    tick: Duration = timedelta(minutes=15)
    defaults: Defaults = Defaults()
    datasets: dict[Slug, Dataset] = {}
    channels: Channels = Channels()
    calendars: dict[Slug, Calendar] = {}
    history: History = History()
    liveness: Liveness = Liveness()
    network: Network = Network()
    notify_from: Emails | None = None
    credentials: dict[Slug, Credential] = {}

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
        """What schedules may use: the credentials, checked against the reserved variables."""
        return Grants(self.credentials, self.reserved_variables())
