"""File names: one safe path component, from the template or the default pattern."""

from __future__ import annotations

import pytest

from gitcron.core.names import filename_problem
from gitcron.jobs.base import JobError
from gitcron.jobs.context import template_context
from gitcron.jobs.filenames import file_name
from gitcron.schedule import Schedule

from .helpers import run_info, schedule, settings


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("acme-products-2026-11-23.xlsx", id="plain"),
        pytest.param("Acme Corp (EMEA) report+v2@2026.csv", id="spaces and symbols"),
        pytest.param("a" * 200, id="200 characters"),
        pytest.param("report.v2.final.pdf", id="dots inside"),
        pytest.param("CONTRACT.csv", id="starts like a device name"),
    ],
)
def test_safe_names(name: str) -> None:
    assert filename_problem(name) is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   ", "empty", id="blank"),
        pytest.param("a" * 201, "longer than 200", id="too long"),
        pytest.param("../x.csv", "contains '/'", id="parent folder"),
        pytest.param("a/b.csv", "contains '/'", id="slash"),
        pytest.param("a\\b.csv", "contains '\\\\'", id="backslash"),
        pytest.param("a\x00.csv", "contains '\\x00'", id="nul"),
        pytest.param("a\nb.csv", "contains '\\n'", id="newline"),
        pytest.param("a:b.csv", "contains ':'", id="colon"),
        pytest.param("Müller.csv", "contains 'ü'", id="non ascii"),
        pytest.param("a*?.csv", "contains '*' '?'", id="wildcards"),
        pytest.param(".hidden.csv", "start with '.'", id="leading dot"),
        pytest.param("a..csv", "contain '..'", id="double dot"),
        pytest.param(" a.csv", "start or end with a space", id="leading space"),
        pytest.param("a.csv.", "end with '.'", id="trailing dot"),
        pytest.param("nul.csv", "reserved device name", id="windows device"),
        pytest.param("COM1", "reserved device name", id="windows port"),
    ],
)
def test_unsafe_names(name: str, problem: str) -> None:
    found = filename_problem(name)
    assert found is not None
    assert problem in found


def context(the_schedule: Schedule) -> dict[str, object]:
    return template_context(run_info(), the_schedule, settings(), rows=7)


def test_default_name() -> None:
    the_schedule = schedule()
    assert file_name(None, context(the_schedule), "xlsx") == "weekly-products-2026-11-23.xlsx"


@pytest.mark.parametrize(
    ("template", "name"),
    [
        pytest.param("{{ customer }}-{{ run.local_date }}.csv", "acme-2026-11-23.csv", id="names"),
        pytest.param("{{ schedule.name }}-{{ rows }}.csv", "weekly-products-7.csv", id="rows"),
        pytest.param("{{ params.category }}-{{ format }}.csv", "Bakery-xlsx.csv", id="params"),
        pytest.param("{{ labels.team }}.csv", "emea.csv", id="labels"),
    ],
)
def test_templates(template: str, name: str) -> None:
    the_schedule = schedule({"params": {"category": "Bakery"}}, labels={"team": "emea"})
    assert file_name(template, context(the_schedule), "csv") == name


@pytest.mark.parametrize(
    ("category", "problem"),
    [
        pytest.param("../../etc", "contains '/'", id="path from a param"),
        pytest.param(".profile", "start with '.'", id="hidden"),
        pytest.param("a" * 250, "longer than 200", id="long"),
    ],
)
def test_values_cannot_make_names_unsafe(category: str, problem: str) -> None:
    the_schedule = schedule({"params": {"category": category}})
    with pytest.raises(JobError, match=problem) as caught:
        file_name("{{ params.category }}.csv", context(the_schedule), "csv")
    assert caught.value.permanent
    assert "plain name" in (caught.value.hint or "")


def test_rendering_stops_at_a_bound() -> None:
    the_schedule = schedule({"params": {"category": "a" * 300}})
    template = "{{ params.category }}" * 3 + ".csv"
    with pytest.raises(JobError, match="more than 800 characters") as caught:
        file_name(template, context(the_schedule), "csv")
    assert caught.value.permanent


def test_template_error_is_permanent() -> None:
    with pytest.raises(JobError, match="the filename template: the template failed") as caught:
        file_name("{{ run.nope }}.csv", context(schedule()), "csv")
    assert caught.value.permanent
