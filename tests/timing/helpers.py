"""Shared shorthands for the timing tests: UTC instants as short strings, fire lists."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from gitcron.timing import Fire, Timing, next_fires
from support import utc

__all__ = ["at", "fires", "iso", "local", "utc"]


def iso(instant: datetime) -> str:
    """An aware instant as 'YYYY-MM-DDTHH:MMZ' (seconds only when not zero)."""
    moment = instant.astimezone(UTC)
    pattern = "%Y-%m-%dT%H:%MZ" if moment.second == 0 else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(pattern)


def at(*clock: str) -> tuple[time, ...]:
    """at('02:30', '09:00') -> the times tuple of a named form."""
    return tuple(time.fromisoformat(c) for c in clock)


def fires(timing: Timing, after: str, n: int) -> list[str]:
    """The next n runnable fires after a UTC instant, as short UTC strings."""
    return [iso(f.at) for f in next_fires(timing, utc(after), n)]


def local(fire: Fire, zone: str) -> str:
    """A fire's wall-clock reading with offset, for readable assertions."""
    return fire.at.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")
