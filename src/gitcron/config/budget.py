"""What one template render may spend: sizes, loop passes and work, counted as the render runs.

Templates are written by account managers and the tick renders hundreds of them in one process,
so a template that loops 10^10 times, or wraps a million characters at width 1, would stall every
schedule after it. Each render therefore gets a `Budget`, with three limits no legitimate template
comes near (a file name, a subject or an email body over a few links spends a few dozen passes and
well under a million units of work):

- no value longer than MAX_VALUE characters or items (nested lists count everything inside);
- at most MAX_PASSES loop passes in all: every item a `for` loop draws, every macro, `caller()`
  and block call; nested loops multiply;
- at most MAX_WORK units of work: a character an operation reads or writes is 1 unit; an item
  it handles one by one, and each tag a loop pass or macro call runs, ITEM_COST units; a call
  of a filter, test, method or operator CALL_COST more. These weights were measured (each
  filter, and each kind of tag, on large inputs), so that the whole budget, however it is
  spent, takes well under a second.

Going over is a permanent `TemplateError` naming the limit. The budget of the render in progress
lives in a ContextVar, because jinja2 calls filters without the render's context. Compiling runs
under a budget of its own, as jinja2 runs constant filters then; without any budget nothing is
counted, but sizes are still checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from jinja2.utils import Namespace

from gitcron.errors import GitcronError

MAX_VALUE = 1_000_000  # the longest string or list any step of a template may build
MAX_WIDTH = 10_000  # the widest padding a format or filter may ask for
MAX_BITS = 100_000  # the largest number, in bits, `*` or `**` may make
MAX_PASSES = 100_000  # loop passes and macro calls in one render
MAX_WORK = 20_000_000  # units of work in one render; a legitimate template spends well under 5%
ITEM_COST = 100  # an item handled, or a tag run, next to a character (1)
CALL_COST = 10 * ITEM_COST  # a call of a filter, test, method or operator, before its inputs
# Prebuilt, as `isinstance(x, A | B)` would build the union on every call.
TEXT = (str, bytes)
SEQUENCE = (str, bytes, list, tuple)
_NUMBER = (int, float)
_SIMPLE = (str, int, float)
_SIZED = (str, list, tuple)
_COLLECTION = (list, tuple, set, frozenset)
_MAPPING = (dict, Mapping)
_SMALL = "keep templates to short text: names, dates and counts"
_BUDGETS = "docs/security.md#budgets"


class TemplateError(GitcronError):
    """A template failed while rendering; the same input fails again, so it is never retried."""

    permanent = True


@dataclass(slots=True)
class Budget:
    """What the render in progress has spent."""

    passes: int = 0
    work: int = 0
    over: str | None = None  # the first limit passed, in words


_CURRENT: ContextVar[Budget | None] = ContextVar("gitcron_template_budget", default=None)


def start_budget() -> Token[Budget | None]:
    """Give the render about to run a fresh budget; hand the token to `end_budget` after it."""
    return _CURRENT.set(Budget())


def end_budget(token: Token[Budget | None]) -> None:
    _CURRENT.reset(token)


@contextmanager
def render_budget() -> Iterator[Budget]:
    """A fresh budget for the render run inside the `with`, to read what it spent."""
    token = start_budget()
    try:
        budget = _CURRENT.get()
        assert budget is not None
        yield budget
    finally:
        end_budget(token)


def too_big(what: str) -> TemplateError:
    return TemplateError(f"the template builds {what}", _SMALL)


def check_length(length: int) -> None:
    if length > MAX_VALUE:
        raise too_big(f"a value longer than {MAX_VALUE:,} characters or items")


def check_size(value: Any) -> Any:
    """`value`, once it is known not to be longer than MAX_VALUE characters or items."""
    if isinstance(value, _SIZED):
        check_length(len(value))
    return value


def check_width(width: Any) -> None:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise too_big(f"padding wider than {MAX_WIDTH:,}")


def check_bits(bits: int) -> None:
    if bits > MAX_BITS:
        raise too_big(f"a number with more than {MAX_BITS:,} bits")


def measure(value: Any) -> tuple[int, int]:
    """(size, cost) of reading `value`. Its size counts the characters and items inside it, nested
    ones too (an empty string counts 1); its cost adds ITEM_COST for each item, strings included.
    Counting stops once either is past its limit, so measuring is bounded too. Numbers are free.
    """
    if isinstance(value, TEXT):
        return len(value), len(value)
    if isinstance(value, _NUMBER) or value is None:
        return 0, 0
    chars, items, strings = 0, -1, 0  # -1: the value itself is not one of its items
    stack = [value]
    while stack and chars + items <= MAX_VALUE and ITEM_COST * (items + strings) <= MAX_WORK:
        item = stack.pop()
        if isinstance(item, TEXT):
            chars += len(item) or 1
            strings += 1
            continue
        items += 1
        if isinstance(item, _NUMBER) or item is None:
            continue
        if isinstance(item, _COLLECTION):
            stack.extend(item)
        elif isinstance(item, _MAPPING):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, range):
            items += len(item)
        elif isinstance(item, Namespace):  # `{% set ns.a = ... %}` nests without a call
            stack.append(getattr(item, "_Namespace__attrs", None))
    return chars + items, chars + ITEM_COST * (items + strings)


def spend(work: int, passes: int = 0) -> bool:
    """Charge the render in progress; raise once it is over a budget. True, so that the compiled
    code can charge a loop's `if` before testing it (`pay and test`)."""
    budget = _CURRENT.get()
    if budget is None:
        return True
    budget.passes += passes
    budget.work += work
    if budget.passes > MAX_PASSES:
        error = TemplateError(
            f"the template loops more than {MAX_PASSES:,} times",
            "every pass of every loop counts, nested loops multiply, and so does every macro"
            f" call: loop over the few links and labels of a run, not over ranges ({_BUDGETS})",
        )
    elif budget.work > MAX_WORK:
        error = TemplateError(
            f"the template does more than {MAX_WORK:,} units of work",
            "every character a filter, method, operator or comparison reads counts, and every"
            f" tag a loop pass runs: keep templates to short text ({_BUDGETS})",
        )
    else:
        return True
    budget.over = budget.over or error.message
    raise error


def spend_reads(*values: Any) -> None:
    """Charge a call for reading `values`, each first checked against MAX_VALUE."""
    cost = CALL_COST
    for value in values:
        if type(value) is str:
            size = value_cost = len(value)
        else:
            size, value_cost = measure(value)
        check_length(size)
        cost += value_cost
    spend(cost)


def weighed(value: Any) -> Any:
    """`value`, once reading it is paid for: a compared or sliced operand."""
    size, cost = measure(value)
    check_length(size)
    spend(cost)
    return value


def finalized(value: Any) -> Any:
    """An output `{{ value }}`, checked before it becomes text. Text and numbers are already
    checked (every string a template builds is) and cost nothing to write, as the tags writing
    them are paid for; a list or mapping is paid for, its text being as long as what it holds."""
    if isinstance(value, _SIMPLE):
        return value
    return weighed(value)
