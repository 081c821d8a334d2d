"""Splitting a report's rows into one file per value of a column, in one streamed pass.

The rows must come ordered by the split column (the dataset's ORDER BY): each run of equal
values is rendered to its own file as it streams by, one writer open at a time, so the memory
bound of a report holds for any number of rows. A value met again after another one means the
order is wrong, and the run fails permanently rather than send a part with rows missing. Each
part lists its recipients: the schedule's `to:` for its value, plus the addresses its rows give
in `to_column` that `allow:` matches; the others are refused, by name, never sent to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitcron.config.addresses import parse_email
from gitcron.config.burst import Burst
from gitcron.core.artifact import JobError

Row = Sequence[Any]
Write = Callable[[Iterator[Row], Path], int]  # render rows to the file, return their count
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Part:
    """One value's file and who may receive it."""

    value: str
    path: Path
    rows: int
    recipients: tuple[str, ...]
    refused: tuple[str, ...]  # addresses from the data outside `allow:`


def split(
    columns: Sequence[str], rows: Iterable[Row], burst: Burst, folder: Path, write: Write
) -> list[Part]:
    """Every part, in the order the values came; JobError (permanent) when the rows are out of
    order, the split column is missing or there are more parts than `max_parts`."""
    by, column = _index(columns, burst.by), _index(columns, burst.to_column)
    assert by is not None
    parts: list[Part] = []
    seen: set[str] = set()
    stream = _Stream(rows)
    while stream.head is not None:
        value = _text(stream.head[by])
        if value in seen:
            raise JobError(
                f"the rows are not ordered by {burst.by}: '{value}' comes again after other"
                " values, so its part would miss rows",
                f"order the dataset by {burst.by} (ORDER BY {burst.by} in its query)",
                permanent=True,
            )
        if len(parts) == burst.max_parts:
            raise JobError(
                f"{burst.by} has more than {burst.max_parts} values: nothing was sent",
                "raise max_parts under burst:, or filter the dataset",
                permanent=True,
            )
        seen.add(value)
        found: set[str] = set()
        path = folder / f"{len(parts) + 1:04d}-{_UNSAFE.sub('_', value)[:60] or '_'}"
        count = write(stream.group(by, value, column, found), path)
        parts.append(_part(value, path, count, burst, found))
    return parts


class _Stream:
    """The rows, read once: `head` is the next row not yet handed to a part."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = iter(rows)
        self.head: Row | None = next(self.rows, None)

    def group(self, by: int, value: str, column: int | None, found: set[str]) -> Iterator[Row]:
        """The rows from `head` on while the split column holds `value`; the addresses of
        `column` go into `found` as they pass."""
        while self.head is not None and _text(self.head[by]) == value:
            row = self.head
            if column is not None and row[column]:
                found.add(str(row[column]).strip())
            yield row
            self.head = next(self.rows, None)


def _part(value: str, path: Path, count: int, burst: Burst, found: set[str]) -> Part:
    named = list((burst.to or {}).get(value, ()))
    allowed: list[str] = []
    refused: list[str] = []
    for address in sorted(found):
        (allowed if _valid(address) and burst.allows(address) else refused).append(address)
    recipients = tuple(dict.fromkeys([*named, *allowed]))
    return Part(value, path, count, recipients, tuple(refused))


def _valid(address: str) -> bool:
    try:
        return parse_email(address) == address and "<" not in address
    except ValueError:
        return False


def _index(columns: Sequence[str], name: str | None) -> int | None:
    if name is None:
        return None
    if name not in columns:
        raise JobError(
            f"the dataset has no column named {name}",
            f"use one of {', '.join(columns)} under burst:",
            permanent=True,
        )
    return list(columns).index(name)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
