"""Rendering user templates with bounded output, so one line of Jinja cannot exhaust memory.

Validation (`gitcron.config.templates`) compiles templates in this same sandbox, since Jinja folds
constant expressions while compiling; this module also renders them. The plain sandbox lets
`{{ "a" * 10**9 }}` or a self-doubling macro allocate gigabytes, so the operations that grow a
value in one step are checked before or right after they run, and the output is collected piece
by piece up to a limit. Loops are bounded by the sandbox's `range` (100,000 items); a template's
CPU time is not bounded.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gitcron.errors import GitcronError

MAX_VALUE = 1_000_000  # the longest string or list any step of a template may build
MAX_WIDTH = 10_000  # the widest padding a format or filter may ask for
_PRINTF_WIDTHS = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")
_HINT = "check the template against the names in docs/schedules.md#templates"


class TemplateError(GitcronError):
    """A template failed while rendering; the same input fails again, so it is never retried."""

    permanent = True


def _too_big(what: str) -> TemplateError:
    return TemplateError(
        f"the template builds {what}", "keep templates to short text: names, dates and counts"
    )


def _check_length(length: int) -> None:
    if length > MAX_VALUE:
        raise _too_big(f"a value longer than {MAX_VALUE:,} characters or items")


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple):
        _check_length(len(value))
    return value


def _check_width(width: Any) -> None:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise _too_big(f"padding wider than {MAX_WIDTH:,}")


def _check_printf(fmt: str) -> None:
    for match in _PRINTF_WIDTHS.finditer(fmt):
        for group in match.groups():
            if group == "*":
                raise _too_big("a '*' width in a % format")
            if group:
                _check_width(int(group))


def _check_format_spec(fmt: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(fmt):
        if spec and "{" in spec:
            raise _too_big("a nested width in a format")
        for digits in _DIGITS.findall(spec or ""):
            _check_width(int(digits))


class _Generator(CodeGenerator):
    """`a ~ b` goes through the environment, so concatenation is size-checked like `+`."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every one-step way of growing a value checked."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
        )
        self.globals.pop("lipsum", None)
        for name in ("center", "indent"):
            self.filters[name] = _width_checked(self.filters[name])
        self.filters["format"] = _printf_checked(self.filters["format"])
        self.filters["join"] = _size_checked(self.filters["join"])
        self.filters["replace"] = _size_checked(self.filters["replace"])

    def bounded_join(self, parts: Iterable[Any]) -> str:
        return str(_check_size("".join(map(str, parts))))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    _check_length(len(seq) * times)
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(right) * max(abs(left).bit_length(), 1) > 100_000
        ):
            raise _too_big("a number with more than 100,000 bits")
        if operator == "%" and isinstance(left, str):
            _check_printf(left)
        return _check_size(self.binop_table[operator](left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format_spec(value.__self__)
        return _size_checked(wrapped)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):  # "x".center(n), .ljust, .zfill, .replace ...
            for arg in (*args, *kwargs.values()):
                _check_width(arg)
            if getattr(__obj, "__name__", "") == "replace" and len(args) >= 2:
                _check_length(owner.count(str(args[0])) * len(str(args[1])))
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _width_checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def checked(value: Any, width: Any = None, *args: Any, **kwargs: Any) -> Any:
        _check_width(width)
        call_args = (value,) if width is None else (value, width)
        return fn(*call_args, *args, **kwargs)

    return checked


def _printf_checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_printf(str(value))
        return _check_size(fn(value, *args, **kwargs))

    return checked


def _size_checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def checked(*args: Any, **kwargs: Any) -> Any:
        return _check_size(fn(*args, **kwargs))

    return checked


@functools.cache
def sandbox() -> BoundedSandbox:
    return BoundedSandbox()


@functools.lru_cache(maxsize=1024)
def _compile(source: str) -> jinja2.Template:
    return sandbox().from_string(source)


def render_template(source: str, context: Mapping[str, Any], limit: int = 10_000) -> str:
    """Render `source` with `context`; raise TemplateError when it fails or passes `limit` chars."""
    if "{" not in source:
        return source
    try:
        pieces: list[str] = []
        size = 0
        for piece in _compile(source).generate(dict(context)):
            size += len(piece)
            if size > limit:
                raise _too_big(f"more than {limit:,} characters of text")
            pieces.append(piece)
    except TemplateError:
        raise
    except jinja2.TemplateError as error:
        message = error.message or type(error).__name__
        raise TemplateError(f"the template failed: {message}", _HINT) from error
    except (ArithmeticError, TypeError, ValueError, LookupError, RecursionError) as error:
        raise TemplateError(f"the template failed: {error}", _HINT) from error
    return "".join(pieces)
