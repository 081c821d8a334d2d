"""Pydantic's errors said in our words, on the models of schedule files and gitcron.yaml."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from gitcron.config import yamlio
from gitcron.config.phrases import problems_from
from gitcron.config.settings import Settings
from gitcron.schedule import Schedule
from support import GOOD


def said(model: type[BaseModel], data: Any) -> list[tuple[str, str, str | None]]:
    """(where, message, hint) of every problem pydantic finds in `data`."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(p.where, p.message, p.hint) for p in problems_from(caught.value, "f", model)]


def good() -> dict[str, Any]:
    data = yamlio.read("f", GOOD).data
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"timzone": "UTC"},
            (
                "timzone",
                "'timzone' is not a setting gitcron knows here",
                "did you mean 'timezone'?",
            ),
            id="top-level",
        ),
        pytest.param(
            {"deliver": [{"email": {"to": ["a@example.com"], "subjet": "Hi"}}]},
            (
                "delivery 1, email.subjet",
                "'subjet' is not a setting gitcron knows here",
                "did you mean 'subject'?",
            ),
            id="inside-a-list-item",
        ),
        pytest.param(
            {"deliver": [{"emial": {"to": ["a@example.com"]}}]},
            (
                "delivery 1, emial",
                "'emial' is not a setting gitcron knows here",
                "did you mean 'email'?",
            ),
            id="channel-typo",
        ),
        pytest.param(
            {"report": {"dataset": "products", "format": "csv", "csv": {"delimter": ";"}}},
            (
                "report.csv.delimter",
                "'delimter' is not a setting gitcron knows here",
                "did you mean 'delimiter'?",
            ),
            id="nested-model",
        ),
        pytest.param(
            {"active": {"form": "2026-01-01"}},
            ("active.form", "'form' is not a setting gitcron knows here", "did you mean 'from'?"),
            id="alias",
        ),
        pytest.param(
            {"report": {"dataset": "products", "format": "xls"}},
            ("report.format", "'xls' is not a choice here", "did you mean 'xlsx'?"),
            id="literal-choice",
        ),
        pytest.param(
            {"on_closed": "later"},
            ("on_closed", "'later' is not a choice here", "use skip or next-open-day"),
            id="literal-no-close-match",
        ),
        pytest.param(
            {"paused": "maybe"},
            ("paused", "'maybe' should be true or false", "write true or false"),
            id="bool",
        ),
        pytest.param(
            {"labels": {"team": ["a", "b"]}},
            (
                "labels.team",
                "this should be one value: text, a number or true/false",
                "write a single value, not a list or a set of 'key: value' lines",
            ),
            id="union-said-once",
        ),
        pytest.param(
            {"deliver": [{}]},
            (
                "delivery 1",
                "each delivery goes through one channel, but none is given",
                "add one of email, webhook, storage, sftp, slack, teams or outbox,"
                " e.g. email: {to: [...]}",
            ),
            id="no-channel",
        ),
        pytest.param(
            {"report": None, "event": {"type": "x"}, "deliver": []},
            None,
            id="report-and-event-none",
        ),
    ],
)
def test_schedule_phrases(change: dict[str, Any], expected: tuple[str, str, str] | None) -> None:
    data = good() | change
    if expected is None:  # removing the report leaves a valid event schedule
        Schedule.model_validate(data)
        return
    assert said(Schedule, data) == [expected]


def test_both_report_and_event() -> None:
    data = good() | {"event": {"type": "report.daily"}}
    assert said(Schedule, data) == [
        ("", "a schedule does one job: found report and event", "keep only one of report or event")
    ]


def test_missing_field_names_it() -> None:
    data = good()
    del data["report"]["format"]
    assert said(Schedule, data) == [("report.format", "'format' is missing", "add 'format:' here")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            {"datasets": {"products": {"sampel": "products"}}},
            (
                "datasets.products.sampel",
                "'sampel' is not a setting gitcron knows here",
                "did you mean 'sample'?",
            ),
            id="inside-a-dict-value",
        ),
        pytest.param(
            {"datasets": {"products": {"sample": "products", "params": {"c": {"requird": True}}}}},
            (
                "datasets.products.params.c.requird",
                "'requird' is not a setting gitcron knows here",
                "did you mean 'required'?",
            ),
            id="param-of-a-dataset",
        ),
        pytest.param(
            {"channels": {"emial": {}}},
            (
                "channels.emial",
                "'emial' is not a setting gitcron knows here",
                "did you mean 'email'?",
            ),
            id="channel",
        ),
        pytest.param(
            {"datasets": {"products": {}}},
            (
                "datasets.products",
                "a dataset has one source, but none is given",
                "add one of sql, file, http or sample, e.g. file: data/products.csv",
            ),
            id="dataset-without-source",
        ),
        pytest.param(
            {"calendars": {"closures": {"holidays": "XX"}}},
            (
                "calendars.closures.holidays",
                "unknown holiday country 'XX' (use a two-letter code like US or GB); did you mean"
                " XK (Kosovo) or SX (Sint Maarten) or MX (Mexico)?",
                "use a code like US, GB-ENG or DE-BY",
            ),
            id="calendar-holiday-code",
        ),
        pytest.param(
            {"tick": "15 minutes"},
            (
                "tick",
                "'15 minutes' is not a length of time",
                "write a number and a unit: 90s, 15m, 6h, 2d or combined like 1h30m",
            ),
            id="tick",
        ),
    ],
)
def test_settings_phrases(data: dict[str, Any], expected: tuple[str, str, str]) -> None:
    assert said(Settings, data) == [expected]
