"""Reading users' YAML safely and fast, and finding the line of any key when something is wrong.

The fast path is PyYAML's C parser with YAML 1.2 scalars: only `true`/`false` are booleans (so
`on:` stays a key and Norway's `NO` stays a string) and there are no base-60 numbers (`9:30`
stays a time). Anchors and aliases are refused outright, so no document can expand itself.
Positions are recovered only for files that have problems, by composing the file again.

Over 250 lines on purpose: the fast loader and the position finder must agree on every YAML rule
(booleans, numbers, refused anchors), so they are kept side by side.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from gitcron.config import yamldata
from gitcron.config.problems import Loc, Problem
from gitcron.files import MAX_YAML_BYTES

MAX_BYTES = MAX_YAML_BYTES

try:  # the C parser ships in PyYAML's wheels; the pure-Python one gives the same results
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str | bytes) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Resolver(BaseResolver):
    """YAML 1.2 core schema scalars, plus YAML 1.1 dates (`2026-01-01`) which users expect."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, as `BaseResolver.resolve` gives it with these resolvers only."""
        if kind is ScalarNode:
            if implicit[0]:
                tag = _PLAIN_TAGS.get(value)
                if tag is None:
                    tag = next(
                        (t for t, p in _BY_FIRST.get(value[:1], ()) if p.match(value)),
                        self.DEFAULT_SCALAR_TAG,
                    )
                    if len(_PLAIN_TAGS) < 50_000:  # keys and common values recur in every file
                        _PLAIN_TAGS[value] = tag
                return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


_RESOLVERS = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "timestamp",
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
        r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        "0123456789",
    ),
]
for _name, _pattern, _first in _RESOLVERS:
    _Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_name}", re.compile(_pattern), list(_first)
    )
# The resolvers by a scalar's first character, as `BaseResolver.resolve` looks them up; there are
# no wildcard and no path resolvers, so the lookup below is all of it, without its generality.
_PLAIN_TAGS: dict[str, str] = {}  # the tag of each plain scalar met, by its text
_BY_FIRST = {first: tuple(found) for first, found in _Resolver.yaml_implicit_resolvers.items()}


class _Constructor(SafeConstructor):
    """Safe construction that remembers duplicate keys instead of silently keeping the last."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[tuple[str, yaml.Mark]] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        mapping = super().construct_mapping(node, deep)
        if len(mapping) != len(node.value):  # fewer keys than pairs: some key came twice
            seen: set[str] = set()
            for key_node, _ in node.value:
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark))
                seen.add(key_node.value)
        return mapping

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = str(self.construct_scalar(node))
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value, 10)


_Constructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", _Constructor.construct_yaml_int
)


_NO_PATHS: dict[Any, None] = {}  # stays empty


class Loader(_Parser, _Constructor, _Resolver):
    """The loader every gitcron file goes through."""

    # No path resolvers are added, so following the path of each node is a no-op: C-level
    # no-ops called as `descend_resolver(parent, index)` and `ascend_resolver()` (neither binds
    # `self`) spare a Python call per node of every file.
    descend_resolver = _NO_PATHS.get  # type: ignore[assignment]  # returns None, as it does
    ascend_resolver = tuple  # type: ignore[assignment]  # its () is ignored, as None is

    def __init__(self, stream: str | bytes) -> None:
        _Parser.__init__(self, stream)
        # what `SafeConstructor.__init__` and `BaseResolver.__init__` set, set directly: a
        # loader is made per file, and the chain of calls cost more than the parse of a key
        self.constructed_objects: dict[Any, Any] = {}
        self.recursive_objects: dict[Any, None] = {}
        self.state_generators: list[Any] = []
        self.deep_construct = False
        self.duplicates = []
        self.resolver_exact_paths: list[Any] = []
        self.resolver_prefix_paths: list[Any] = []


@dataclass(slots=True)
class Document:
    """A parsed file: its data when readable, its problems otherwise, and its text for positions."""

    file: str
    text: str
    data: Any = None
    problems: list[Problem] | None = None


def _mark_problem(file: str, message: str, mark: Any, hint: str | None = None) -> Problem:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    return Problem(file, message, hint=hint, line=line, col=col, kind="syntax")


def _tab_problem(file: str, text: str) -> Problem | None:
    if "\t" not in text:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            return Problem(
                file,
                "a tab is used for indentation; YAML only allows spaces",
                hint="replace the tab at the start of this line with spaces",
                line=number,
                col=line.index("\t") + 1,
                kind="syntax",
            )
    return None


def _anchor_problem(file: str, text: str) -> Problem | None:
    """Anchors and aliases are refused: one alias can make a tiny file expand to gigabytes."""
    if "&" not in text:  # no anchor, so no alias can resolve: the common case costs one scan
        return None
    try:
        for event in yaml.parse(text, Loader=Loader):  # type: ignore[arg-type]
            name = getattr(event, "anchor", None)
            if name is not None:
                return _mark_problem(
                    file,
                    f"YAML anchors and aliases ('&{name}', '*{name}') are not allowed",
                    event.start_mark,
                    hint="write the value out in full where it is needed",
                )
    except yaml.YAMLError:
        return None  # reported by the full load with its own message
    return None


def _yaml_error(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", None) or error).strip()
    context = str(getattr(error, "context", None) or "")
    hint = "check the indentation and quoting on this line and the one above"
    if "alias" in problem or "alias" in context:
        hint = 'a value starting with * must be quoted, e.g. cron: "*/30 * * * *"'
        problem = "a value starts with '*', which YAML reads as a reference"
        mark = getattr(error, "context_mark", None) or mark  # the '*', not the character after
    elif "mapping values are not allowed" in problem:
        hint = 'put quotes around a value that contains ": ", e.g. description: "Note: ..."'
    elif "found character '\\t'" in problem:
        hint = "replace tabs with spaces"
    return _mark_problem(file, f"this is not valid YAML: {problem}", mark, hint)


def read(file: str, text: str) -> Document:
    """Parse one file; never raises for anything a user can write."""
    doc = Document(file, text)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        doc.problems = [
            Problem(
                file,
                f"the file is larger than {MAX_BYTES // 1024} KiB",
                hint="a schedule file should be a few lines; split it or move data to a dataset",
                kind="syntax",
            )
        ]
        return doc
    early = _tab_problem(file, text) or _anchor_problem(file, text)
    if early:
        doc.problems = [early]
        return doc
    loader = Loader(text)
    try:
        doc.data = _data(loader)
    except yaml.YAMLError as error:
        doc.problems = [_yaml_error(file, error)]
        return doc
    finally:
        loader.dispose()
    problems = [
        _mark_problem(
            file,
            f"the key '{key}' appears more than once",
            mark,
            hint="keep one of them; YAML would silently use only the last",
        )
        for key, mark in loader.duplicates
    ]
    if doc.data is None:
        problems.append(
            Problem(file, "the file is empty", hint="see schedules/ for examples", kind="syntax")
        )
    elif not isinstance(doc.data, dict):
        problems.append(
            Problem(
                file,
                f"the file must be a set of 'key: value' lines, not a {_kind(doc.data)}",
                hint="start with a line like 'schedule:' at the left margin",
                line=1,
                col=1,
                kind="syntax",
            )
        )
    doc.problems = problems or None
    return doc


def _data(loader: Loader) -> Any:
    """The document's data: built directly (`yamldata`), else by the full constructor."""
    node = loader.get_single_node()
    if node is None:
        return None
    try:
        return yamldata.build(node, loader)
    except yamldata.Unusual:
        loader.duplicates.clear()
        return loader.construct_document(node)


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "single value"


