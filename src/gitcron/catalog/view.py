"""What the planner needs of one schedule, as plain picklable values (the parse cache holds these).

A tick plans every schedule but runs only a few, so planning works from this small view and only
the schedules that run are read in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from gitcron.catalog.anchor import interval_anchor
from gitcron.catalog.build import form_of, local_instant, zone_name
from gitcron.config.fields import zone
from gitcron.config.settings import Settings
from gitcron.state.fingerprint import fingerprint
from gitcron.timing.spec import ClosedDays, Form, Interval, Timing

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule

Catchup = Literal["latest", "all", "none"]
_NO_ANCHOR = datetime(1970, 1, 1, tzinfo=UTC)  # replaced by the state's first_seen day


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """One valid schedule, reduced to its timing, lifecycle and retry policy."""

    id: str
    file: str
    fingerprint: str
    zone: str
    form: Form  # an Interval's anchor is a placeholder: see `timing`
    skip: tuple[tuple[str, str], ...]
    on_closed: Literal["skip", "next-open-day"]
    start: datetime | None
    until: datetime | None
    paused: bool
    catchup: Catchup
    max_delay: timedelta
    max_runs: int | None
    retry_attempts: int
    retry_backoff: timedelta
    targets: tuple[str, ...]  # "channel:destination" of each delivery, in file order

    @property
    def customer(self) -> str:
        return self.id.split("/", 1)[0]

    def timing(self, closed: ClosedDays | None, first_seen: datetime) -> Timing:
        """The timing engine's input; an interval counts from `interval_anchor` of first_seen.

        `closed` is `closed_days_of(self.skip, settings)`, which the caller shares per list.
        """
        tz = zone(self.zone)
        form = self.form
        if isinstance(form, Interval):
            form = Interval(form.every, interval_anchor(self.zone, self.start, first_seen))
        return Timing(
            form=form,
            zone=tz,
            closed=closed,
            on_closed=self.on_closed,
            start=self.start,
            until=self.until,
        )


def target_key(channel: str, destination: str) -> str:
    """How state and records name one delivery target: `email:ops@acme.com`."""
    return f"{channel}:{destination}"


def timing_fingerprint(schedule: Schedule, settings: Settings) -> str:
    """Changes exactly when the schedule's fires would: form, zone, window, closed days."""
    calendars = {
        name: settings.calendars[name].model_dump(mode="json")
        for kind, name in schedule.skip
        if kind == "calendar" and name in settings.calendars
    }
    spec = {
        "schedule": schedule.schedule.model_dump(mode="json", exclude_none=True),
        "timezone": zone_name(schedule, settings),
        "skip": [list(item) for item in schedule.skip],
        "on_closed": schedule.on_closed,
        "active": schedule.active.model_dump(mode="json") if schedule.active else None,
        "calendars": calendars,
    }
    return fingerprint(spec)


def view_of(sid: str, file: str, schedule: Schedule, settings: Settings) -> ScheduleView:
    """The planner's view of a validated schedule, with gitcron.yaml's defaults filled in."""
    name = zone_name(schedule, settings)
    active = schedule.active
    defaults = settings.defaults
    retry = schedule.retry or defaults.retry
    return ScheduleView(
        id=sid,
        file=file,
        fingerprint=timing_fingerprint(schedule, settings),
        zone=name,
        form=form_of(schedule, _NO_ANCHOR),
        skip=tuple(schedule.skip),
        on_closed=schedule.on_closed,
        start=local_instant(active.start, name) if active and active.start else None,
        until=local_instant(active.until, name) if active and active.until else None,
        paused=schedule.paused,
        catchup=schedule.catchup or defaults.catchup,
        max_delay=schedule.max_delay or defaults.max_delay,
        max_runs=schedule.max_runs,
        retry_attempts=retry.attempts,
        retry_backoff=retry.backoff,
        targets=tuple(target_key(d.channel, d.target()) for d in schedule.deliver),
    )
