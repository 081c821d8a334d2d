"""How state spells an instant: `YYYY-MM-DDTHH:MM:SSZ`, UTC, whole seconds, from 2000 to 2199.

One spelling, so equal instants are equal bytes and files diff cleanly. It lives apart from the
codec (`codec.py`, which builds on pydantic) so that what reads or writes an instant without the
models, as the quiet tick does with state/tick.json (`tick_file.py`), spells it the same way.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

# The bounds of an instant state accepts; far beyond anything a tick writes.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # instants: from here ...
LATEST = datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC)  # ... to here


def format_instant(instant: datetime) -> str:
    """An aware instant in UTC as `2026-11-22T14:00:00Z`; sub-second digits are dropped."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()}: state stores aware instants only")
    u = instant.astimezone(UTC)  # spelled out: twice as fast as strftime(INSTANT_FORMAT)
    return f"{u.year}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


@lru_cache(maxsize=4096)  # a state file repeats its instants (one tick's, one fire's) many times
def parse_instant(text: str) -> datetime:
    """`2026-11-22T14:00:00Z` back to an aware UTC datetime; ValueError on any other spelling."""
    if not _INSTANT.fullmatch(text):
        raise ValueError(f"not a UTC instant like 2026-11-22T14:00:00Z: {text!r}")
    # the fields sit at fixed places; datetime() checks their ranges as strptime would, faster
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return datetime(year, month, day, int(text[11:13]), int(text[14:16]), int(text[17:19]), 0, UTC)
