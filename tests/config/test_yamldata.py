"""The direct build of YAML data gives exactly what the full constructor gives, duplicates included.

`yamlio.read` builds plain documents itself (`gitcron.config.yamldata`) and leaves anything
unusual to PyYAML's constructor; each document here is read both ways.
"""

from __future__ import annotations

import gc
import weakref
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from gitcron.config import yamldata, yamlio


def both(text: str) -> tuple[tuple[Any, list[Any]], tuple[Any, list[Any]]]:
    def full() -> tuple[Any, list[Any]]:
        loader = yamlio.Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        return data, [(key, mark.line, mark.column) for key, mark in loader.duplicates]

    def direct() -> tuple[Any, list[Any]]:
        loader = yamlio.Loader(text)
        try:
            data = yamlio._data(loader)
        finally:
            loader.dispose()
        return data, [(key, mark.line, mark.column) for key, mark in loader.duplicates]

    return direct(), full()


WORDS = ["yes", "no", "on", "true", "False", "~", "null", "", "0o17", "0x1F", "1e3", "12",
         "-3.5", ".inf", ".nan", "2026-01-31", "2026-01-31 09:30:00", "9:30", "NO", "<<", "a: b",
         "#x"]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(WORDS), st.text(max_size=8), st.integers(), st.booleans(), st.none()
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans())
def test_generated_documents_read_the_same(document: Any, flow: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    # the same text with its scalars unquoted where YAML allows: implicit typing is exercised
    for variant in (text, text.replace("'", "")):
        try:
            direct, full = both(variant)
        except yaml.YAMLError:
            continue
        assert direct == full or _nan(direct, full)


def _nan(a: Any, b: Any) -> bool:
    return repr(a) == repr(b)  # float('nan') is not equal to itself


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 2\na: 3\n",
        "a: {x: 1, x: 2}\nb: [1, {y: 1, y: 2}]\n",
        "s: !!set {a, b}\n",
        "b: !!binary aGVsbG8=\n",
        "n: !!str 12\ni: !!int '7'\nf: !!float '1'\n",
        "? [a, b]\n: 1\n",
        "<<: {a: 1}\nb: 2\n",
        "o: !!omap [a: 1, b: 2]\n",
        "d: 2026-01-31\nt: 2026-01-31 09:30:00\n",
        "x: " + "[" * 300 + "]" * 300 + "\n",
    ],
)
def test_unusual_documents_read_the_same(text: str) -> None:
    try:
        direct, full = both(text)
    except yaml.YAMLError as error:  # refused: the full constructor alone refuses it too
        loader = yamlio.Loader(text)
        with pytest.raises(type(error)):
            loader.get_single_data()
        return
    assert direct == full


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.sampled_from(WORDS), st.text(alphabet="0123456789.-+:eExXoOtTfFnN~ ", max_size=12)
    ),
    st.booleans(),
    st.sampled_from([ScalarNode, SequenceNode, MappingNode]),
)
def test_the_resolver_tags_as_pyyaml_s_own_does(value: str, plain: bool, kind: Any) -> None:
    loader = yamlio.Loader("")
    implicit = (plain, not plain)
    assert loader.resolve(kind, value, implicit) == BaseResolver.resolve(
        loader, kind, value, implicit
    )


def test_building_a_file_leaves_no_cycle_for_the_collector() -> None:
    """Loading pauses the garbage collector: each file's loader must go when its file is read."""
    loader = yamlio.Loader("a: [1, 2.5, {b: true, c: ~}]\nd: 2026-01-01\ne: text\n")
    gone = weakref.ref(loader)
    was = gc.isenabled()
    gc.disable()
    try:
        data = yamldata.build(loader.get_single_node(), loader)
        assert data == {"a": [1, 2.5, {"b": True, "c": None}], "d": date(2026, 1, 1), "e": "text"}
        loader.dispose()
        del loader
        assert gone() is None  # freed by its count of references, not by the collector
    finally:
        if was:
            gc.enable()
