"""Checks that need more than one field: the schedule against gitcron.yaml, the clock and itself."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from gitcron.catalog import rehearsal
from gitcron.catalog.anchor import FirstSeenOf, first_seen_for
from gitcron.catalog.build import timing_for
from gitcron.catalog.job_checks import delivery_problems, job_problems
from gitcron.config.fields import did_you_mean
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.schedule import Schedule
from gitcron.timing import Timing, check_cron, holiday_country_problem, min_gap, next_fires
from gitcron.timing.spec import MonthlyDay
from gitcron.timing.words import duration_words, listing

Found = Iterator[Problem]
_cron_verdict = functools.lru_cache(maxsize=4096)(check_cron)
_min_gap = functools.lru_cache(maxsize=4096)(min_gap)  # schedules share forms


@functools.lru_cache(maxsize=4096)  # and timings: validate asks at one instant
def _fires_again(timing: Timing, now: datetime) -> bool:
    return bool(next_fires(timing, now, 1))


def check(
    file: str,
    sid: str,
    schedule: Schedule,
    settings: Settings,
    now: datetime,
    settings_ok: bool,
    first_seen: FirstSeenOf | None = None,
    rehearse: Path | None = None,
) -> Found:
    """Every cross-field problem of one schedule; names in a broken gitcron.yaml are not judged.
    With `rehearse` (the repository), its templates are rendered for its next runs
    (`catalog.rehearsal`).

    `first_seen` (a `catalog.anchor.FirstSeen`) says where an `every:` counts from, as the tick
    will; without it, from the day of a tick at `now`.
    """
    yield from _customer(file, sid, schedule)
    calendar_problems = list(_calendars(file, schedule, settings, settings_ok))
    yield from calendar_problems
    seen = first_seen_for(sid, schedule, first_seen, now)
    timing: list[Timing] = []
    yield from _when(file, schedule, settings, now, seen, not calendar_problems, timing)
    jobs = list(job_problems(file, schedule, settings, settings_ok))
    yield from jobs
    yield from delivery_problems(file, schedule)
    if rehearse and timing and settings_ok and not any(p.severity == "error" for p in jobs):
        yield from rehearsal.rehearse(file, sid, schedule, settings, timing[0], now, rehearse)


def _customer(file: str, sid: str, schedule: Schedule) -> Found:
    folder = sid.split("/", 1)[0]
    if schedule.customer and schedule.customer != folder:
        yield Problem(
            file,
            f"the customer '{schedule.customer}' does not match the folder '{folder}'",
            ("customer",),
            f"move the file to schedules/{schedule.customer}/ or remove this line",
            kind="target",
        )


def _when(
    file: str,
    schedule: Schedule,
    settings: Settings,
    now: datetime,
    first_seen: datetime,
    calendars: bool,
    made: list[Timing],
) -> Found:
    """Timing problems; the timing itself is added to `made` when it can be made."""
    when, loc = schedule.schedule, ("schedule",)
    if when.cron is not None:
        verdict = _cron_verdict(when.cron)
        if verdict.error:
            yield Problem(file, verdict.error, (*loc, "cron"), verdict.hint, kind="timing")
            return
        for warning in verdict.warnings:
            yield Problem(file, warning, (*loc, "cron"), severity="warning", kind="timing")
    timing = timing_for(schedule, settings, first_seen, calendars=calendars)
    made.append(timing)
    gap = _min_gap(timing.form)
    if gap is not None and gap < settings.tick:
        yield Problem(
            file,
            f"this fires every {_every(gap)}, more often than gitcron's tick"
            f" (every {_every(settings.tick)})",
            loc,
            f"fire at most once every {_every(settings.tick)}",
            kind="timing",
        )
    if isinstance(timing.form, MonthlyDay) and timing.form.day > 28:
        yield Problem(
            file,
            f"months without a day {timing.form.day} are skipped",
            (*loc, "monthly", "on"),
            "use 'last day' to run at the end of every month",
            severity="warning",
            kind="timing",
        )
    if schedule.paused:
        return
    if timing.until is not None and timing.until <= now:
        yield Problem(
            file,
            "the active window has ended: this schedule will not run again",
            ("active", "until"),
            "move 'until' later, or delete the file",
            severity="warning",
            kind="timing",
        )
    elif (schedule.skip or schedule.active or when.once) and not _fires_again(timing, now):
        # without calendars or a window, every form that passed the checks above fires again
        what = (
            "this time has passed"
            if when.once
            else "no run falls inside the active window"
            if schedule.active
            else "every day it would run on is closed by its calendars"
        )
        yield Problem(
            file,
            f"{what}: it will never run",
            loc,
            "check the dates",
            severity="warning",
            kind="timing",
        )


def _every(delta: timedelta) -> str:
    """Said after 'every': 'minute' alone; whole minutes, as cron counts; hours at most."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 2:  # 'every minute', and a gap under one counts as '0 minutes'
        return "minute" if minutes == 1 else f"{minutes} minutes"
    return duration_words(delta, days=False, floor_minutes=True)


def _calendars(file: str, schedule: Schedule, settings: Settings, settings_ok: bool) -> Found:
    for index, (kind, value) in enumerate(schedule.skip):
        loc = ("skip", index)
        if kind == "holidays":
            problem = holiday_country_problem(value)
            if problem:
                yield Problem(
                    file,
                    problem,
                    (*loc, "holidays"),
                    "use a code like US, GB-ENG or DE-BY",
                    kind="timing",
                )
        elif kind == "calendar" and settings_ok and value not in settings.calendars:
            names = list(settings.calendars)
            hint = did_you_mean(value, [*names, "weekends"]) or (
                f"use weekends, holidays: <country>, or one of {listing(names, 'or')}"
                if names
                else "use weekends or holidays: <country>, or define it under calendars: in"
                " gitcron.yaml"
            )
            yield Problem(file, f"there is no calendar named '{value}'", loc, hint, kind="timing")
    if schedule.on_closed != "skip" and not schedule.skip:
        yield Problem(
            file,
            "on_closed has no effect without skip",
            ("on_closed",),
            "add skip: [weekends] (or another calendar), or remove on_closed",
            severity="warning",
        )
