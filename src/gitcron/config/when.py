"""`schedule:` and the settings around it (`skip:`, `active:`): when a schedule fires."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, model_validator
from pydantic import WithJsonSchema as Schema

from gitcron.config.base import Strict, about, exactly_one, one_of
from gitcron.config.fields import Duration, LocalDateTime, MonthlyOn, Times, Weekdays, bad

_AT = "the time of day, 24-hour HH:MM in the schedule's timezone; a list for several times"


class DailyForm(Strict):
    at: Annotated[Times, about(_AT, "08:00", ["08:00", "17:30"])]


class WeeklyForm(Strict):
    on: Annotated[
        Weekdays,
        about(
            "the day or days of the week, or weekdays for Monday to Friday",
            "monday",
            ["mon", "thu"],
        ),
    ]
    at: Annotated[Times, about(_AT, "09:00")]


class MonthlyForm(Strict):
    on: Annotated[
        MonthlyOn,
        about(
            "a day of the month (1 to 31), last day, last weekday, or an ordinal and a day"
            " such as first monday or last friday",
            "first monday",
            15,
            "last day",
        ),
    ]
    at: Annotated[Times, about(_AT, "10:00")]


# Five fields of cron's characters. A minute field of `*` (or `*/1`) fires in consecutive minutes,
# more often than any tick of a minute or more; validate reports every gap below the tick.
_CRON_FIELD = r"[A-Za-z0-9*,/#?-]+"
CRON_PATTERN = rf"^\s*(?![*?](?:/0*1)?\s){_CRON_FIELD}(?:\s+{_CRON_FIELD}){{4}}\s*$"
CronText = Annotated[
    str,
    BeforeValidator(lambda v: " ".join(str(v).split()) if isinstance(v, str) else v),
    Schema(
        {
            "type": "string",
            "pattern": CRON_PATTERN,
            "examples": ["0 */6 * * *", "30 8 * * MON-FRI"],
        }
    ),
]

FORMS = ("daily", "weekly", "monthly", "cron", "once", "every")


class When(Strict):
    """Exactly one of daily, weekly, monthly, cron, once or every."""

    model_config = ConfigDict(json_schema_extra=one_of(FORMS))

    daily: Annotated[DailyForm | None, about("every day at the given times", {"at": "08:00"})] = (
        None
    )
    weekly: Annotated[
        WeeklyForm | None,
        about("on days of the week", {"on": ["monday", "thursday"], "at": "09:00"}),
    ] = None
    monthly: Annotated[
        MonthlyForm | None,
        about("once a month", {"on": "first monday", "at": "10:00"}),
    ] = None
    cron: Annotated[
        CronText | None,
        about(
            "five cron fields: minute hour day-of-month month day-of-week; quote it",
            "0 */6 * * *",
            "30 9 * * MON-FRI",
        ),
    ] = None
    once: Annotated[
        LocalDateTime | None,
        about("one run at this local date and time", "2026-12-01 09:00"),
    ] = None
    every: Annotated[
        Duration | None,
        about(
            "at a fixed interval, counted from active.from (else from midnight of the first day)",
            "6h",
            "1h30m",
        ),
    ] = None

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
                {
                    "type": "string",
                    "pattern": r"\S",
                    "description": "weekends, or a calendar named in gitcron.yaml",
                    "examples": ["weekends", "company-closures"],
                },
                {
                    "type": "object",
                    "properties": {
                        "holidays": {
                            "type": "string",
                            "pattern": r"^\s*[A-Za-z]{2}(?:-.*)?\s*$",
                            "description": "public holidays of a country (two letters), or of"
                            " one of its regions after a dash",
                            "examples": ["US", "GB-ENG", "US-NY"],
                        }
                    },
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
    start: Annotated[
        WindowEdge | None,
        about("no run before this local date (and time)", "2026-01-01", "2026-01-01 09:00"),
    ] = Field(None, alias="from")
    until: Annotated[
        WindowEdge | None,
        about("no run from this local date (and time) on", "2027-01-01"),
    ] = None

    @model_validator(mode="after")
    def _ordered(self) -> Active:
        if self.start and self.until and self.until <= self.start:
            raise bad(
                "the active window ends before it starts",
                "'until' must be later than 'from'",
                kind="timing",
            )
        return self
