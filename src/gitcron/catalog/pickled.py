"""Pickling for the parse cache: frozen dataclasses rebuilt from their fields, slot by slot.

Pickle restores a slotted frozen dataclass field by field through a generic `__setstate__`;
calling its generated `__init__` with the fields is several times faster, and setting each slot
directly (as `__init__` does, without looking each attribute up through `object.__setattr__`)
faster again: a warm tick restores one view and one timing form per schedule, and one state and
summary (catalog/kept_states.py). Only classes that their constructor rebuilds exactly qualify:
frozen, every field an `__init__` argument, no `__post_init__`; those whose every field is a slot
are rebuilt by `rebuilder(kind)`, a function made once per class (as `dataclasses` makes
`__init__`) and named in the pickle once per class, the others by calling the class. Everything
else pickles as usual, and reading needs no more than `pickle.load`.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import pickle
import types
from collections.abc import Callable
from typing import Any

_MADE_FOR: dict[Callable[..., Any], type] = {}  # each rebuilder made -> the class it makes


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


@functools.cache
def rebuilder(kind: type) -> Callable[..., Any]:
    """A function that makes an instance of `kind` from its fields' values in field order,
    setting each slot as the class's `__init__` would. TypeError for a class that does not
    qualify (a pickle naming another class than this module wrote)."""
    if not _by_arguments(kind) or not _slotted(kind):
        raise TypeError(f"{kind.__qualname__} is not rebuilt from its slots")
    count = len(_fields(kind))
    names = [f"_{n}" for n in range(count)]  # never a field's own name: no clash, no injection
    lines = [f"def make({', '.join(names)}):", "    made = new(kind)"]
    lines += [f"    set{name}(made, {name})" for name in names]
    lines.append("    return made")
    scope: dict[str, Any] = {"new": object.__new__, "kind": kind}
    for name, field in zip(names, _fields(kind), strict=True):
        scope[f"set{name}"] = getattr(kind, field).__set__
    exec("\n".join(lines), scope)
    made: Callable[..., Any] = scope["make"]
    made.__qualname__ = f"rebuilder.<{kind.__qualname__}>"
    _MADE_FOR[made] = kind
    return made


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is types.FunctionType:  # a rebuilder, named by the class it makes
            made_for = _MADE_FOR.get(obj)
            return NotImplemented if made_for is None else (rebuilder, (made_for,))
        if dataclasses.is_dataclass(kind) and not isinstance(obj, type) and _by_arguments(kind):
            values = tuple(getattr(obj, name) for name in _fields(kind))
            return (rebuilder(kind) if _slotted(kind) else kind), values
        return NotImplemented


@functools.cache
def _by_arguments(kind: type) -> bool:
    params = getattr(kind, "__dataclass_params__", None)
    every = dataclasses.fields(kind)
    rebuilt = all(f.init for f in every) and not hasattr(kind, "__post_init__")
    return bool(params and params.frozen) and rebuilt


@functools.cache
def _slotted(kind: type) -> bool:
    """Whether every field is a slot of the class itself (`slots=True`), set by its descriptor."""
    slots = kind.__dict__.get("__slots__", ())
    return all(
        name in slots and isinstance(kind.__dict__.get(name), types.MemberDescriptorType)
        for name in _fields(kind)
    )


@functools.cache
def _fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))
