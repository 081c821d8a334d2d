"""What is wrong with a state file or a history line, said the way `gitcron state check` says it.

pydantic finds the problems; one table turns its error types into the words state errors have
always used: `<file>: <where>: <problem>`, with `where` a path like `schedules.weekly.runs` or
`deliveries[0].status`. A damaged file is reported by its first problem, which is what a user
fixes (or restores) first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from gitcron.state.files import StateError

_OBJECT = "expected an object, found {found}"
_COUNT = "expected a whole number >= 0, found {found}"

PHRASES: dict[str, str] = {
    "missing": "missing",
    "unexpected_keyword_argument": "unknown key {key}",  # said where the key is, not at it
    "extra_forbidden": "unknown key {key}",
    "string_type": "expected a string, found {found}",
    "int_type": _COUNT,
    "greater_than_equal": _COUNT,
    "instant_type": "expected a UTC instant like 2026-11-22T14:00:00Z, found {found}",
    "literal_error": "expected one of {choices}, found {found}",
    "strings_type": "expected a list of strings, found {found}",
    "label_type": "expected a string, number or boolean, found {found}",
    "tuple_type": "expected a list, found {found}",
    "list_type": "expected a list, found {found}",
    "dict_type": _OBJECT,
    "dataclass_type": _OBJECT,
    "dataclass_args_type": _OBJECT,
    # the bounds of codec.py: what no tick writes
    "less_than_equal": "expected a whole number <= {le}, found {found}",
    "instant_range": (
        "expected an instant from 2000-01-01T00:00:00Z to 2199-12-31T23:59:59Z, found {found}"
    ),
    "string_too_long": "expected at most {max_length} characters, found {length}",
    "text_too_long": "expected texts of at most {max_length} characters",
    "too_many": "expected at most {limit} items, found {count}",
    "schedule_name": (
        "expected a schedule name (letters, digits, '.', '_' and '-', parts joined by '/', "
        "each starting with a letter or digit), found {found}"
    ),
}
_UNKNOWN_KEY = {"unexpected_keyword_argument", "extra_forbidden"}


def short_json(value: object) -> str:
    """A value as JSON, cut short, for error messages."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def where(loc: Sequence[str | int]) -> str:
    """`("schedules", "weekly", "runs")` as `schedules.weekly.runs`; list items as `[0]`."""
    text = ""
    for number, part in enumerate(loc):
        if part == "[key]":  # pydantic's mark of a bad key, which the part before names
            continue
        if loc[number + 1 : number + 2] == ("[key]",):
            part = short_json(part)  # the key itself is what is wrong: quoted, even when empty
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or "top level"


def state_error(error: ValidationError, name: str, hint: str) -> StateError:
    """The first problem pydantic found in `name`, in state's words, with the way out."""
    details = error.errors(include_url=False)
    first = details[0]
    kind, loc = first["type"], tuple(first["loc"])
    found = first.get("input")
    values = {**first.get("ctx", {}), "found": short_json(found)}
    if isinstance(found, str):
        values["length"] = len(found)
    if kind in _UNKNOWN_KEY:  # of several unknown keys in one object, name the first in order
        loc, key = loc[:-1], min(str(d["loc"][-1]) for d in _same_object(details, loc[:-1]))
        values["key"] = short_json(key)
    elif kind == "literal_error":
        if not isinstance(first.get("input"), str):
            kind = "string_type"
        values["choices"] = ", ".join(re.findall(r"'([^']*)'", str(first["ctx"]["expected"])))
    phrase = PHRASES.get(kind)
    problem = phrase.format(**values) if phrase else first["msg"]
    return StateError(f"{name}: {where(loc)}: {problem}", hint)


def _same_object(details: list[ErrorDetails], parent: tuple[str | int, ...]) -> list[ErrorDetails]:
    return [d for d in details if d["type"] in _UNKNOWN_KEY and tuple(d["loc"][:-1]) == parent]
