"""What "now" is: the one place the real clock is read, overridable by --at or GITCRON_NOW."""

from __future__ import annotations

from datetime import UTC, datetime

from gitcron.errors import UsageError


def parse_instant(text: str, what: str = "--at") -> datetime:
    """An ISO 8601 instant; without an offset it is taken as UTC, as GitHub's clocks are."""
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise UsageError(
            f"{what}: '{text}' is not an ISO 8601 date and time",
            "write it like 2026-11-23T09:00:00Z or 2026-11-23T09:00:00-05:00",
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now(override: str | None) -> datetime:
    return parse_instant(override) if override else datetime.now(UTC)
