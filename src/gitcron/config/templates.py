"""The one Jinja2 sandbox every user template goes through, and the checks made before rendering.

Templates come from schedule files written by account managers, so they are compiled in an
immutable sandbox with strict undefined variables, and bounded in length. Validation compiles but
does not render: the budget every render runs under (`gitcron.config.budget`) is what stops a
template that loops or builds without end, at run time. Compiling folds constant expressions,
so it runs under that budget too: a template whose constants alone overspend is refused here.
"""

from __future__ import annotations

import functools
import re

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gitcron.config.budget import render_budget
from gitcron.config.sandbox import sandbox

MAX_TEMPLATE = 10_000
MAX_FILENAME_TEMPLATE = 300
CONTEXT_NAMES = ("customer", "schedule", "run", "rows", "format", "labels", "params")
EMAIL_NAMES = (*CONTEXT_NAMES, "links")  # an email body also sees its storage links

# `{{ run.local_date }}`-only templates are valid Jinja by construction; skip the compiler for them.
_SIMPLE = re.compile(r"^(?:[^{}]|\{\{\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s*\}\})*$")
_ROOTS = re.compile(r"\{\{\s*([A-Za-z_]\w*)")
_UNSAFE_FILENAME_TEXT = re.compile(r"[/\\\x00]|\.\.")


def environment() -> ImmutableSandboxedEnvironment:
    """The bounded sandbox: even compiling folds constants, so `center(10**9)` must be refused."""
    return sandbox()


@functools.lru_cache(maxsize=4096)
def template_problem(
    source: str, limit: int = MAX_TEMPLATE, names: tuple[str, ...] = CONTEXT_NAMES
) -> str | None:
    """What is wrong with a template, in words, or None when it compiles and uses known names."""
    if len(source) > limit:
        return f"the template is longer than {limit} characters"
    if _SIMPLE.match(source):
        roots = set(_ROOTS.findall(source))
    else:
        env = environment()
        try:
            tree = env.parse(source)
            with render_budget() as spent:
                env.compile(tree)
        except jinja2.TemplateSyntaxError as error:
            return f"the template does not compile: {error.message}"
        if spent.over:
            return spent.over
        roots = meta.find_undeclared_variables(tree)
    unknown = sorted(roots - set(names))
    if unknown:
        return f"the template uses '{unknown[0]}', which is not one of {', '.join(names)}"
    return None


@functools.lru_cache(maxsize=4096)
def filename_template_problem(source: str) -> str | None:
    """Literal text of a filename template must not be able to leave the output folder."""
    literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "x", source, flags=re.S)
    unsafe = "a file name cannot contain '/', '\\' or '..', nor start with '.'"
    if _UNSAFE_FILENAME_TEXT.search(literal) or literal.startswith("."):
        return unsafe
    problem = template_problem(source, MAX_FILENAME_TEMPLATE)
    if problem is None and not _SIMPLE.match(source):  # quoted text inside {{ }}, e.g. "../"
        texts = [c.value for c in environment().parse(source).find_all(nodes.Const)]
        if any(isinstance(t, str) and _UNSAFE_FILENAME_TEXT.search(t) for t in texts):
            return unsafe
    return problem
