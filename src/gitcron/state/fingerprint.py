"""A short, stable identity of a schedule's timing, so the engine notices when a timing changed.

The hash is of a canonical JSON text (sorted keys, no spaces, ASCII), never of Python's `hash()`,
so the same settings give the same fingerprint on every run, machine and Python version.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

LENGTH = 16  # hex digits kept: 64 bits, plenty to tell one schedule's versions apart


def fingerprint(timing_spec: object) -> str:
    """First 16 hex digits of sha256 over the canonical JSON of the timing-relevant settings."""
    return hashlib.sha256(canonical_json(timing_spec).encode("ascii")).hexdigest()[:LENGTH]


def canonical_json(value: object) -> str:
    """One text per value: sorted keys, compact, ASCII; tuples as lists, sets sorted, times ISO."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
        default=_plain,
    )


def _plain(value: Any) -> Any:
    """What json cannot write itself, as plain JSON values (json.dumps calls this for those)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    if isinstance(value, ZoneInfo):
        return value.key
    if isinstance(value, set | frozenset):
        return sorted(value, key=canonical_json)
    raise TypeError(f"fingerprint: cannot encode {type(value).__name__}: {value!r}")
