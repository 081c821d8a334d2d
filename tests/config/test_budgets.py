"""Every render runs under a budget: templates that loop, recurse or build without end stop early.

Each bomb goes through the public `render_template`, as a file name or an email body does, and
must fail with a permanent error naming the budget it went over. How long a bomb runs is never
asserted (the machine may be busy); the work it was allowed to do is, and where pytest-timeout is
installed a generous timeout turns a regression into a failure instead of a hung suite.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gitcron.config.budget import MAX_PASSES, MAX_WORK, Budget, render_budget
from gitcron.config.sandbox import TemplateError, render_template, sandbox
from gitcron.config.templates import filename_template_problem, template_problem

CONTEXT: dict[str, Any] = {
    "customer": "acme",
    "schedule": {"id": "acme/daily", "name": "daily", "description": "Daily products"},
    "run": {"local_date": "2026-11-23", "local_time": "0800", "id": "acme/daily@x"},
    "rows": 12,
    "format": "csv",
    "labels": {"team": "emea", "tier": "gold"},
    "params": {"category": "Bakery", "n": 3},
    "links": ["https://files.example/a.csv", "https://mirror.example/a.csv"],
}
LOOPS = "the template loops more than 100,000 times"
WORK = "the template does more than 20,000,000 units of work"
LONG = "the template builds a value longer than 1,000,000 characters or items"
DEEP = "maximum recursion depth exceeded"
NESTED = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
BIG = "{% set s = 'a' * 999999 %}"
EVERY_PASS = "{% for i in range(100000) %}"

bounded: Callable[[Any], Any] = (
    pytest.mark.timeout(60) if importlib.util.find_spec("pytest_timeout") else (lambda test: test)
)

BOMBS = [
    # the three
    pytest.param(NESTED + "x.csv", LOOPS, id="nested loops in a file name"),
    pytest.param("{{ ('a' * 999999) | wordwrap(1) }}", LONG, id="wordwrap at width 1"),
    pytest.param("{{ ('a\\n' * 499999) | indent(9999) }}", LONG, id="indent every line"),
    # loops and recursion
    pytest.param(
        "Hello {{ customer }},\n\nYour files:\n{% for link in links %}\n- {{ link }}\n"
        + NESTED
        + "\n{% endfor %}\nRegards",
        LOOPS,
        id="nested loops hidden in a body",
    ),
    pytest.param(
        "{% for a in range(100000) %}{% for b in range(100000) if false %}{% endfor %}{% endfor %}",
        LOOPS,
        id="loop whose items are all filtered out",
    ),
    pytest.param(
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(40) }}",
        WORK,
        id="macro calling itself twice",
    ),
    pytest.param("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", DEEP, id="endless macro"),
    pytest.param(
        "{% block b %}{{ self.b() }}{{ self.b() }}{% endblock %}", DEEP, id="block calling itself"
    ),
    pytest.param(
        "{% for x in [1] recursive %}{{ loop([1, 2]) }}{% endfor %}", DEEP, id="recursive loop"
    ),
    pytest.param(
        "{% macro f() %}{{ caller() }}{{ caller() }}{% endmacro %}"
        + EVERY_PASS
        + "{% call f() %}x{% endcall %}{% endfor %}",
        WORK,
        id="caller in a loop",
    ),
    # cheap-looking work repeated on a big value
    pytest.param(
        BIG + EVERY_PASS + "{% if 'b' in s %}{% endif %}{% endfor %}", WORK, id="search in a loop"
    ),
    pytest.param(BIG + EVERY_PASS + "{% set t = s[1:] %}{% endfor %}", WORK, id="slice in a loop"),
    pytest.param(
        BIG + EVERY_PASS + "{% set t = s.upper() %}{% endfor %}", WORK, id="method in a loop"
    ),
    pytest.param(
        "{% set x %}" + EVERY_PASS + "{{ i }}{{ i }}{{ i }}{{ i }}{% endfor %}{% endset %}",
        WORK,
        id="text collected by set",
    ),
    pytest.param("{{ range(100000) | map('center', 9999) | join }}", WORK, id="map then join"),
    pytest.param(
        "{{ ('x' * 999999).join(range(100000) | map('string')) }}", WORK, id="join an iterator"
    ),
    pytest.param("{{ range(100000) | list | pprint }}", WORK, id="pprint a long list"),
    # one step that writes far more than it reads
    pytest.param("{{ ('a' * 999999) | replace('', 'b') }}", LONG, id="replace the empty string"),
    pytest.param("{{ ('\\t' * 999999).expandtabs(9999) }}", LONG, id="expand tabs"),
    pytest.param("{{ ('\\n' * 999) | indent('x' * 9999) }}", LONG, id="indent with text"),
    pytest.param("{{ [1] | batch(1000000000, 'x') | list }}", LONG, id="batch with filling"),
    pytest.param("{{ [1] | slice(1000000000) | list }}", LONG, id="a billion slices"),
    pytest.param("{{ ([[1]] * 999999) | sum(start=[]) }}", LONG, id="sum of lists"),
    pytest.param("{{ ('{0}' * 20).format('a' * 99999) }}", LONG, id="format field repeated"),
    pytest.param("{{ ('%s' * 13) % (('a' * 99999,) * 13) }}", LONG, id="printf repeated"),
    pytest.param(BIG + "{{ [s] * 999999 }}", LONG, id="list of one long string"),
    pytest.param(
        BIG + "{% set a = [s, s, s, s, s] %}{% set b = [a, a, a, a, a] %}{{ b }}",
        LONG,
        id="nested lists written out",
    ),
    pytest.param(
        BIG + "{% set n = namespace(a=s) %}{% set top = namespace(a=n, b=n) %}{{ top }}",
        LONG,
        id="nested namespaces written out",
    ),
    pytest.param(
        "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
        "{% endfor %}",
        "the template builds a number with more than 100,000 bits",
        id="squaring a number",
    ),
]


@bounded
@pytest.mark.parametrize(("source", "message"), BOMBS)
def test_bombs_stop_with_the_budget_named(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message) as caught:
        render_template(source, CONTEXT, limit=200_000)
    assert caught.value.permanent


def _spent_on(source: str) -> Budget:
    """What rendering `source` spent before it stopped (through the sandbox, to read the budget)."""
    with render_budget() as spent, pytest.raises(TemplateError):
        for _ in sandbox().from_string(source).generate(CONTEXT):
            pass
    return spent


@bounded
def test_the_nested_loops_stop_right_after_the_budget_not_after_ten_billion_passes() -> None:
    spent = _spent_on(NESTED)
    assert spent.passes == MAX_PASSES + 1
    assert spent.over == LOOPS


@bounded
def test_work_stops_right_after_the_budget() -> None:
    spent = _spent_on(BIG + EVERY_PASS + "{% set t = s.upper() %}{% endfor %}")
    assert MAX_WORK < spent.work < MAX_WORK + 2_000_000  # one more read of `s`, at most
    assert spent.passes < 100  # a million characters read each pass: the work runs out first


def test_the_budget_hint_says_where_to_read_about_it() -> None:
    with pytest.raises(TemplateError) as caught:
        render_template(NESTED, CONTEXT)
    assert caught.value.hint is not None
    assert "docs/security.md#budgets" in caught.value.hint


def test_each_render_has_its_own_budget() -> None:
    most = "{% for i in range(60000) %}{% endfor %}done"  # 60% of the passes, twice
    assert render_template(most, CONTEXT) == "done"
    assert render_template(most, CONTEXT) == "done"
    assert render_template("{% for i in range(100000) %}{% endfor %}ok", CONTEXT) == "ok"


# What legitimate templates do; each renders exactly as jinja2's own sandbox renders it.
ORDINARY = [
    "{{ customer }}-{{ run.local_date }}{% if params.category %}-{{ params.category }}{% endif %}",
    "{{ schedule.name | replace('-', ' ') | title }}: {{ rows }} rows ({{ format | upper }})",
    "{% for link in links %}{{ loop.index }}. {{ link }}{% if not loop.last %}\n{% endif %}"
    "{% endfor %}",
    "{% for key, value in labels | dictsort %}{{ key }}={{ value }};{% endfor %}",
    "{% for key, value in labels.items() if key != 'tier' %}{{ key }}{% else %}none{% endfor %}",
    "{% macro row(name, value='-') %}{{ name }}: {{ value }}\n{% endmacro %}"
    "{{ row('rows', rows) }}{{ row('format') }}",
    "{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}{{ customer }}{% endcall %}",
    "{% set title %}{{ customer | upper }} {{ run.local_date }}{% endset %}{{ title | trim }}",
    "{% for x in [[1, [2]], [3]] recursive %}({% if x is iterable %}{{ loop(x) }}{% else %}"
    "{{ x }}{% endif %}){% endfor %}",
    "{{ run.local_time[:2] ~ ':' ~ run.local_time[2:] }} {{ links[0][8:13] }}",
    "{% if 1 < rows <= 12 and 'Bak' in params.category and customer != 'x' %}yes{% endif %}",
    "{{ '%-8s|%5d' % (customer, rows) }} {{ '{:,}'.format(rows * 1000) }} {{ 2 ** 10 }}",
    "{{ links | join(', ') }} {{ links | map('length') | sum }} {{ labels | length }}",
    "{{ [1, 2, 3] }} {{ {'a': 1} }} {{ (1, 'x') }} {{ none }} {{ 1.5 }}",
    "{{ params.category | center(12) }}|{{ 'a\nb' | indent(2, true) }}|{{ customer * 2 }}",
    "{{ 'long words here' | wordwrap(5) }} {{ 'abcdef' | truncate(5, true, '') }}",
    "{% set ns = namespace(total=0) %}{% for i in range(5) %}{% set ns.total = ns.total + i %}"
    "{% endfor %}{{ ns.total }}",
    "{{ range(10) | batch(3, 0) | list }} {{ range(5) | slice(2) | list }}",
    "{% block greeting %}Hello {{ customer }}{% endblock %} / {{ self.greeting() }}",
]


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_templates_render_as_jinja2_renders_them(source: str) -> None:
    plain = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    assert render_template(source, CONTEXT) == plain.from_string(source).render(CONTEXT)


@bounded
@pytest.mark.parametrize(
    "source",
    [NESTED + "x.csv", "{{ run.local_date | wordwrap(1) }}.csv", "{{ customer | indent(9999) }}"],
)
def test_validation_compiles_bombs_without_running_them(source: str) -> None:
    # Validation compiles only: the budget of the run is what stops these (see the end-to-end
    # test in test_budgets_end_to_end.py).
    assert filename_template_problem(source) is None


@bounded
def test_validation_refuses_constants_that_overspend_while_compiling() -> None:
    # jinja2 folds constant filters while compiling; here each wordwrap adds 4,000 lines
    source = "{{ '" + "a" * 4000 + "' " + "| wordwrap(1) " * 8 + "}}"
    assert template_problem(source) == WORK
    with pytest.raises(TemplateError, match=WORK):
        render_template(source, CONTEXT)
