"""Instants as state stores them, and typed reads of parsed JSON that say where a value is wrong.

State and history keep every instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds): one
spelling, so equal instants are equal bytes and files diff cleanly. Run ids and delivered keys
are built from it here, in one place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from gitcron.state.files import StateError

INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def format_instant(instant: datetime) -> str:
    """An aware instant in UTC as `2026-11-22T14:00:00Z`; sub-second digits are dropped."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()}: state stores aware instants only")
    u = instant.astimezone(UTC)  # spelled out: twice as fast as strftime(INSTANT_FORMAT)
    return f"{u.year}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def parse_instant(text: str) -> datetime:
    """`2026-11-22T14:00:00Z` back to an aware UTC datetime; ValueError on any other spelling."""
    if not _INSTANT.fullmatch(text):
        raise ValueError(f"not a UTC instant like 2026-11-22T14:00:00Z: {text!r}")
    # the fields sit at fixed places; datetime() checks their ranges as strptime would, faster
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return datetime(year, month, day, int(text[11:13]), int(text[14:16]), int(text[17:19]), 0, UTC)


def make_run_id(schedule: str, fire: datetime) -> str:
    """`acme-corp/weekly@2026-11-23T15:00:00Z`: the same for every attempt of the same fire."""
    return f"{schedule}@{format_instant(fire)}"


def delivered_key(run_id: str, target: str) -> str:
    """The key of one (run, target) delivery in `ScheduleState.delivered`."""
    return f"{run_id}|{target}"


def shown(value: object) -> str:
    """A value as JSON, cut short, for error messages."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


class Fields:
    """Typed access to one JSON object of a state file; every error names file, path and value."""

    def __init__(self, data: object, name: str, path: str, hint: str) -> None:
        self.name, self.path, self.hint = name, path, hint
        if not isinstance(data, dict):
            raise self.error(f"expected an object, found {shown(data)}")
        self.data: dict[str, Any] = data
        self.seen: set[str] = set()

    def error(self, problem: str, key: str | None = None) -> StateError:
        where = ".".join(p for p in (self.path, key) if p) or "top level"
        return StateError(f"{self.name}: {where}: {problem}", self.hint)

    def _get(self, key: str) -> Any:
        self.seen.add(key)
        if key not in self.data:
            raise self.error("missing", key)
        return self.data[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(f"expected a string, found {shown(value)}", key)
        return value

    def opt_text(self, key: str) -> str | None:
        return None if self._get(key) is None else self.text(key)

    def choice(self, key: str, choices: Collection[str]) -> str:
        value = self.text(key)
        if value not in choices:
            raise self.error(f"expected one of {', '.join(choices)}, found {shown(value)}", key)
        return value

    def count(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(f"expected a whole number >= 0, found {shown(value)}", key)
        return value

    def opt_count(self, key: str) -> int | None:
        return None if self._get(key) is None else self.count(key)

    def instant(self, key: str) -> datetime:
        text = self.text(key)
        try:
            return parse_instant(text)
        except ValueError:
            raise self.error(
                f"expected a UTC instant like 2026-11-22T14:00:00Z, found {shown(text)}", key
            ) from None

    def opt_instant(self, key: str) -> datetime | None:
        return None if self._get(key) is None else self.instant(key)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"expected a list of strings, found {shown(value)}", key)
        return tuple(value)

    def child(self, key: str) -> Fields:
        return Fields(self._get(key), self.name, self._join(key), self.hint)

    def opt_child(self, key: str) -> Fields | None:
        return None if self._get(key) is None else self.child(key)

    def children(self, key: str) -> list[Fields]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"expected a list, found {shown(value)}", key)
        return [
            Fields(v, self.name, f"{self._join(key)}[{i}]", self.hint) for i, v in enumerate(value)
        ]

    def done(self) -> None:
        """Refuse keys nobody read: a typo in a hand edit must not pass as a missing field."""
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise self.error(f"unknown key {shown(extra[0])}")

    def _join(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key
