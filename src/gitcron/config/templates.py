"""The one Jinja2 sandbox every user template goes through, and the checks made before rendering.

Templates come from schedule files written by account managers, so they are compiled in an
immutable sandbox with strict undefined variables, and bounded in length. Validation compiles but
does not render: the budget every render runs under (`gitcron.config.budget`) is what stops a
template that loops or builds without end, at run time. Compiling folds constant expressions,
so it runs under that budget too: a template whose constants alone overspend is refused here.

Jinja2 and the sandbox are imported when a template needs compiling: most templates are
`{{ run.local_date }}`-only and are judged without it, and a tick that loads no schedule file
(the parse cache has them all) never compiles one.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from gitcron.config.fields import did_you_mean
from gitcron.timing.words import listing

if TYPE_CHECKING:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEMPLATE = 10_000
MAX_FILENAME_TEMPLATE = 300
CONTEXT_NAMES = ("customer", "schedule", "run", "rows", "format", "labels", "params", "columns")
EMAIL_NAMES = (*CONTEXT_NAMES, "links")  # an email body also sees its storage links

# `{{ run.local_date }}`-only templates are valid Jinja by construction; skip the compiler for them.
# Literal text is matched a run at a time, not a character at a time: asked of every template.
SIMPLE = re.compile(r"^[^{}]*(?:\{\{\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s*\}\}[^{}]*)*$")
_ROOTS = re.compile(r"\{\{\s*([A-Za-z_]\w*)")
_UNSAFE_FILENAME_TEXT = re.compile(r"[/\\\x00]|\.\.")
_TAGS_TEXT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)  # what is not literal text


def environment() -> ImmutableSandboxedEnvironment:
    """The bounded sandbox: even compiling folds constants, so `center(10**9)` must be refused."""
    from gitcron.config.sandbox import sandbox

    return sandbox()


@functools.lru_cache(maxsize=4096)
def template_problem(
    source: str, limit: int = MAX_TEMPLATE, names: tuple[str, ...] = CONTEXT_NAMES
) -> str | None:
    """What is wrong with a template, in words, or None when it compiles and uses known names."""
    if len(source) > limit:
        return f"the template is longer than {limit} characters"
    if SIMPLE.match(source):
        roots = set(_ROOTS.findall(source))
    else:
        import jinja2
        from jinja2 import meta

        from gitcron.config.budget import render_budget

        env = environment()
        try:
            tree = env.parse(source)
            with render_budget() as spent:
                env.compile(tree)
        except jinja2.TemplateSyntaxError as error:
            return _syntax_problem(error, source)
        if spent.over:
            return spent.over
        roots = meta.find_undeclared_variables(tree)
    unknown = sorted(roots - set(names))
    if unknown:
        return f"the template uses '{unknown[0]}', which is not one of {', '.join(names)}"
    return None


def _syntax_problem(error: jinja2.TemplateSyntaxError, source: str) -> str:
    """Jinja's own words, and the line inside the template when it has more than one."""
    where = ""
    if error.lineno and "\n" in source.rstrip("\n"):
        where = f" (line {error.lineno} of the template)"
    return f"the template does not compile: {error.message}{where}"


@functools.lru_cache(maxsize=4096)
def template_fix(source: str) -> str | None:
    """How to mend a template that does not compile, fitted to what Jinja found; else None."""
    import jinja2

    from gitcron.config.budget import render_budget

    env = environment()
    try:
        tree = env.parse(source)
        with render_budget():
            env.compile(tree)  # an unknown filter or test is found compiling
    except jinja2.TemplateSyntaxError as error:
        lines = source.splitlines() or [""]
        line = lines[min(max((error.lineno or 1) - 1, 0), len(lines) - 1)]
        return syntax_fix(error.message or "", line)
    return None


_TAGS = (
    *("if", "elif", "else", "endif", "for", "endfor", "set", "endset", "with", "endwith"),
    *("macro", "endmacro", "call", "endcall", "filter", "endfilter", "raw", "endraw"),
)
_NAMED = re.compile(r"^No (filter|test) named '([^']*)'")
_UNKNOWN_TAG = re.compile(r"^Encountered unknown tag '(\w+)'")
_LOOKING_FOR = re.compile(r"the following tags: (.*?)\. The innermost block .* is '(\w+)'")
_EXPECTED_GOT = re.compile(r"^expected token '([^']*)', got '([^']*)'")
_CHAR = re.compile(r"^unexpected char '(.)'")
_PRINT = "inside {{ }} write one value: a name's parts joined by '.' (run.local_date), then filters"
_PRINT += " after '|' (customer | upper)"
_STATEMENT = "check the words inside {% %}, e.g. {% if params.category %}, {% for row in rows %}"


