"""A template that does not compile: what Jinja found, the template's own line, a fix that fits."""

from __future__ import annotations

import pytest

from gitcron.config.templates import template_fix, template_problem

BROKEN = "the template does not compile: "


@pytest.mark.parametrize(
    ("source", "problem", "fix"),
    [
        pytest.param(
            "{{ run.local_date }",
            "unexpected '}'",
            "close the value with two braces, }}, as in {{ run.local_date }}",
            id="one-closing-brace",
        ),
        pytest.param(
            "acme-{{ run.local_date ",
            "unexpected end of template, expected 'end of print statement'.",
            "close the {{ with }}",
            id="unclosed-print",
        ),
        pytest.param(
            "{{ run local_date }}",
            "expected token 'end of print statement', got 'local_date'",
            "inside {{ }} write one value: a name's parts joined by '.' (run.local_date), then"
            " filters after '|' (customer | upper)",
            id="two-names-in-one-print",
        ),
        pytest.param(
            "{% iff params.category %}x{% endif %}",
            "Encountered unknown tag 'iff'.",
            "did you mean 'if'?",
            id="unknown-tag",
        ),
        pytest.param(
            "{% if params.category %}x{% endfi %}",
            "Encountered unknown tag 'endfi'.",
            "did you mean 'endif'?",
            id="misspelt-end-tag",
        ),
        pytest.param(
            "{% endfor %}",
            "Encountered unknown tag 'endfor'.",
            "remove it, or open the block it closes with {% for ... %}",
            id="end-tag-with-nothing-open",
        ),
        pytest.param(
            "{% for row in rows %}{{ row }}",
            "Unexpected end of template.",
            "close the for block with {% endfor %}",
            id="unclosed-block",
        ),
        pytest.param(
            "{{ customer | uper }}",
            "No filter named 'uper'.",
            "did you mean 'upper'?",
            id="filter-typo",
        ),
        pytest.param(
            "{{ customer | bold }}",
            "No filter named 'bold'.",
            "use a filter that exists, e.g. upper, lower, replace or default",
            id="filter-that-does-not-exist",
        ),
        pytest.param(
            "{{ rows | length is od }}",
            "No test named 'od'.",
            "did you mean 'odd'?",
            id="test-typo",
        ),
        pytest.param(
            "{{ params.category | replace('-', '' }}",
            "unexpected '}', expected ')'",
            "close the ( with ) before the }}",
            id="unclosed-call",
        ),
        pytest.param(
            '{{ "acme }}',
            "unexpected char '\"' at 3",
            'close the quoted text with another "',
            id="unclosed-quote",
        ),
        pytest.param(
            "{% if params.category }x{% endif %}",
            "unexpected '}'",
            "close the tag with %}, e.g. {% if params.category %}",
            id="unclosed-tag",
        ),
    ],
)
def test_the_problem_and_a_fix_that_fits(source: str, problem: str, fix: str) -> None:
    said = template_problem(source)
    assert said is not None
    assert said.startswith(BROKEN + problem)
    assert template_fix(source) == fix


def test_a_multi_line_template_says_the_line_inside_it() -> None:
    body = "Hello,\n\nyour file for {{ run.local_date }\nis attached.\n"
    assert template_problem(body) == BROKEN + "unexpected '}' (line 3 of the template)"
    assert template_fix(body) == "close the value with two braces, }}, as in {{ run.local_date }}"
    one_line = "{{ run.local_date }\n"  # a block scalar's final newline is not a second line
    assert template_problem(one_line) == BROKEN + "unexpected '}'"


def test_no_fix_for_a_template_that_compiles() -> None:
    assert template_fix("{{ run.local_date }}") is None
    assert template_fix("{{ secret }}") is None  # an unknown name is not a syntax error
