"""Every name a template reads, checked in every branch against the values a run will give it.

Compiling a template (`gitcron.config.templates`) finds syntax mistakes and unknown filters, but
`{{ customer.name }}` or `{{ run.nope }}` compile and only fail at run time, in a branch that
may run once a month. This walk reads the whole syntax tree, taken or not, and follows each
dotted name (`run.local_date`, `params.category`, `columns.total`) through a sample of the values
the run gives (`gitcron.jobs.context` builds it, so validate and run agree on every name).

Jinja's nodes carry a line but no column: the column is where the name is written on that line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes

from gitcron.config.fields import did_you_mean
from gitcron.config.sandbox import VALUE, sandbox
from gitcron.config.templates import SIMPLE
from gitcron.timing.words import listing

# Names Jinja itself gives inside a template (loops, macros, `range`, `dict` ...).
_BUILTIN = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})
_KINDS = {str: "text", bool: "true or false", int: "a number", float: "a number"}  # bool first


@dataclass(frozen=True, slots=True)
class NameProblem:
    """A name the run will not have, at its line and column inside the template (1-based)."""

    message: str
    hint: str
    line: int
    col: int


def name_problems(source: str, values: Mapping[str, Any]) -> list[NameProblem]:
    """Every name, attribute and key `source` reads that `values` (a run's sample) lacks.

    `source` must already compile (`template_problem` says so); a name assigned anywhere in it
    (`{% set %}`, a loop variable, a macro argument) is the template's own and is not followed.
    """
    if SIMPLE.match(source):  # `{{ a.b }}` only: the names are where the text says, no parse
        return _simple_problems(source, values)
    tree = _parse(source)
    if tree is None:
        return []
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    own |= {m.name for m in tree.find_all(nodes.Macro)}
    walk = _Walk(source.splitlines() or [""], values, own)
    walk.visit(tree)
    return walk.found


def _simple_problems(source: str, values: Mapping[str, Any]) -> list[NameProblem]:
    walk = _Walk(source.splitlines() or [""], values, set())
    for found in VALUE.finditer(source):
        line = source.count("\n", 0, found.start()) + 1
        node: nodes.Expr | None = None
        for name in found[1].split("."):
            node = nodes.Name(name, "load") if node is None else nodes.Getattr(node, name, "load")
            node.lineno = line
        assert node is not None
        walk.follow(node)
    return walk.found


@functools.lru_cache(maxsize=4096)
def _parse(source: str) -> nodes.Template | None:
    """One syntax tree per distinct template text (validate meets the same texts again)."""
    try:
        return sandbox().parse(source)
    except jinja2.TemplateSyntaxError:
        return None


class _Walk:
    def __init__(self, lines: list[str], values: Mapping[str, Any], own: set[str]) -> None:
        self.lines, self.values, self.own = lines, values, own
        self.found: list[NameProblem] = []
        self.known = frozenset(sandbox().globals) | _BUILTIN

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.follow(node)
            return
        for child in node.iter_child_nodes():
            self.visit(child)

    def follow(self, node: nodes.Expr) -> tuple[bool, Any]:
        """(known, sample value) of a name or a chain of `.name` and `["key"]` on it."""
        if isinstance(node, nodes.Name):
            if node.ctx != "load" or node.name in self.own or node.name in self.known:
                return False, None
            if node.name in self.values:
                return True, self.values[node.name]
            choices = list(self.values)
            self.report(
                node.lineno,
                node.name,
                f"the template uses '{node.name}', which is not one of {', '.join(choices)}",
                did_you_mean(node.name, choices) or f"use one of {listing(choices, 'or')}",
            )
            return False, None
        if isinstance(node, nodes.Getattr):
            known, value = self.follow(node.node)
            return self.step(node, value, node.attr) if known else (False, None)
        if not isinstance(node, nodes.Getitem):  # `(a or b)[:10]`: its parts are checked
            self.visit(node)
            return False, None
        known, value = self.follow(node.node)
        self.visit(node.arg)
        key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        if known and isinstance(key, str) and isinstance(value, Mapping):
            return self.step(node, value, key)
        return False, None

    def step(self, node: nodes.Getattr | nodes.Getitem, value: Any, name: str) -> tuple[bool, Any]:
        """`value.name` as the sandbox reads it: a key of a mapping, else a safe attribute."""
        if isinstance(value, Mapping) and name in value:
            return True, value[name]
        fields = _fields(value)
        if name in fields:  # `customer.name`: a value with named parts of its own
            return True, getattr(value, name)
        if not name.startswith("_") and hasattr(value, name):
            return False, None  # a method such as `upper` or `items`: the sandbox judges calls
        path = _path(node)
        parent = path.rsplit(".", 1)[0]
        if isinstance(value, Mapping) or fields:
            keys = [str(k) for k in value] if isinstance(value, Mapping) else fields
            hint = did_you_mean(name, keys) or (
                f"use one of {listing([f'{parent}.{k}' for k in keys], 'or')}"
                if keys
                else f"{parent} has nothing in it for this schedule"
            )
            message = f"the template uses {path}, but {parent} has no '{name}'"
        else:
            kind = next((k for t, k in _KINDS.items() if isinstance(value, t)), "a value")
            kind = "empty" if value is None else kind
            message = f"the template uses {path}, but {parent} is {kind} and has no '{name}'"
            hint = f"write {{{{ {parent} }}}} alone"
        self.report(node.lineno, name, message, hint, attr=True)
        return False, None

    def report(self, line: int, name: str, message: str, hint: str, attr: bool = False) -> None:
        text = self.lines[min(max(line, 1), len(self.lines)) - 1]
        before = r"(?:\.\s*|\[\s*[\"'])" if attr else r"(?<![\w.])"
        found = re.search(rf"{before}({re.escape(name)})\b", text)
        col = found.start(1) + 1 if found else 1
        self.found.append(NameProblem(message, hint, line, col))


def _fields(value: Any) -> list[str]:
    """The named parts of a value that is more than plain text (`customer`: name, id, ...)."""
    return [k for k in getattr(value, "__dict__", {}) if not k.startswith("_")]


def _path(node: nodes.Expr) -> str:
    """`run.nope`, `columns.total.label`: the dotted name as the template writes it."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_path(node.node)}.{node.arg.value}"
    return "the value"
