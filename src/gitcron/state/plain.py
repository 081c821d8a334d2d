"""State types read and written as plain JSON, by the rules their annotations already state.

Building pydantic's validators for the state types cost a tick with nothing due more than its
whole planning (about 25 ms of CPU, the first build also scanning every installed package for
pydantic plugins). The rules of each field are its annotation in `model.py`, `codec.py` and
`summaries.py` (`Count` is a strict whole number from 0 to MAX_COUNT, `Instant` is read by
`codec._instant`, a dataclass refuses unknown keys): this module walks those same annotations,
calling the same validator and serializer functions, and keeps no rule of its own.

Reading only ever says "this value, exactly as pydantic would give it" or `Unsure`: a value
with any problem, or a type this walker does not cover, is handed to pydantic, which finds the
problem and words it as before (`Codec.decode`). So a damaged file reads the same errors, and a
value is never accepted here that pydantic would refuse. Writing gives what pydantic's
`dump_python(mode="json")` gives for the types covered; a type not covered is written by pydantic.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union

from annotated_types import Ge, Le, MaxLen
from pydantic import PlainSerializer, PlainValidator, Strict, WrapValidator

Read = Callable[[Any], Any]  # raises Unsure unless the value is valid
Write = Callable[[Any], Any]


class Unsure(Exception):
    """The plain reader cannot vouch for a value: pydantic reads it (and words its problem)."""


class Unsupported(Exception):
    """A type this module does not cover: its codec goes through pydantic alone."""


def reader(kind: type) -> Read:
    """The plain reader of a dataclass of state; Unsupported if some field's type is not covered."""
    return _reader(kind)


def writer(kind: type) -> Write:
    """The plain writer of a dataclass of state; Unsupported if some field's type is not covered."""
    return _writer(kind)


def _args(hint: Any) -> tuple[Any, ...]:
    return typing.get_args(hint)


