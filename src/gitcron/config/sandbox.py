"""Rendering user templates under a budget, so one line of Jinja cannot exhaust memory or time.

Validation (`gitcron.config.templates`) compiles templates in this same sandbox, since Jinja folds
constant expressions while compiling; this module also renders them. The plain sandbox lets
`{{ "a" * 10**9 }}` allocate gigabytes and two nested `range(100000)` loops run 10^10 times, so
every render spends from a budget (`gitcron.config.budget`, figures in docs/security.md#budgets):

- the compiled code pays as it goes: `_Generator` rewrites the tree so each pass of a loop body,
  macro, `caller()` or block, and each item a loop's `if` tests, charges a pass and the tags it
  runs, and compared or sliced operands are paid for;
- every operation that reaches the environment (operators, calls, filters, tests, `~`, output)
  pays for what it reads, and those that can grow a value in one step are estimated first
  (`gitcron.config.guards`);
- output is collected piece by piece up to a limit, and text a macro or `{% set %}` block builds
  is checked before it is joined.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gitcron.config.budget import (
    CALL_COST,
    ITEM_COST,
    SEQUENCE,
    TEXT,
    check_bits,
    check_length,
    check_size,
    end_budget,
    finalized,
    measure,
    render_budget,
    spend,
    spend_reads,
    start_budget,
    too_big,
    weighed,
)
from gitcron.config.budget import MAX_VALUE as MAX_VALUE
from gitcron.config.budget import TemplateError as TemplateError
from gitcron.config.guards import check_method, format_size, format_widths, guard, printf_size
from gitcron.config.long_dates import day_of, long_date
from gitcron.config.templates import SIMPLE

_HINT = "check the template against the names in docs/schedules.md#templates"


# Filters only the compiled code calls: `<` and `>` cannot appear in a filter name a template
# writes. A template could still reach them through `map('<pay>', ...)`, which only spends more.
PAY, WEIGH = "<pay>", "<weigh>"


def _pay(_: Any, work: int, passes: int) -> bool:
    """A pass of a loop body, macro or block (or an item a loop's `if` tests) begins."""
    return spend(max(work, 0), max(passes, 0))


@jinja2.pass_context
def _long_date(context: Context, value: Any) -> str:
    """`{{ run.local_date | long_date }}`: the day in words in the template's customer's locale
    (`7 December 2026`, `7. Dezember 2026`), as the default email subject writes it."""
    locale = getattr(context.get("customer"), "locale", None)
    return long_date(day_of(value), locale if isinstance(locale, str) else None)


def _tags(body: list[nodes.Node]) -> int:
    return sum(1 + sum(1 for _ in node.find_all(nodes.Node)) for node in body)


def _pay_node(work: int, passes: int, lineno: int) -> nodes.Filter:
    # `context` as the value: never a constant, so jinja2 cannot fold the call away at compile time.
    args: list[nodes.Expr] = [nodes.Const(work), nodes.Const(passes)]
    return nodes.Filter(nodes.ContextReference(), PAY, args, [], None, None, lineno=lineno)


def _weigh_node(node: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, WEIGH, [], [], None, None, lineno=node.lineno)


def _instrument(tree: nodes.Template, env: jinja2.Environment) -> list[tuple[Any, str, Any]]:
    """Rewrite `tree` in place to pay for its work as it runs; returns how to undo each change."""
    undo: list[tuple[Any, str, Any]] = []

    def change(node: nodes.Node, field: str, new: Any) -> None:
        undo.append((node, field, getattr(node, field)))
        setattr(node, field, new)

    bodies: list[nodes.For | nodes.Macro | nodes.CallBlock | nodes.Block] = [
        *tree.find_all(nodes.For),
        *tree.find_all(nodes.Macro),
        *tree.find_all(nodes.CallBlock),
        *tree.find_all(nodes.Block),
    ]
    compares = list(tree.find_all(nodes.Compare))
    slices = [node for node in tree.find_all(nodes.Getitem) if isinstance(node.arg, nodes.Slice)]
    for repeated in bodies:
        test = repeated.test if isinstance(repeated, nodes.For) else None
        pay = _pay_node(ITEM_COST * _tags(repeated.body), int(test is None), repeated.lineno)
        change(repeated, "body", [nodes.ExprStmt(pay, lineno=repeated.lineno), *repeated.body])
        if test is not None:  # each item tested is a pass, whether or not the body runs
            pay = _pay_node(ITEM_COST * _tags([test]), 1, test.lineno)
            change(repeated, "test", nodes.And(pay, test, lineno=test.lineno))
    for compare in compares:
        change(compare, "expr", _weigh_node(compare.expr))
        for operand in compare.ops:
            change(operand, "expr", _weigh_node(operand.expr))
    for getitem in slices:
        change(getitem, "node", _weigh_node(getitem.node))
    tree.set_environment(env)  # the nodes added, like those parsed, know their environment
    return undo


class _Generator(CodeGenerator):
    """Compiles the tree `_instrument` rewrote; `a ~ b` goes through a size-checked join."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        undo = _instrument(node, self.environment)
        try:
            super().visit_Template(node, frame)
        finally:  # the tree is the caller's: validation reads it again after compiling
            for target, field, old in reversed(undo):
                setattr(target, field, old)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every operation paying for its work and checked for size."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            finalize=finalized,  # every `{{ }}` is checked before it is made text
        )
        self.globals.pop("lipsum", None)
        filters: Mapping[str, Callable[..., Any]] = {**self.filters, "long_date": _long_date}
        tests = cast(Mapping[str, Callable[..., Any]], self.tests)  # jinja2 types them `function`
        self.filters = {name: guard(fn, name) for name, fn in filters.items()}
        self.tests = {name: guard(fn) for name, fn in tests.items()}
        self.filters[PAY], self.filters[WEIGH] = _pay, weighed

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        """The text of a macro, block or `{% set %}` body, checked before it is joined."""
        pieces = parts if isinstance(parts, list) else list(parts)
        check_length(sum(map(len, pieces)))
        return "".join(pieces)

    def bounded_join(self, parts: tuple[Any, ...]) -> str:
        size = cost = 0
        for part in parts:
            part_size, part_cost = (len(part), len(part)) if type(part) is str else measure(part)
            size, cost = size + part_size, cost + part_cost
        check_length(size)
        spend(cost)
        return str(check_size("".join(map(str, parts))))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**`, `+` and `%`, checked and paid for before they run."""
        (left_size, left_cost), (right_size, right_cost) = measure(left), measure(right)
        check_length(max(left_size, right_size))
        size, work = 0, CALL_COST + left_cost + right_cost
        if operator == "*":
            for seq, times, (seq_size, seq_cost) in (
                (left, right, (left_size, left_cost)),
                (right, left, (right_size, right_cost)),
            ):
                if isinstance(seq, SEQUENCE) and isinstance(times, int):
                    size = max(len(seq), seq_size) * times
                    work += seq_cost * max(times, 0)
            if isinstance(left, int) and isinstance(right, int):
                check_bits(left.bit_length() + right.bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            check_bits(abs(right) * max(abs(left).bit_length(), 1))
        elif operator == "%" and isinstance(left, str):
            size, fill = printf_size(left, right)
            work += fill
        elif operator == "+" and isinstance(left, SEQUENCE):
            size = left_size + right_size
        check_length(size)
        spend(work)
        return check_size(self.binop_table[operator](left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt: str = value.__self__
        format_widths(fmt)  # a width too wide fails on reading `.format`, as before

        def checked(*args: Any, **kwargs: Any) -> str:  # its call pays for reading the values
            check_length(format_size(fmt, args, kwargs))
            return str(check_size(wrapped(*args, **kwargs)))

        return checked

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, TEXT):  # "x".center(n), .ljust, .replace, .join ...
            args = check_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        spend_reads(owner, *args, *kwargs.values())
        return check_size(super().call(__context, __obj, *args, **kwargs))


@functools.cache
def sandbox() -> BoundedSandbox:
    return BoundedSandbox()


# `{{ run.local_date }}`-only templates (most file names and subjects) need no compiler: each
# `{{ name.key }}` reading a mapping's key down to text or a number is what Jinja would print.
VALUE = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}")
_PLAIN = (str, int, float, bool, type(None))
_DICT_NAMES = frozenset(dir(dict))  # `labels.items` is the method in Jinja, even with such a key


@functools.lru_cache(maxsize=4096)
def _pieces(source: str) -> tuple[str | tuple[str, ...], ...] | None:
    """Literal texts and dotted names, once per distinct template text; None when not simple."""
    if not SIMPLE.match(source):
        return None
    parts: list[str | tuple[str, ...]] = []
    for index, piece in enumerate(VALUE.split(source)):
        if index % 2:
            parts.append(tuple(piece.split(".")))
        elif piece:  # Jinja writes every line break of the text as "\n"
            parts.append(piece.replace("\r\n", "\n").replace("\r", "\n"))
    return tuple(parts)


def _simply(pieces: tuple[str | tuple[str, ...], ...], context: Mapping[str, Any]) -> str | None:
    """The text, when every name is a key of a mapping down to plain text or a number; else None
    (Jinja renders it, with its own error for a missing name)."""
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        value: Any = context
        for key in piece:
            if not isinstance(value, dict) or key not in value or key in _DICT_NAMES:
                return None
            value = value[key]
        if not isinstance(value, _PLAIN):
            return None
        out.append(str(value))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _compile(source: str) -> jinja2.Template:
    with render_budget():  # jinja2 folds constants while compiling: that work is bounded too
        return sandbox().from_string(source)


def render_template(source: str, context: Mapping[str, Any], limit: int = 10_000) -> str:
    """Render `source` with `context`; raise TemplateError when it fails, passes `limit` chars
    or goes over its budget."""
    if "{" not in source:
        return source
    simple = _pieces(source)
    text = None if simple is None else _simply(simple, context)
    if text is not None:
        if len(text) > limit:
            raise too_big(f"more than {limit:,} characters of text")
        return text
    try:
        template = _compile(source)
        pieces: list[str] = []
        size = 0
        budget = start_budget()
        try:
            for piece in template.generate(dict(context)):
                size += len(piece)
                if size > limit:
                    raise too_big(f"more than {limit:,} characters of text")
                pieces.append(piece)
        finally:
            end_budget(budget)
    except TemplateError:
        raise
    except jinja2.TemplateError as error:
        message = error.message or type(error).__name__
        raise TemplateError(f"the template failed: {message}", _HINT) from error
    except (ArithmeticError, TypeError, ValueError, LookupError, RecursionError) as error:
        raise TemplateError(f"the template failed: {error}", _HINT) from error
    return "".join(pieces)
