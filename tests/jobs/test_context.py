"""Template names: the same values for file names, titles, event payloads and emails."""

from __future__ import annotations

from gitcron.config.templates import CONTEXT_NAMES
from gitcron.jobs.context import template_context

from .helpers import run_info, schedule, settings


def test_every_name_validation_allows() -> None:
    context = template_context(run_info(), schedule(labels={"team": "emea"}), settings(), rows=3)
    assert tuple(context) == CONTEXT_NAMES
    assert context["customer"] == "acme"
    assert context["schedule"] == {
        "id": "acme/weekly-products",
        "name": "weekly-products",
        "description": None,
    }
    assert context["run"]["local_date"] == "2026-11-23"
    assert context["run"]["local_time"] == "0900"
    assert context["rows"] == 3
    assert context["format"] == "xlsx"
    assert context["labels"] == {"team": "emea"}
    assert context["params"] == {"customer": None, "category": None}


def test_first_run_has_no_interval_start() -> None:
    context = template_context(run_info(start=None), schedule(), settings())
    assert context["run"]["interval_start"] is None


def test_events_have_no_params() -> None:
    context = template_context(run_info(), schedule(event={"type": "ping"}), settings())
    assert context["params"] == {}
    assert context["format"] == "json"
    assert context["rows"] is None
