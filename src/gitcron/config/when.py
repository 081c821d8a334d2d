"""`schedule:` and the settings around it (`skip:`, `active:`): when a schedule fires."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from pydantic import WithJsonSchema as Schema

from gitcron.config.base import Strict, exactly_one
from gitcron.config.fields import Duration, LocalDateTime, MonthlyOn, Times, Weekdays, bad


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
