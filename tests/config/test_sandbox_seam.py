"""The seams between the bounded sandbox and jinja2's internals, checked directly.

`config/sandbox.py` subclasses jinja2's `CodeGenerator` (not a public API) so that `a ~ b`
compiles to a size-checked join, and overrides hooks of `SandboxedEnvironment`. An upgrade that
renames a hook would leave our override as dead code and the template unbounded without any
error, so these tests fail loudly instead: the hooks exist with the parameters we override,
the subclass is the one compiling, and its output is the checked join.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import jinja2
import pytest
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gitcron.config.sandbox import (
    MAX_VALUE,
    BoundedSandbox,
    TemplateError,
    _Generator,
    render_template,
    sandbox,
)

# Every hook we override, with the parameters jinja2 3.1 calls it with.
HOOKS: list[tuple[type[Any], type[Any], str, list[str]]] = [
    (CodeGenerator, _Generator, "visit_Concat", ["self", "node", "frame"]),
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
