"""The seams between the bounded sandbox and jinja2's internals, checked directly.

`config/sandbox.py` subclasses jinja2's `CodeGenerator` (not a public API) so that `a ~ b`
compiles to a size-checked join and the tree is rewritten to pay its budget (`visit_Template`),
and overrides hooks of `SandboxedEnvironment`. An upgrade that renames a hook, a node field or
an attribute we read would leave our code dead and the template unbounded without any error, so
these tests fail loudly instead: the hooks exist with the parameters we override, the subclass
is the one compiling, and what it compiles pays and checks.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import jinja2
import pytest
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from gitcron.config.budget import finalized, measure
from gitcron.config.guards import ESTIMATES
from gitcron.config.sandbox import (
    MAX_VALUE,
    PAY,
    WEIGH,
    BoundedSandbox,
    TemplateError,
    _Generator,
    render_template,
    sandbox,
)

# Every hook we override, with the parameters jinja2 3.1 calls it with.
HOOKS: list[tuple[type[Any], type[Any], str, list[str]]] = [
    (CodeGenerator, _Generator, "visit_Concat", ["self", "node", "frame"]),
    (CodeGenerator, _Generator, "visit_Template", ["self", "node", "frame"]),
    (
        ImmutableSandboxedEnvironment,
        BoundedSandbox,
        "call_binop",
        ["self", "context", "operator", "left", "right"],
    ),
    (ImmutableSandboxedEnvironment, BoundedSandbox, "wrap_str_format", ["self", "value"]),
    (
        ImmutableSandboxedEnvironment,
        BoundedSandbox,
        "call",
        ["self", "context", "obj", "*args", "**kwargs"],
    ),
]


def _parameters(function: Callable[..., Any]) -> list[str]:
    """Parameter names, class-private mangling undone, with `*` / `**` for the variadic ones."""
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [
        stars.get(p.kind, "") + p.name.rpartition("__")[2]
        for p in inspect.signature(function).parameters.values()
    ]


@pytest.mark.parametrize(
    ("base", "ours", "name", "parameters"), HOOKS, ids=[hook[2] for hook in HOOKS]
)
def test_each_overridden_hook_exists_upstream_with_our_parameters(
    base: type[Any], ours: type[Any], name: str, parameters: list[str]
) -> None:
    upstream = getattr(base, name, None)
    assert callable(upstream), f"jinja2 {jinja2.__version__} has no {base.__name__}.{name}"
    assert _parameters(upstream) == parameters
    assert name in vars(ours), f"{ours.__name__} no longer overrides {name}"
    assert _parameters(vars(ours)[name]) == parameters


def test_the_bounded_generator_is_the_one_compiling() -> None:
    assert issubclass(_Generator, CodeGenerator)
    assert sandbox().code_generator_class is _Generator
    code = sandbox().compile("{{ a ~ b }}", raw=True)
    assert "environment.bounded_join((" in code
    assert "str_join(" not in code  # jinja2's own, unchecked join


def test_the_generated_join_is_the_sandboxes_checked_one() -> None:
    assert render_template("{{ a ~ '-' ~ b }}", {"a": "x", "b": 3}) == "x-3"
    half = "a" * (MAX_VALUE // 2 + 1)
    with pytest.raises(TemplateError, match="longer than"):
        render_template("{{ (a ~ a) | length }}", {"a": half})


def test_the_intercepted_operators_reach_call_binop() -> None:
    # jinja2 only routes the operators listed here through call_binop.
    assert {"*", "**", "+", "%"} <= BoundedSandbox.intercepted_binops
    code = sandbox().compile("{{ a * b }}", raw=True)
    assert "environment.call_binop(context, '*'" in code


# The node fields `_instrument` reads or replaces, and the ones of the nodes it builds.
FIELDS: list[tuple[type[nodes.Node], tuple[str, ...]]] = [
    (nodes.For, ("target", "iter", "body", "else_", "test", "recursive")),
    (nodes.Macro, ("name", "args", "defaults", "body")),
    (nodes.CallBlock, ("call", "args", "defaults", "body")),
    (nodes.Block, ("name", "body", "scoped", "required")),
    (nodes.Compare, ("expr", "ops")),
    (nodes.Operand, ("op", "expr")),
    (nodes.Getitem, ("node", "arg", "ctx")),
    (nodes.Filter, ("node", "name", "args", "kwargs", "dyn_args", "dyn_kwargs")),
    (nodes.ExprStmt, ("node",)),
    (nodes.And, ("left", "right")),
]


@pytest.mark.parametrize(("node", "fields"), FIELDS, ids=[node.__name__ for node, _ in FIELDS])
def test_the_node_fields_we_rewrite_are_jinja2s(node: type[nodes.Node], fields: tuple[str]) -> None:
    assert node.fields == fields


def test_loops_macros_and_comparisons_compile_to_paying_code() -> None:
    code = sandbox().compile(
        "{% for x in xs if x %}{{ x[1:] }}{% endfor %}{% macro m() %}{% endmacro %}"
        "{% if a == b %}{% endif %}",
        raw=True,
    )
    assert f"environment.filters[{PAY!r}]" in code
    assert f"environment.filters[{WEIGH!r}]" in code
    assert code.count("(context, ") >= 3  # the loop's test, its body and the macro's body pay
    assert "concat = environment.concat" in code  # macro and `{% set %}` text: our concat
    assert sandbox().finalize is finalized  # every `{{ }}` is checked before it becomes text


def test_compiling_leaves_the_parsed_tree_as_it_was() -> None:
    env = sandbox()
    tree = env.parse(
        "{% for x in xs if x > 1 %}{{ x[:2] }}{% endfor %}{% macro m() %}{% endmacro %}"
    )
    before = repr(tree)
    env.compile(tree)
    assert repr(tree) == before  # validation reads the names of the same tree after compiling


def test_the_text_a_macro_builds_is_checked_before_it_is_joined() -> None:
    source = (
        "{% macro m(s) %}{% for i in range(200) %}{{ s }}{% endfor %}{% endmacro %}"
        "{{ m('a' * 9999) | length }}"
    )
    with pytest.raises(TemplateError, match="longer than"):
        render_template(source, {})


PASSED = {"environment", "eval_ctx", "context"}  # what jinja2 passes before a filter's value


@pytest.mark.parametrize("name", sorted(ESTIMATES))
def test_each_estimate_takes_the_filters_own_parameters(name: str) -> None:
    upstream = [p for p in _parameters(DEFAULT_FILTERS[name]) if p not in PASSED]
    assert _parameters(ESTIMATES[name]) == upstream


def test_guarded_filters_keep_jinja2s_mark_of_what_to_pass_them() -> None:
    # A guard finds a filter's value after what this mark says jinja2 passes first: renaming
    # the mark would shift every argument a guard reads.
    for name in ("join", "replace", "wordwrap", "slice"):
        mark = DEFAULT_FILTERS[name].jinja_pass_arg  # type: ignore[attr-defined]
        assert sandbox().filters[name].jinja_pass_arg is mark  # type: ignore[attr-defined]
    assert not hasattr(DEFAULT_FILTERS["indent"], "jinja_pass_arg")


def test_a_namespace_is_measured_by_what_it_holds() -> None:
    assert measure(Namespace(a="x" * 500))[0] >= 500
