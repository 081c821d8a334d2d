"""Checks made before a filter, test, string method or format runs, from the size of its inputs.

A size checked after the fact comes too late for the operations whose output, or work, can be far
larger than their input: `'\\n' * 500000 | indent(9999)` asks for five billion characters,
`s | wordwrap(1)` for a million lines, `'{0}{0}...'.format(s)` copies `s` once per field. For
these the output and the work are estimated from the arguments first (estimates over-count rather
than under) and the call is refused over budget; every filter, test and method call pays for
reading its arguments (`gitcron.config.budget`).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Mapping, Sized
from typing import Any

from gitcron.config.budget import (
    ITEM_COST,
    check_length,
    check_size,
    check_width,
    measure,
    spend,
    spend_reads,
    too_big,
)

Estimate = tuple[int, int]  # (characters or items written, units of work)
_PRINTF_WIDTHS = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")
LINE_COST = 40 * ITEM_COST  # one line `wordwrap` writes: textwrap works line by line in Python


@functools.lru_cache(maxsize=1024)
def printf_widths(fmt: str) -> tuple[int, ...]:
    """The width of each `%` of a printf format, once each is known to be bounded."""
    widths = []
    for groups in _PRINTF_WIDTHS.findall(fmt):
        for group in groups:
            if group == "*":
                raise too_big("a '*' width in a % format")
            if group:
                check_width(int(group))
        widths.append(max(int(group or 0) for group in groups))
    return tuple(widths)


@functools.lru_cache(maxsize=1024)
def format_widths(fmt: str) -> tuple[int, ...]:
    """The width of each field of a `str.format` format, once each is known to be bounded."""
    widths = []
    for _, name, spec, _ in string.Formatter().parse(fmt):
        if spec and "{" in spec:
            raise too_big("a nested width in a format")
        digits = [int(found) for found in _DIGITS.findall(spec or "")]
        for width in digits:
            check_width(width)
        if name is not None:
            widths.append(max(digits, default=0))
    return tuple(widths)


def _largest(values: Any) -> int:
    """The longest text any of `values` (a tuple, a mapping or one value) can turn into."""
    if isinstance(values, Mapping):
        values = tuple(values.values())
    elif not isinstance(values, tuple):
        values = (values,)
    return max((measure(value)[0] + 2 for value in values), default=0)  # 2: quotes of a repr


def printf_size(fmt: str, values: Any) -> Estimate:
    """Longest result of `fmt % values` (each `%` may copy the largest value, or pad to its
    width), and the work of filling it in."""
    widths = printf_widths(fmt)
    largest = _largest(values)
    size = len(fmt) + sum(max(width, largest) for width in widths)
    return size, size + ITEM_COST * len(widths)


def format_size(fmt: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """Longest result of `fmt.format(*args, **kwargs)`: each field may copy the largest value."""
    largest = max(_largest(args), _largest(kwargs))
    return len(fmt) + sum(max(width, largest) for width in format_widths(fmt))


def _text(value: Any) -> tuple[int, int]:
    """(length, lines) of `value` as the text a filter makes of it."""
    if isinstance(value, str):
        return len(value), value.count("\n") + 1
    size = measure(value)[0]
    return size, size + 1


def _indent(s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> Estimate:
    pad = len(width) if isinstance(width, str) else width
    check_width(pad)
    length, lines = _text(s)
    size = length + lines * max(pad, 0)
    return size, size


def _wordwrap(
    s: Any,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> Estimate:
    length, _ = _text(s)
    lines = length // max(width, 1) + 1
    return length + lines * len(wrapstring or "\n"), length + lines * LINE_COST


def _replace(s: Any, old: Any, new: Any, count: int | None = None) -> Estimate:
    old, new = str(old), str(new)
    if isinstance(s, str):
        length, found = len(s), (s.count(old) if old else len(s) + 1)
    else:  # a list or number, replaced in its text
        length = measure(s)[0]
        found = length + 1
    if count is not None and count >= 0:
        found = min(found, count)
    size = length + found * max(len(new) - len(old), 0)
    return size, size


def _join(value: Any, d: Any = "", attribute: Any = None) -> Estimate:
    count = len(value) if isinstance(value, Sized) else 0
    size = measure(value)[0] + max(count - 1, 0) * len(str(d))
    return size, size


def _center(value: Any, width: int = 80) -> Estimate:
    check_width(width)
    return 0, width if isinstance(width, int) else 0


def _format(value: Any, *args: Any, **kwargs: Any) -> Estimate:
    return printf_size(str(value), kwargs or args)


def _sum(iterable: Any, attribute: Any = None, start: Any = 0) -> Estimate:
    adds = len(iterable) if isinstance(iterable, Sized) else 0
    size, cost = measure(iterable)
    if isinstance(start, list | tuple | str):  # each `+` copies what came before
        return size, cost * adds
    return 0, 0


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Estimate:
    if fill_with is not None:
        check_length(linecount)
        return 0, max(linecount, 0) * ITEM_COST
    return 0, 0


def _slice(value: Any, slices: int, fill_with: Any = None) -> Estimate:
    check_length(slices)
    return 0, max(slices, 0) * ITEM_COST


# Filters whose output or work can outgrow their input, and those consuming an iterator whole.
ESTIMATES: dict[str, Callable[..., Estimate]] = {
    "indent": _indent,
    "wordwrap": _wordwrap,
    "replace": _replace,
    "join": _join,
    "center": _center,
    "format": _format,
    "sum": _sum,
    "batch": _batch,
    "slice": _slice,
}
_WHOLE = frozenset({"join", "sum"})
# Filters that handle each word or item in Python, and how many times slower than the others per
# unit of their input (measured on 100,000-character texts and 20,000-item lists).
SLOW = {"urlize": 100, "title": 20, "urlencode": 10, "wordcount": 8, "striptags": 5, "pprint": 3}


def guard(fn: Callable[..., Any], name: str = "") -> Callable[..., Any]:
    """Filter `name` (or a test, without a name) paying for its inputs, and refused when it
    would write too much."""
    estimate = ESTIMATES.get(name)
    slow = SLOW.get(name, 1)
    whole = name in _WHOLE
    lead = int(getattr(fn, "jinja_pass_arg", None) is not None)  # a context before the value?

    @functools.wraps(fn)  # keeps jinja2's pass_context / pass_environment mark
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if whole and len(args) > lead and not isinstance(args[lead], Sized):
            args = (*args[:lead], list(args[lead]), *args[lead + 1 :])
        spend_reads(*args[lead:], *kwargs.values())
        if slow > 1:
            spend(measure(args[lead] if len(args) > lead else None)[1] * (slow - 1))
        if estimate is not None:
            try:
                size, work = estimate(*args[lead:], **kwargs)
            except (TypeError, ValueError):
                pass  # arguments the filter itself refuses, with its own words
            else:
                check_length(size)
                spend(work)
        return check_size(fn(*args, **kwargs))

    return guarded


def check_method(
    owner: str | bytes, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[Any, ...]:
    """Before `owner.name(*args, **kwargs)` runs: widths bounded, and outputs that can explode
    estimated. Returns the arguments to call with (`join` reads an iterator into a list first).
    """
    for arg in (*args, *kwargs.values()):
        check_width(arg)
    text = owner.decode("latin-1") if isinstance(owner, bytes) else owner
    if name == "replace" and len(args) >= 2:
        check_length(_replace(text, _str(args[0]), _str(args[1]), *args[2:3])[0])
    elif name == "join" and args:
        items = args[0] if isinstance(args[0], Sized) else list(args[0])
        check_length(len(text) * max(len(items) - 1, 0) + measure(items)[0])
        args = (items, *args[1:])
    elif name == "expandtabs":
        tabsize = kwargs.get("tabsize", args[0] if args else 8)
        if isinstance(tabsize, int):
            check_length(len(text) + text.count("\t") * tabsize)
    elif name == "translate" and args and isinstance(args[0], Mapping):
        check_length(len(text) * _largest(args[0]))
    return args


def _str(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)
