"""Pydantic's error types, said in words an account manager understands, with a fix."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gitcron.config.fields import did_you_mean
from gitcron.config.problems import Loc, Problem
from gitcron.timing.words import listing

PHRASES: dict[str, tuple[str, str | None]] = {
    "missing": ("'{field}' is missing", "add '{field}:' here{example}"),
    "string_type": ("this should be text", "put the value in quotes"),
    "int_type": ("this should be a whole number", None),
    "int_parsing": ("'{input}' is not a whole number", None),
    "int_from_float": ("'{input}' is not a whole number", None),
    "float_type": ("this should be a number", None),
    "float_parsing": ("'{input}' is not a number", None),
    "bool_type": ("'{input}' should be true or false", "write true or false"),
    "bool_parsing": ("'{input}' should be true or false", "write true or false"),
    "dict_type": ("this should be a set of 'key: value' lines", None),
    "model_type": ("this should be a set of 'key: value' lines", None),
    "model_attributes_type": ("this should be a set of 'key: value' lines", None),
    "list_type": ("this should be a list", "write items on lines starting with '- '"),
    "tuple_type": ("this should be a list", "write items on lines starting with '- '"),
    "date_type": ("'{input}' is not a date", "write it as YYYY-MM-DD"),
    "date_from_datetime_parsing": ("'{input}' is not a date", "write it as YYYY-MM-DD"),
    "greater_than_equal": ("{input} is too small", "use {ge} or more"),
    "greater_than": ("{input} is too small", "use a number above {gt}"),
    "less_than_equal": ("{input} is too large", "use {le} or less"),
    "string_too_long": ("this text is too long", "use at most {max_length} characters"),
    "string_pattern_mismatch": ("'{input}' is not in the expected form", "it must match {pattern}"),
    "literal_error": ("'{input}' is not a choice here", "use {expected}"),
}


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class of the value at `loc` (None for a list, a mapping or a scalar): whose
    keys a 'did you mean' suggests, and whose fields a stand-in value may replace."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if _is_model(current) and isinstance(part, str):
            field = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
            )
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (list, dict) and typing.get_args(current):
            current = typing.get_args(current)[-1]  # a list index or a dict key: step into items
        else:
            return None
    current = _unwrap(current)
    return current if _is_model(current) else None


def _unwrap(annotation: Any) -> Any:
    """From `Annotated[list[Delivery], ...] | None` to `list[Delivery]`: what a value must be."""
    for _ in range(5):
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin in (typing.Union, types.UnionType):
            models = [a for a in args if _is_model(a) or typing.get_origin(a) in (list, dict)]
            if not models:
                return annotation
            annotation = models[0]
        elif origin is typing.Annotated:
            annotation = args[0]
        else:
            return annotation
    return annotation


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _example(model: type[BaseModel] | None, name: str) -> str:
    if model is None or name not in model.model_fields:
        return ""
    examples = model.model_fields[name].examples
    return f", e.g. {name}: {examples[0]}" if examples else ""


def problem_for(error: ErrorDetails, file: str, model: type[BaseModel]) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind_ = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind_ == "gitcron":
        if ctx.get("index") is not None:  # one item of a list was wrong: point at that item
            loc = (*loc, int(ctx["index"]))
        return Problem(
            file, error["msg"], loc=loc, hint=ctx.get("hint"), kind=ctx.get("kind") or "other"
        )
    field = str(loc[-1]) if loc else ""
    owner = model_at(model, loc[:-1])
    if kind_ == "extra_forbidden":
        allowed = _keys(owner) if owner else []
        hint = did_you_mean(field, allowed) or (
            f"the keys allowed here are {listing(allowed, 'or')}" if allowed else "remove it"
        )
        return Problem(file, f"'{field}' is not a setting gitcron knows here", loc, hint, key=True)
    if kind_ == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return Problem(file, message, loc=loc)
    phrase, hint_text = PHRASES.get(kind_, (error["msg"], None))
    values = {"field": field, "input": _short(error.get("input")), **ctx}
    values["example"] = _example(owner, field)
    if "expected" in ctx:
        values["expected"] = str(ctx["expected"]).replace("'", "")
        close = did_you_mean(str(error.get("input")), _literal_words(str(ctx["expected"])))
        hint_text = close or hint_text
    return Problem(
        file,
        _fill(phrase, values),
        loc=loc,
        hint=_fill(hint_text, values) if hint_text else None,
        key=kind_ == "missing",
    )


def _literal_words(expected: str) -> list[str]:
    return [w.strip(" '") for w in expected.replace(" or ", ",").split(",") if w.strip(" '")]


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fill(template: str, values: dict[str, Any]) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


# pydantic reports a value that fits no member of `str | int | ...` once per member, each loc
# ending in the member's name; those are said once, at the value.
_MEMBERS = {"str": "text", "int": "a number", "float": "a number", "bool": "true/false"}
_MEMBERS |= {"date": "a date", "datetime": "a date and time"}


def problems_from(error: ValidationError, file: str, model: type[BaseModel]) -> Iterator[Problem]:
    details = error.errors(include_url=False)
    members: dict[Loc, list[str]] = {}
    for detail in details:
        *parent, last = detail["loc"] or ("",)
        if parent and last in _MEMBERS:
            members.setdefault(tuple(parent), []).append(_MEMBERS[str(last)])
    said: set[Loc] = set()
    for detail in details:
        *parent, last = detail["loc"] or ("",)
        words = members.get(tuple(parent), [])
        if len(words) < 2 or last not in _MEMBERS:
            yield problem_for(detail, file, model)
        elif tuple(parent) not in said:
            said.add(tuple(parent))
            yield Problem(
                file,
                f"this should be one value: {listing(list(dict.fromkeys(words)), 'or')}",
                loc=tuple(parent),
                hint="write a single value, not a list or a set of 'key: value' lines",
                kind="content",
            )