def _compose(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=Loader)  # type: ignore[arg-type]
    except yaml.YAMLError:
        return None


def _node_at(root: Node, loc: Loc, key: bool) -> tuple[Node | None, Any]:
    """The node of `loc` (None when the path stops early) and the mark to report."""
    node, mark = root, root.start_mark
    for part in loc:
        if isinstance(node, MappingNode):
            pair = next((kv for kv in node.value if kv[0].value == str(part)), None)
            if pair is None:
                return None, mark
            mark, node = pair[0].start_mark, pair[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            return None, mark
    return node, (mark if key else node.start_mark)


def locate(root: Node | None, loc: Loc, key: bool = False) -> tuple[int, int]:
    """1-based line and column of `loc`: its value, its key when `key`, else its nearest parent."""
    if root is None:
        return (1, 1)
    _, mark = _node_at(root, loc, key)
    return (mark.line + 1, mark.column + 1)


def locate_inside(
    text: str, root: Node | None, loc: Loc, inside: tuple[int, int]
) -> tuple[int, int]:
    """The file's line and column of `inside` (line, col of the value's own text, 1-based).

    The value's lines are found in the file as written, after the value starts: this holds for
    plain, quoted and block (`|`) text alike. A line written otherwise (escapes, folding) falls
    back to where the value starts.
    """
    node = _node_at(root, loc, False)[0] if root is not None else None
    if not isinstance(node, ScalarNode):
        return locate(root, loc)
    start = node.start_mark
    lines = str(node.value).split("\n")
    line, col = inside
    at = start.index
    for number, written in enumerate(lines[:line], 1):
        if not written:  # an empty line holds no name, and is found anywhere
            continue
        found = text.find(written, at, node.end_mark.index + 1)
        if found < 0:
            return (start.line + 1, start.column + 1)
        at = found if number == line else found + len(written)
    at += col - 1
    row = text.count("\n", 0, at)
    return (row + 1, at - (text.rfind("\n", 0, at) + 1) + 1)


def place(problems: list[Problem], text: str) -> list[Problem]:
    """Give each problem without a position the line and column of its breadcrumb path (and of
    its place inside the value's text, when it has one)."""
    if all(p.line for p in problems):
        return problems
    root = _compose(text)
    return [
        p
        if p.line
        else p.at(*locate_inside(text, root, p.loc, p.inside))
        if p.inside
        else p.at(*locate(root, p.loc, p.key))
        for p in problems
    ]
