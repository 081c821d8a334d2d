"""The values a status page shows, already worded for people: the templates only lay them out.

Instants come as `When` (the schedule's own zone, and UTC); a page's path comes from `page_of`,
which gives none to a name no schedule file can have, so no value from history decides where a
file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from gitcron.config.fields import zone
from gitcron.site.calendar import Day
from gitcron.site.ticks import Health

WINDOW_DAYS = 90


@dataclass(frozen=True, slots=True)
class When:
    """One instant as people read it: in the schedule's zone, and in UTC."""

    local: str
    utc: str
    iso: str  # for <time datetime=...>

    @classmethod
    def of(cls, instant: datetime, zone_key: str) -> When:
        local = instant.astimezone(zone(zone_key))
        at = instant.astimezone(UTC)
        text = f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"
        return cls(text, f"{at:%Y-%m-%d %H:%M} UTC", at.strftime("%Y-%m-%dT%H:%M:%SZ"))


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    target: str
    status: str
    text: str  # the error, or where it went


@dataclass(frozen=True, slots=True)
class RunRow:
    schedule: str
    page: str | None
    fire: When
    started: When
    status: str
    trigger: str
    attempt: int
    deliveries: tuple[DeliveryRow, ...]
    why: str  # the error, or the note of a skipped or missed fire

    @property
    def bad(self) -> bool:
        return self.status in ("failed", "partial", "missed")


@dataclass(slots=True)
class ScheduleRow:
    id: str
    customer: str
    file: str
    page: str | None  # path of its page, relative to the site's root
    zone: str = "UTC"
    description: str = ""
    what: str = ""
    sends_to: list[str] = field(default_factory=list)
    status: str = "new"  # active, paused, completed, failed, invalid, or new (not ticked yet)
    next_run: When | None = None
    next_note: str = ""
    retry: When | None = None
    last_status: str | None = None
    last_when: When | None = None
    success_rate: float | None = None
    runs: int = 0
    recent: list[RunRow] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rate_text(self) -> str:
        if self.success_rate is None:
            return "no runs yet"
        return f"{self.success_rate:.0%} of {self.runs}"


@dataclass(slots=True)
class Site:
    now: When
    health: Health
    schedules: list[ScheduleRow]
    trouble: list[RunRow]  # failed, partial and missed, newest first
    days: list[Day]
    problems: list[str]  # gitcron.yaml's, damaged state files, unreadable history lines
    failed_runs: int = 0  # runs whose last attempt failed or was partial, in the window
    missed_fires: int = 0
    window_days: int = WINDOW_DAYS


def page_of(sid: str) -> str | None:
    """`schedules/acme/weekly.html`; None for an id no schedule file can have (from history)."""
    parts = sid.split("/")
    if len(parts) < 2 or not all(_safe(p) for p in parts):
        return None
    return "schedules/" + "/".join(parts) + ".html"


def _safe(part: str) -> bool:
    return bool(part) and part[0].isalnum() and all(c.isalnum() or c in "._-" for c in part)
