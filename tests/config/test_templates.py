"""Templates in schedule files compile, use known names, and file names stay in their folder."""

from __future__ import annotations

import pytest

from gitcron.config.templates import filename_template_problem, template_problem

UNSAFE = "a file name cannot contain '/', '\\' or '..', nor start with '.'"


@pytest.mark.parametrize(
    "source",
    [
        "acme.csv",
        "acme-{{ run.local_date }}.csv",
        "{{ customer }}-{{ run.local_date }}-{{ run.local_time }}.xlsx",
        '{{ "%s-%s" % (customer, format) }}.csv',
        "{% if params.category %}{{ params.category }}-{% endif %}stock.csv",
        "{{ run.local_date | replace('-', '') }}.csv",
    ],
)
def test_good_filenames(source: str) -> None:
    assert filename_template_problem(source) is None


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        pytest.param("../x.csv", UNSAFE, id="parent"),
        pytest.param("a/b.csv", UNSAFE, id="subfolder"),
        pytest.param("a\\b.csv", UNSAFE, id="backslash"),
        pytest.param(".hidden", UNSAFE, id="hidden"),
        pytest.param("{{ run.local_date }}/x.csv", UNSAFE, id="slash-after-variable"),
        pytest.param('{{ "../" }}x.csv', UNSAFE, id="parent-as-a-string-constant"),
        pytest.param("{{ run.local_date | replace('-', '/') }}.csv", UNSAFE, id="slash-via-filter"),
        pytest.param("{% raw %}../{% endraw %}x.csv", UNSAFE, id="raw-block"),
        pytest.param(
            "{{ secret }}.csv",
            "the template uses 'secret', which is not one of customer, schedule, run, rows,"
            " format, labels, params, columns",
            id="unknown-variable",
        ),
        pytest.param(
            "{{ run.local_date ",
            "the template does not compile: unexpected end of template, expected 'end of print"
            " statement'.",
            id="unclosed",
        ),
        pytest.param("x" * 301, "the template is longer than 300 characters", id="too-long"),
    ],
)
def test_bad_filenames(source: str, problem: str) -> None:
    assert filename_template_problem(source) == problem


def test_template_problem_in_subjects() -> None:
    assert template_problem("Products for {{ run.local_date }}") is None
    assert template_problem("{{ rows | length }} rows for {{ customer }}") is None
    assert template_problem("{{ os.environ }}") == (
        "the template uses 'os', which is not one of customer, schedule, run, rows, format,"
        " labels, params, columns"
    )
    assert template_problem("{% for %}") is not None
    assert template_problem("x" * 10_001) == "the template is longer than 10000 characters"
