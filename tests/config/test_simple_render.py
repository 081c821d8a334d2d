"""`{{ name.key }}`-only templates are rendered without the compiler, exactly as Jinja renders them.

Validate renders every file name and subject of every schedule for its next runs; compiling each
distinct text would cost more than reading the file. The fast path must never differ: each case
is rendered both ways.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitcron.config.budget import TemplateError
from gitcron.config.sandbox import _compile, render_template
from gitcron.config.templates import SIMPLE

CONTEXT: dict[str, Any] = {
    "customer": "acme",
    "run": {"local_date": "2026-01-31", "attempt": 2, "interval_start": None},
    "labels": {"items": "a label named like a method", "team": "emea"},
    "params": {"price": 1.5, "flag": True, "nested": {"deep": "yes"}},
    "rows": 0,
}
NAMES = [
    "customer",
    "run.local_date",
    "run.attempt",
    "run.interval_start",
    "run.nope",
    "labels.items",
    "labels.team",
    "params",
    "params.price",
    "params.flag",
    "params.nested.deep",
    "customer.upper",
    "rows",
]


def jinja(source: str) -> str:
    return "".join(_compile(source).generate(dict(CONTEXT)))


def outcome(render: Any, source: str) -> tuple[str, str]:
    try:
        return ("text", render(source))
    except Exception as error:
        return ("error", type(error).__name__)


texts = st.text(alphabet="ab-_. \r\n\t", max_size=5)
templates = st.lists(
    st.one_of(texts, st.sampled_from(NAMES).map(lambda n: f"{{{{ {n} }}}}")), max_size=5
).map("".join)


@settings(max_examples=300, deadline=None)
@given(templates)
def test_the_fast_path_renders_as_jinja_does(source: str) -> None:
    if "{" not in source:  # text without a tag is returned as written, before either path
        return
    fast = outcome(lambda s: render_template(s, CONTEXT), source)
    slow = outcome(jinja, source)
    if slow[0] == "error":
        assert fast[0] == "error"  # the same failure, in the sandbox's words
    else:
        assert fast == slow


def test_a_missing_name_fails_as_it_did() -> None:
    with pytest.raises(TemplateError, match="has no attribute 'nope'"):
        render_template("{{ run.nope }}", CONTEXT)


def test_the_length_limit_holds_on_the_fast_path() -> None:
    with pytest.raises(TemplateError, match="more than 10 characters"):
        render_template("{{ labels.items }}", CONTEXT, limit=10)


# SIMPLE as it was first written, a character at a time: the run-at-a-time pattern must accept
# exactly the same texts (it decides which templates skip the compiler).
_CHAR_AT_A_TIME = re.compile(r"^(?:[^{}]|\{\{\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s*\}\})*$")
_PIECES = st.sampled_from(["{{", "}}", "{", "}", " ", ".", "run", "a.b", "_x", "1", "\n", "-{%"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=12).map("".join))
def test_the_simple_pattern_accepts_what_the_character_pattern_accepts(text: str) -> None:
    assert bool(SIMPLE.match(text)) == bool(_CHAR_AT_A_TIME.match(text))
