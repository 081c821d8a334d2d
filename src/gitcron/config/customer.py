"""The customer file (`schedules/<customer>/customer.yaml`): who the customer is, for people.

A customer folder's id (`customer-003`) is ours; the customer knows themselves by a name. The
file gives that name, and what their schedules would otherwise repeat: the timezone, the default
recipients, the reply-to address, the sender's display name and the locale of numbers and dates.
Schedules inherit what they leave out (`inherit`), before their model checks them, so a timing
fingerprint, a validate run and a tick all see the same resolved schedule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from gitcron.config.addresses import Email, Emails
from gitcron.config.base import Strict, about
from gitcron.config.fields import Timezone


@dataclass(frozen=True, slots=True)
class Locale:
    """How one locale writes a date and a number, for the texts gitcron writes itself."""

    date: str  # strftime pattern of a day
    decimal: str
    thousands: str


LOCALES: dict[str, Locale] = {
    "en-US": Locale("%m/%d/%Y", ".", ","),
    "en-GB": Locale("%d/%m/%Y", ".", ","),
    "en-IE": Locale("%d/%m/%Y", ".", ","),
    "en-AU": Locale("%d/%m/%Y", ".", ","),
    "en-CA": Locale("%Y-%m-%d", ".", ","),
    "de-DE": Locale("%d.%m.%Y", ",", "."),
    "de-AT": Locale("%d.%m.%Y", ",", "."),
    "de-CH": Locale("%d.%m.%Y", ".", "'"),
    "fr-FR": Locale("%d/%m/%Y", ",", "\u202f"),
    "fr-CH": Locale("%d.%m.%Y", ",", "\u202f"),
    "nl-NL": Locale("%d-%m-%Y", ",", "."),
    "es-ES": Locale("%d/%m/%Y", ",", "."),
    "it-IT": Locale("%d/%m/%Y", ",", "."),
    "pt-BR": Locale("%d/%m/%Y", ",", "."),
    "sv-SE": Locale("%Y-%m-%d", ",", "\u00a0"),
    "nb-NO": Locale("%d.%m.%Y", ",", "\u00a0"),
    "da-DK": Locale("%d.%m.%Y", ",", "."),
    "fi-FI": Locale("%d.%m.%Y", ",", "\u00a0"),
    "pl-PL": Locale("%d.%m.%Y", ",", "\u00a0"),
    "ja-JP": Locale("%Y/%m/%d", ".", ","),
    "zh-CN": Locale("%Y-%m-%d", ".", ","),
}
ISO = Locale("%Y-%m-%d", ".", ",")
LocaleName = Literal[
    "en-US", "en-GB", "en-IE", "en-AU", "en-CA", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-CH",
    "nl-NL", "es-ES", "it-IT", "pt-BR", "sv-SE", "nb-NO", "da-DK", "fi-FI", "pl-PL", "ja-JP",
    "zh-CN",
]  # fmt: skip


class CustomerFile(Strict):
    """One customer folder's `customer.yaml`."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="gitcron customer file",
        json_schema_extra={"$id": "https://gitcron.dev/schema/customer.schema.json"},
    )

    name: Annotated[
        str,
        about(
            "the customer's name as they write it: in titles, subjects and greetings", "Acme Ltd"
        ),
    ] = Field(min_length=1, max_length=200)
    timezone: Annotated[
        Timezone | None,
        about("the timezone of the customer's schedules that name none", "Europe/London"),
    ] = None
    to: Annotated[
        Emails | None,
        about(
            "who gets the customer's emails when a delivery names no one",
            ["buying@acme.example"],
        ),
    ] = None
    reply_to: Annotated[
        Email | None,
        about("where the customer's replies go (their account manager)", "jane.doe@ourco.example"),
    ] = None
    sender_name: Annotated[
        str | None,
        about("the name the customer sees their emails come from", "Our Co for Acme"),
    ] = Field(None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f<>\"@]+$")
    locale: Annotated[
        LocaleName | None,
        about("how dates and numbers are written for the customer", "en-GB", "de-DE"),
    ] = None

    def formats(self) -> Locale:
        return LOCALES.get(self.locale or "", ISO)


def inherit(data: Mapping[str, Any], customer: CustomerFile) -> dict[str, Any]:
    """A schedule's parsed YAML with what it leaves out taken from its customer file: the
    timezone, and the `to` of each email delivery that names no one (not for a bursting report:
    each of its parts goes to that part's own recipients only)."""
    merged = dict(data)
    if customer.timezone is not None and "timezone" not in merged:
        merged["timezone"] = customer.timezone
    deliver = merged.get("deliver")
    report = merged.get("report")
    bursting = isinstance(report, Mapping) and report.get("burst") is not None
    if customer.to and isinstance(deliver, list) and not bursting:
        merged["deliver"] = [_with_recipients(item, customer.to) for item in deliver]
    return merged


def _with_recipients(item: Any, to: Sequence[str]) -> Any:
    if not isinstance(item, dict) or not isinstance(item.get("email"), dict):
        return item
    if "to" in item["email"]:
        return item
    return {**item, "email": {**item["email"], "to": list(to)}}


def local_count(count: int, customer: CustomerFile | None) -> str:
    """A whole number as the customer writes it (`1.234` in de-DE); `1,234` without a locale."""
    return f"{count:,}".replace(",", (customer.formats() if customer else ISO).thousands)


def local_day(day: date, customer: CustomerFile | None) -> str:
    """A day as the customer writes it (`07/12/2026` in en-GB); ISO without a locale."""
    return day.strftime((customer.formats() if customer else ISO).date)


class CustomerName(str):
    """`customer` in templates: prints as the folder's id (as templates always had it), and
    `customer.name`, `customer.id`, `customer.timezone`, `customer.locale`... give the rest."""

    id: str
    name: str
    timezone: str | None
    locale: str | None
    reply_to: str | None
    sender_name: str | None

    def __new__(cls, customer_id: str, customer: CustomerFile | None = None) -> CustomerName:
        value = super().__new__(cls, customer_id)
        value.id = customer_id
        value.name = customer.name if customer else customer_id
        value.timezone = customer.timezone if customer else None
        value.locale = customer.locale if customer else None
        value.reply_to = customer.reply_to if customer else None
        value.sender_name = customer.sender_name if customer else None
        return value
