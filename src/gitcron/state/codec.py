"""How state spells values, and the codec that reads and writes state types through pydantic.

State and history keep every instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds): one
spelling, so equal instants are equal bytes and files diff cleanly. Run ids and delivered keys
are built from it here, in one place.

The dataclasses in `model.py` and `records.py` are the only list of their fields: `Codec` puts a
pydantic TypeAdapter over one of them, so decoding, defaults for omitted keys, refusing unknown
keys and the written form all follow from the fields and the annotated types below. A
well-formed file is read and written by `plain.py` from those same annotations, without building
pydantic's validators; whatever it cannot vouch for goes to pydantic, which words the problem.

State files reach a tick through pull requests like any other file, so each type also bounds
what it accepts (docs/tick.md, "Damaged state"): numbers and instants to what a tick could have
written, texts and lists to sizes far above any real one. A value out of bounds is reported with
its path, like any other hand edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Annotated, Any, Generic, TypeVar

from annotated_types import Ge, Le, MaxLen
from pydantic import (
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    Strict,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic import ValidationError as _ValidationError
from pydantic_core import PydanticCustomError

from gitcron.state import plain
from gitcron.state.instants import EARLIEST as EARLIEST
from gitcron.state.instants import INSTANT_FORMAT as INSTANT_FORMAT
from gitcron.state.instants import LATEST as LATEST
from gitcron.state.instants import format_instant as format_instant
from gitcron.state.instants import parse_instant as parse_instant
from gitcron.state.phrases import state_error

# The bounds of what state accepts; each is far beyond anything a tick writes.
MAX_COUNT = 10**9  # counters and attempts: a run a minute for 1,900 years
MAX_AMOUNT = 10**15  # rows and bytes of one file: a petabyte
MAX_DURATION_MS = 366 * 24 * 3600 * 1000  # how long one run took: a year
MAX_TEXT = 65_536  # characters of one text in a state file
MAX_ITEMS = 10_000  # items of one list in a state file
MAX_NAME = 4_096  # characters of a schedule name: a path the file system can hold
# A schedule name within its customer: what a schedule file's path can be (catalog/load.py
# holds the same rule, with 64 characters a part). Each part starts with a letter or digit.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,254})*")

FORBID_UNKNOWN = ConfigDict(extra="forbid")  # state files: a hand-edit typo is not a default

T = TypeVar("T")
LabelValue = str | int | float | bool


def make_run_id(schedule: str, fire: datetime) -> str:
    """`acme-corp/weekly@2026-11-23T15:00:00Z`: the same for every attempt of the same fire."""
    return f"{schedule}@{format_instant(fire)}"


def delivered_key(run_id: str, target: str) -> str:
    """The key of one (run, target) delivery in `ScheduleState.delivered`."""
    return f"{run_id}|{target}"


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "expected a string")
    try:
        instant = parse_instant(value)
    except ValueError:
        raise PydanticCustomError("instant_type", "expected a UTC instant") from None
    if not EARLIEST <= instant <= LATEST:
        raise PydanticCustomError("instant_range", "expected an instant from 2000 to 2199")
    return instant


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PydanticCustomError("strings_type", "expected a list of strings")
    if len(value) > MAX_ITEMS:
        raise PydanticCustomError(
            "too_many", "expected fewer items", {"limit": MAX_ITEMS, "count": len(value)}
        )
    for text in value:
        if len(text) > MAX_TEXT:
            raise PydanticCustomError(
                "text_too_long", "expected a shorter text", {"max_length": MAX_TEXT}
            )
    return tuple(value)


def _schedule_name(value: Any) -> str:
    """A key of a customer file: a name some schedule file of that customer could have."""
    if not isinstance(value, str) or len(value) > MAX_NAME or not _NAME.fullmatch(value):
        raise PydanticCustomError("schedule_name", "expected a schedule name")
    return value


def _label(value: Any, _: ValidatorFunctionWrapHandler) -> LabelValue:
    if not isinstance(value, str | int | float | bool):
        raise PydanticCustomError("label_type", "expected a string, number or boolean")
    return value


def _text_or_none(value: Any, _: ValidatorFunctionWrapHandler) -> str | None:
    return value if isinstance(value, str) else None


def _is_true(value: Any, _: ValidatorFunctionWrapHandler) -> bool:
    return value is True


Instant = Annotated[
    datetime, PlainValidator(_instant), PlainSerializer(format_instant, return_type=str)
]
Count = Annotated[int, Strict(), Ge(0), Le(MAX_COUNT)]  # a whole number; true and 3.0 are not
Amount = Annotated[int, Strict(), Ge(0), Le(MAX_AMOUNT)]
DurationMs = Annotated[int, Strict(), Ge(0), Le(MAX_DURATION_MS)]
Text = Annotated[str, MaxLen(MAX_TEXT)]
ScheduleName = Annotated[str, PlainValidator(_schedule_name)]
Strings = Annotated[
    tuple[str, ...], PlainValidator(_strings), PlainSerializer(list, return_type=list[str])
]
# Wrap validators that never call the inner one: the type keeps its own (faster) serializer.
Label = Annotated[LabelValue, WrapValidator(_label)]
LenientText = Annotated[str | None, WrapValidator(_text_or_none)]  # not text: as if absent
LenientFlag = Annotated[bool, WrapValidator(_is_true)]  # only `true` is true


# Plain reading is slower per value than pydantic's compiled validator, which costs about 5 ms of
# CPU to build, as much as reading some 20 customer files plainly: a codec reads and writes that
# many values plainly, then builds the validator. A count, not a clock, so which path a tick takes
# never depends on how busy the machine is.
PLAIN_USES = 20


class Codec(Generic[T]):
    """One state type read from parsed JSON and written back as JSON-ready data.

    A well-formed value is read and written by `plain`, from the same annotations, while that
    costs less than building pydantic's validator would (a tick with a few customers never
    builds it; one with a thousand builds it once); pydantic reads whatever `plain` cannot
    vouch for, and so words every problem. Either way the value and the bytes are the same."""

    def __init__(self, kind: type[T]) -> None:
        self.kind = kind
        self._plain_uses = 0  # values read or written plainly

    @cached_property
    def adapter(self) -> TypeAdapter[T]:
        """Built on first use: a command that never reads state does not pay for it."""
        return TypeAdapter(self.kind)

    @cached_property
    def _plain(self) -> tuple[plain.Read | None, plain.Write | None]:
        found: list[plain.Read | None] = []
        for make in (plain.reader, plain.writer):
            try:
                found.append(make(self.kind))
            except plain.Unsupported:
                found.append(None)
        return found[0], found[1]

    def _plainly(self, which: int) -> Callable[[Any], Any] | None:
        """The plain reader (0) or writer (1), while they cost less than pydantic would."""
        if self._plain_uses >= PLAIN_USES or "adapter" in vars(self):
            return None
        self._plain_uses += 1
        return self._plain[which]

    def decode(self, data: object, name: str, hint: str) -> T:
        """The value `data` holds; StateError names `name`, where the problem is, and what it is."""
        read = self._plainly(0)
        if read is not None:
            try:
                value: T = read(data)
                return value
            except plain.Unsure:
                pass  # pydantic says what is wrong, if anything is
        try:
            return self.adapter.validate_python(data)
        except _ValidationError as error:
            raise state_error(error, name, hint) from None

    def encode(self, value: T) -> Any:
        """`value` as plain JSON data (dicts, lists, text, numbers), instants spelled as above."""
        write = self._plainly(1)
        if write is None:
            return self.adapter.dump_python(value, mode="json")
        return write(value)
