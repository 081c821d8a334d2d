"""Warnings about when a schedule will really run: closed days, and fires already in the past.

Each function returns sentences for the preview; none reads the clock (`now` is passed in).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gitcron.config.settings import Settings
from gitcron.schedule import Schedule
from gitcron.timing import Fire, Timing, iter_fires
from gitcron.timing.spec import Once
from gitcron.timing.words import duration_words, listing

YEAR = timedelta(days=366)
MAX_SCANNED = 1500  # fires looked at for closed days: a year of daily runs, days of 15-minute ones
_SHOWN = 3


def upcoming(timing: Timing, after: datetime, count: int) -> list[Fire]:
    """The next `count` runs, with the calendar-skipped fires between them (as `gitcron next`)."""
    found: list[Fire] = []
    runs = 0
    for fire in iter_fires(timing, after):
        if fire.at - after > YEAR and found:
            break
        found.append(fire)
        runs += fire.closed is None
        if runs == count or len(found) >= MAX_SCANNED:
            break
    return found


def closed_notes(timing: Timing, now: datetime) -> list[str]:
    """Fires of the coming year that a calendar skips or moves, a few named."""
    if timing.closed is None:
        return []
    skipped: list[Fire] = []
    moved: list[Fire] = []
    for index, fire in enumerate(iter_fires(timing, now)):
        if fire.at - now > YEAR or index >= MAX_SCANNED:
            break
        if fire.closed is not None:
            skipped.append(fire)
        elif fire.at != fire.nominal:
            moved.append(fire)
    notes = []
    if skipped:
        days = [f"{_day(f.at, timing)} ({f.closed})" for f in skipped[:_SHOWN]]
        notes.append(
            f"{_runs(len(skipped))} in the coming year fall on closed days and are skipped: "
            + _some(days, len(skipped))
        )
    if moved:
        days = [f"{_day(f.nominal, timing)} to {_day(f.at, timing)}" for f in moved[:_SHOWN]]
        notes.append(
            f"{_runs(len(moved))} in the coming year move to the next open day: "
            + _some(days, len(moved))
        )
    return notes


def _runs(count: int) -> str:
    return f"{count} run{'s' if count != 1 else ''}"


def _day(instant: datetime, timing: Timing) -> str:
    return f"{instant.astimezone(timing.zone):%a %Y-%m-%d}"


def _some(items: list[str], total: int) -> str:
    more = total - len(items)
    return listing([*items, f"{more} more"] if more else items)


def first_run_notes(
    schedule: Schedule, timing: Timing, settings: Settings, now: datetime, last: datetime | None
) -> list[str]:
    """For a new schedule: which past fires the next tick will catch up, and which never run."""
    if schedule.paused or last is None:
        return []  # before the repo's first tick nothing is due: the preview says so once
    local_last = f"{last.astimezone(timing.zone):%Y-%m-%d %H:%M %Z}"
    form = timing.form
    if isinstance(form, Once):
        due = next(iter_fires(timing, last), None)
        if due is not None and due.at <= now:
            return [f"its time has passed, but after the last tick ({local_last}): " + _late(
                schedule, settings, 1)]  # fmt: skip
        if due is None:
            return [f"its time has passed, before the last tick ({local_last}): it will never run"]
        return []
    if timing.start is None or timing.start > now:
        return []
    notes = [
        f"active.from ({timing.start.astimezone(timing.zone):%Y-%m-%d %H:%M %Z}) is in the past:"
        f" fires before the last tick ({local_last}) are not run"
    ]
    pending = [f for f in _between(timing, max(last, timing.start), now) if f.closed is None]
    if pending:
        late = _late(schedule, settings, len(pending))
        notes.append(f"{_runs(len(pending))} since the last tick: {late}")
    return notes


def _between(timing: Timing, after: datetime, until: datetime) -> list[Fire]:
    found: list[Fire] = []
    for fire in iter_fires(timing, after):
        if fire.at > until or len(found) >= MAX_SCANNED:
            break
        found.append(fire)
    return found


def _late(schedule: Schedule, settings: Settings, count: int) -> str:
    """What the next tick does with `count` fires that are already due."""
    catchup = schedule.catchup or settings.defaults.catchup
    limit = duration_words(schedule.max_delay or settings.defaults.max_delay, floor_minutes=True)
    late = f"a fire more than {limit} old by then (max_delay) is recorded as missed instead"
    if catchup == "none":
        return "with catchup: none the next tick records it as missed"
    if catchup == "latest" and count > 1:
        return f"the next tick runs the newest once (catchup: latest), the rest are missed; {late}"
    return f"the next tick runs {'it' if count == 1 else 'each'} late; {late}"