def syntax_fix(message: str, line: str) -> str:
    """The fix for one of Jinja's syntax errors (`message`), found on `line` of the template."""
    named = _NAMED.match(message)
    if named:
        return _name_fix(named[1], named[2])
    looking = _LOOKING_FOR.search(message)
    unknown = _UNKNOWN_TAG.match(message)
    if unknown:
        return _tag_fix(unknown[1], looking)
    if looking:  # the end of the template came before a block was closed
        return f"close the {looking[2]} block with {{% end{looking[2]} %}}"
    if message.startswith("unexpected end of template, expected 'end of print statement'"):
        return "close the {{ with }}"
    if message.startswith("unexpected end of template, expected 'end of statement block'"):
        return "close the {% with %}"
    if message.startswith("unexpected '}'"):
        for opening, closing in (("(", ")"), ("[", "]")):
            if message.endswith(f"expected '{closing}'"):
                return f"close the {opening} with {closing} before the }}}}"
        if "{%" in line and "{{" not in line:
            return "close the tag with %}, e.g. {% if params.category %}"
        return "close the value with two braces, }}, as in {{ run.local_date }}"
    got = _EXPECTED_GOT.match(message)
    if got and got[1] in ("end of print statement", "end of statement block"):
        return _PRINT if got[1] == "end of print statement" else _STATEMENT
    if message.startswith("Expected an expression"):
        return "write a value there, e.g. {{ run.local_date }}"
    if message.startswith("Missing end of comment tag"):
        return "close the comment {# with #}"
    char = _CHAR.match(message)
    if char:
        quote = char[1] in "'\""
        return f"close the quoted text with another {char[1]}" if quote else f"remove '{char[1]}'"
    if message.startswith("expected name or number"):
        return "after a '.' write a name, as in run.local_date"
    return "write values as {{ run.local_date }} and tags such as if and for as {% if ... %}"


def _name_fix(kind: str, name: str) -> str:
    """`No filter named 'uper'`: the sandbox's own filters (or tests) are the choices."""
    env = environment()
    known = [n for n in (env.filters if kind == "filter" else env.tests) if n.isidentifier()]
    examples = ("upper", "lower", "replace", "default") if kind == "filter" else ("defined",)
    return did_you_mean(name, known) or f"use a {kind} that exists, e.g. {listing(examples, 'or')}"


def _tag_fix(tag: str, looking: re.Match[str] | None) -> str:
    """`{% iff %}`, `{% endfro %}`, or an `{% endfor %}` with no block open for it."""
    expected = re.findall(r"'(\w+)'", looking[1]) if looking else []
    if tag in _TAGS and not looking:
        if tag.startswith("end"):
            return f"remove it, or open the block it closes with {{% {tag[3:]} ... %}}"
        return f"{{% {tag} %}} belongs inside a block, e.g. {{% if ... %}} ... {{% endif %}}"
    guess = did_you_mean(tag, [t for t in expected or _TAGS if t != tag])
    if guess:
        return guess
    if looking:
        return f"close the {looking[2]} block with {{% end{looking[2]} %}} first"
    return f"'{tag}' is not a tag (if, for, set...); to print a value, write {{{{ {tag} }}}}"


@functools.lru_cache(maxsize=4096)
def filename_template_problem(source: str) -> str | None:
    """Literal text of a filename template must not be able to leave the output folder."""
    literal = _TAGS_TEXT.sub("x", source) if "{" in source else source
    unsafe = "a file name cannot contain '/', '\\' or '..', nor start with '.'"
    if _UNSAFE_FILENAME_TEXT.search(literal) or literal.startswith("."):
        return unsafe
    problem = template_problem(source, MAX_FILENAME_TEMPLATE)
    if problem is None and not SIMPLE.match(source):  # quoted text inside {{ }}, e.g. "../"
        from jinja2 import nodes

        texts = [c.value for c in environment().parse(source).find_all(nodes.Const)]
        if any(isinstance(t, str) and _UNSAFE_FILENAME_TEXT.search(t) for t in texts):
            return unsafe
    return problem
