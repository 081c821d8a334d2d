"""The loader: every unreadable file becomes one Problem at the right place, never an exception."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitcron.config import yamlio
from gitcron.config.problems import Problem


def problems(text: str) -> list[tuple[int, int, str]]:
    doc = yamlio.read("f.yaml", text)
    return [(p.line, p.col, p.message) for p in doc.problems or []]


def test_a_good_file_has_data_and_no_problems() -> None:
    doc = yamlio.read("f.yaml", "a: 1\nb: [x, y]\n")
    assert (doc.data, doc.problems) == ({"a": 1, "b": ["x", "y"]}, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a:\n\tb: 1\n", (2, 1), id="tab-first"),
        pytest.param("a:\n  \tb: 1\n", (2, 3), id="tab-after-spaces"),
        pytest.param("a: 1\nb:\n  - x\n\t- y\n", (4, 1), id="tab-in-list"),
    ],
)
def test_tab_indentation(text: str, expected: tuple[int, int]) -> None:
    (found,) = problems(text)
    assert found == (*expected, "a tab is used for indentation; YAML only allows spaces")


def test_tab_inside_a_value_is_fine() -> None:
    assert yamlio.read("f.yaml", 'a: "x\ty"\nb: x\ty\n').data == {"a": "x\ty", "b": "x\ty"}


def test_anchor_is_reported_where_it_is_declared() -> None:
    assert problems("a: 1\nb: &ref\n  c: 2\nd: *ref\n") == [
        (2, 4, "YAML anchors and aliases ('&ref', '*ref') are not allowed")
    ]


def test_ampersand_in_text_is_not_an_anchor() -> None:
    assert yamlio.read("f.yaml", 'a: "Tom & Jerry"\nb: R&D\n').data == {
        "a": "Tom & Jerry",
        "b": "R&D",
    }


@pytest.mark.timeout(10)  # whatever the reader does with this file, it must end: fail, not hang
def test_billion_laughs_is_refused_before_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    events: list[yaml.Event] = []  # what the parser was asked for
    get_event = yamlio.Loader.get_event

    def counted_event(self: yamlio.Loader) -> yaml.Event:
        events.append(get_event(self))
        return events[-1]

    def construct_document(self: yamlio.Loader, node: yaml.Node) -> object:
        raise AssertionError("the document reached construction, where aliases expand")

    monkeypatch.setattr(yamlio.Loader, "get_event", counted_event)
    monkeypatch.setattr(yamlio.Loader, "construct_document", construct_document)
    doc = yamlio.read("f.yaml", "\n".join(rows))
    # The parse stopped at the first anchor ('a: &a [', the 5th of the file's 114 events).
    assert len(events) <= 5
    assert doc.data is None
    assert [p.message for p in doc.problems or []] == [
        "YAML anchors and aliases ('&a', '*a') are not allowed"
    ]


def test_duplicate_keys_each_reported_at_the_repeat() -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"
    assert sorted(problems(text)) == [
        (4, 3, "the key 'c' appears more than once"),
        (5, 1, "the key 'a' appears more than once"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "the file is empty", id="empty"),
        pytest.param("# nothing\n", "the file is empty", id="comment"),
        pytest.param("~\n", "the file is empty", id="null"),
        pytest.param(
            "- a\n", "the file must be a set of 'key: value' lines, not a list", id="list"
        ),
        pytest.param(
            "42\n", "the file must be a set of 'key: value' lines, not a single value", id="int"
        ),
        pytest.param(
            "hi\n", "the file must be a set of 'key: value' lines, not a single value", id="str"
        ),
    ],
)
def test_not_a_mapping(text: str, message: str) -> None:
    (found,) = problems(text)
    assert found[2] == message


def test_size_limit_counts_bytes_not_characters() -> None:
    text = "a: " + "é" * (yamlio.MAX_BYTES // 2)  # fewer characters than the limit, more bytes
    assert len(text) < yamlio.MAX_BYTES
    assert problems(text) == [(0, 0, "the file is larger than 256 KiB")]
    assert problems("a: " + "e" * (yamlio.MAX_BYTES - 10)) == []


def test_syntax_error_points_at_the_offending_character() -> None:
    (found,) = problems("a: 1\nb: Note: x\n")
    assert found == (2, 8, "this is not valid YAML: mapping values are not allowed in this context")


@pytest.mark.parametrize(
    ("loc", "key", "expected"),
    [
        pytest.param(("schedule", "weekly", "on"), False, (3, 17), id="value"),
        pytest.param(("schedule", "weekly", "on"), True, (3, 13), id="key"),
        pytest.param(("deliver", 1, "email"), False, (7, 12), id="list-item"),
        pytest.param(("deliver", 1, "email", "to", 0), False, (7, 19), id="flow-list-item"),
        pytest.param(("schedule", "weekly", "nope"), False, (3, 3), id="missing-key-parent"),
        pytest.param(("report",), False, (1, 1), id="missing-top-level"),
        pytest.param(("deliver", 9), False, (5, 1), id="index-out-of-range"),
    ],
)
def test_locate(loc: tuple[str | int, ...], key: bool, expected: tuple[int, int]) -> None:
    text = (
        "description: x\n"
        "schedule:\n"
        "  weekly: { on: monday, at: '09:00' }\n"
        "timezone: UTC\n"
        "deliver:\n"
        "  - email: { to: [a@example.com] }\n"
        "  - email: { to: [b@example.com] }\n"
    )
    root = yaml.compose(text, Loader=yamlio.Loader)  # type: ignore[arg-type]
    assert yamlio.locate(root, loc, key) == expected


def test_place_fills_only_missing_positions() -> None:
    text = "a:\n  b: 1\n"
    given_ = Problem("f", "kept", ("a",), line=9, col=9)
    placed = yamlio.place([given_, Problem("f", "placed", ("a", "b"))], text)
    assert [(p.message, p.line, p.col) for p in placed] == [("kept", 9, 9), ("placed", 2, 6)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@` \t\n,?0x9")), max_size=40))
def test_never_raises_and_always_gives_data_or_problems(text: str) -> None:
    doc = yamlio.read("f.yaml", text)
    if doc.problems is None:  # no problem: the data is a mapping
        assert isinstance(doc.data, dict)
    elif isinstance(doc.data, dict):  # a mapping with problems: only a repeated key says so
        assert all("appears more than once" in p.message for p in doc.problems)
    for problem in doc.problems or []:
        assert problem.message
        assert problem.line >= 0
        assert problem.col >= 0
