"""The bounded sandbox: ordinary templates render; one-line memory bombs stop early."""

from __future__ import annotations

import pytest

from gitcron.config.sandbox import TemplateError, render_template

CONTEXT = {"customer": "acme", "run": {"local_date": "2026-11-23"}, "params": {"n": 3}}


@pytest.mark.parametrize(
    ("source", "text"),
    [
        pytest.param("plain", "plain", id="no template"),
        pytest.param("{{ customer }}-{{ run.local_date }}", "acme-2026-11-23", id="names"),
        pytest.param("{{ customer ~ '-' ~ params.n }}", "acme-3", id="concat"),
        pytest.param("{{ customer | upper }}", "ACME", id="filter"),
        pytest.param("{{ '%s-%03d' % (customer, params.n) }}", "acme-003", id="printf"),
        pytest.param("{{ '{}:{:>5}'.format(customer, params.n) }}", "acme:    3", id="format"),
        pytest.param("{{ customer * 2 }}", "acmeacme", id="repeat"),
        pytest.param("{{ 2 ** 10 }}", "1024", id="power"),
        pytest.param("{{ customer | center(8) }}", "  acme  ", id="center"),
        pytest.param("{% for i in range(3) %}{{ i }}{% endfor %}", "012", id="loop"),
    ],
)
def test_ordinary_templates(source: str, text: str) -> None:
    assert render_template(source, CONTEXT) == text


BOMB = "the template builds"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{{ 'a' * 1000000000 }}", id="repeat string"),
        pytest.param("{{ [1] * 1000000000 }}", id="repeat list"),
        pytest.param("{{ 9 ** 999999999 }}", id="power"),
        pytest.param("{{ 'a' | center(1000000000) }}", id="center filter"),
        pytest.param("{{ 'a' | indent(1000000000) }}", id="indent filter"),
        pytest.param("{{ '%1000000000s' | format('a') }}", id="format filter"),
        pytest.param("{{ '%1000000000s' % 'a' }}", id="printf width"),
        pytest.param("{{ '%*s' % (1000000000, 'a') }}", id="printf star"),
        pytest.param("{{ '{:>1000000000}'.format('a') }}", id="format width"),
        pytest.param("{{ '{:>{}}'.format('a', 1000000000) }}", id="format nested width"),
        pytest.param("{{ 'a'.ljust(1000000000) }}", id="ljust method"),
        pytest.param("{{ ('a' * 999).replace('a', 'a' * 999999) }}", id="replace method"),
        pytest.param(
            "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
            "{{ f('a', 64) }}",
            id="doubling macro",
        ),
        pytest.param(
            "{% set ns = namespace(s='a') %}{% for i in range(64) %}"
            "{% set ns.s = ns.s + ns.s %}{% endfor %}",
            id="doubling namespace",
        ),
        pytest.param("{% for i in range(100000) %}xxxxxxxx{% endfor %}", id="long output"),
    ],
)
def test_memory_bombs_stop(source: str) -> None:
    with pytest.raises(TemplateError, match=BOMB) as caught:
        render_template(source, CONTEXT)
    assert caught.value.permanent


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        pytest.param("{{ nope }}", "'nope' is undefined", id="unknown name"),
        pytest.param("{{ run.nope }}", "has no attribute 'nope'", id="unknown attribute"),
        pytest.param("{{ lipsum(10) }}", "'lipsum' is undefined", id="no lipsum"),
        pytest.param("{{ 1 / 0 }}", "division by zero", id="arithmetic"),
        pytest.param("{{ customer.__class__ }}", "unsafe", id="sandbox"),
        pytest.param("{% include 'x' %}", "no loader", id="include"),
    ],
)
def test_failures_are_template_errors(source: str, problem: str) -> None:
    with pytest.raises(TemplateError, match=problem):
        render_template(source, CONTEXT)


def test_output_limit() -> None:
    assert render_template("{{ customer * 5 }}", CONTEXT, limit=20) == "acme" * 5
    with pytest.raises(TemplateError, match="more than 19 characters"):
        render_template("{{ customer * 5 }}", CONTEXT, limit=19)