def _optional(hint: Any) -> Any | None:
    """X of `X | None`, else None."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in _args(hint) if a is not type(None)]
        if len(rest) == 1 and len(_args(hint)) == 2:
            return rest[0]
    return None


def _reader(hint: Any) -> Read:
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _annotated_reader(hint)
    inner = _optional(hint)
    if inner is not None:
        read_inner = _reader(inner)
        return lambda value: None if value is None else read_inner(value)
    if hint in (str, bool, int):  # exactly that type: pydantic gives it back unchanged
        return _exactly(hint)
    if origin is Literal:
        choices = _args(hint)
        if not all(type(c) is str for c in choices):
            raise Unsupported(hint)
        return lambda value: value if type(value) is str and value in choices else _unsure()
    if origin is tuple and len(_args(hint)) == 2 and _args(hint)[1] is Ellipsis:
        item = _reader(_args(hint)[0])
        return lambda value: (
            tuple(item(v) for v in value) if type(value) is list else _unsure()  # JSON lists
        )
    if origin is dict:
        key, item = (_reader(a) for a in _args(hint))
        return lambda value: (
            {key(k): item(v) for k, v in value.items()} if type(value) is dict else _unsure()
        )
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_reader(hint)
    raise Unsupported(hint)


def _annotated_reader(hint: Any) -> Read:
    base, *meta = _args(hint)
    checks: list[Callable[[Any], bool]] = []
    for item in meta:
        if isinstance(item, PlainValidator):
            if len(meta) != sum(isinstance(m, PlainSerializer) for m in meta) + 1:
                raise Unsupported(hint)  # a validator with other rules beside it
            return _calling(typing.cast(Callable[[Any], Any], item.func))
        if isinstance(item, WrapValidator):
            if len(meta) != 1:
                raise Unsupported(hint)
            return _calling(functools.partial(_without_inner, item.func))
        if isinstance(item, Strict) and item.strict and base is int:
            continue  # a plain int is read strictly anyway
        if isinstance(item, Ge):
            checks.append(functools.partial(_at_least, item.ge))
        elif isinstance(item, Le):
            checks.append(functools.partial(_at_most, item.le))
        elif isinstance(item, MaxLen):
            checks.append(functools.partial(_no_longer, item.max_length))
        elif not isinstance(item, PlainSerializer):
            raise Unsupported(hint)
    read_base = _reader(base)

    def read(value: Any) -> Any:
        found = read_base(value)
        return found if all(check(found) for check in checks) else _unsure()

    return read


def _dataclass_reader(kind: type) -> Read:
    config = getattr(kind, "__pydantic_config__", {})
    if config.get("extra") != "forbid" or hasattr(kind, "__post_init__"):
        raise Unsupported(kind)
    hints = typing.get_type_hints(kind, include_extras=True)
    fields = {f.name: _reader(hints[f.name]) for f in dataclasses.fields(kind) if f.init}
    required = {
        f.name
        for f in dataclasses.fields(kind)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }

    def read(value: Any) -> Any:
        if type(value) is not dict or not required <= value.keys() <= fields.keys():
            raise Unsure
        return kind(**{name: fields[name](item) for name, item in value.items()})

    return read


def _at_least(bound: Any, value: Any) -> bool:
    return bool(value >= bound)


def _at_most(bound: Any, value: Any) -> bool:
    return bool(value <= bound)


def _no_longer(limit: int, value: Any) -> bool:
    return len(value) <= limit


def _without_inner(func: Any, value: Any) -> Any:
    """A wrap validator called with an inner validator that is never needed: Unsure if it is."""
    return func(value, _no_inner)


def _no_inner(*_: Any) -> Any:
    raise Unsure


def _exactly(kind: type) -> Read:
    return lambda value: value if type(value) is kind else _unsure()


def _calling(func: Callable[[Any], Any]) -> Read:
    def read(value: Any) -> Any:
        try:
            return func(value)
        except Exception:  # pydantic's own error, worded by pydantic
            raise Unsure from None

    return read


def _unsure() -> Any:
    raise Unsure


def _writer(hint: Any) -> Write:
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *meta = _args(hint)
        serializers = [m for m in meta if isinstance(m, PlainSerializer)]
        if serializers:
            return serializers[-1].func  # type: ignore[return-value]
        return _writer(base)
    inner = _optional(hint)
    if inner is not None:
        write_inner = _writer(inner)
        return lambda value: None if value is None else write_inner(value)
    if hint in (str, bool, int) or origin is Literal:
        return _same
    if origin is tuple and len(_args(hint)) == 2 and _args(hint)[1] is Ellipsis:
        item = _writer(_args(hint)[0])
        return lambda value: [item(v) for v in value]
    if origin is dict:
        key, item = (_writer(a) for a in _args(hint))
        return lambda value: {key(k): item(v) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_writer(hint)
    raise Unsupported(hint)


def _dataclass_writer(kind: type) -> Write:
    hints = typing.get_type_hints(kind, include_extras=True)
    own = _field_serializers(kind)
    fields = {f.name: _writer(hints[f.name]) for f in dataclasses.fields(kind)}

    def write(value: Any) -> Any:
        return {
            name: own[name](value, getattr(value, name))
            if name in own
            else each(getattr(value, name))
            for name, each in fields.items()
        }

    return write


def _field_serializers(kind: type) -> dict[str, Callable[[Any, Any], Any]]:
    """The plain `@field_serializer` methods of `kind`, by field (pydantic keeps them as proxies
    holding the method and what it serializes)."""
    found: dict[str, Callable[[Any, Any], Any]] = {}
    for attribute in vars(kind).values():
        info = getattr(attribute, "decorator_info", None)
        if info is None:
            continue
        plain = info.mode == "plain" and info.when_used == "always"
        if type(info).__name__ != "FieldSerializerDecoratorInfo" or not plain:
            raise Unsupported(kind)
        for name in info.fields:
            found[name] = attribute.wrapped
    return found


def _same(value: Any) -> Any:
    return value
