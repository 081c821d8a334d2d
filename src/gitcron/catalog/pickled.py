"""Pickling for the parse cache: frozen dataclasses as a call of their class with their fields.

Pickle restores a slotted frozen dataclass field by field through a generic `__setstate__`;
calling its generated `__init__` with the fields is several times faster, and a warm tick
restores one view and one timing form per schedule (bench_plan's warm plan). Only classes that
their constructor rebuilds exactly qualify: frozen, every field an `__init__` argument, no
`__post_init__`. Everything else pickles as usual, and reading needs no more than `pickle.load`.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import pickle
from typing import Any


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if dataclasses.is_dataclass(kind) and not isinstance(obj, type) and _by_arguments(kind):
            return kind, tuple(getattr(obj, name) for name in _fields(kind))
        return NotImplemented


@functools.cache
def _by_arguments(kind: type) -> bool:
    params = getattr(kind, "__dataclass_params__", None)
    every = dataclasses.fields(kind)
    rebuilt = all(f.init for f in every) and not hasattr(kind, "__post_init__")
    return bool(params and params.frozen) and rebuilt


@functools.cache
def _fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))
