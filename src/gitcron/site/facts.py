"""What the status site shows, gathered once from the schedule files, `state/` and history.

Everything here is plain values (strings already worded for people, instants in the schedule's
zone and in UTC); the templates only lay them out, so what a page says is tested here. History is
read for the last `WINDOW` days only, one record at a time, so a year of history is never held.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from gitcron.catalog.anchor import FirstSeen, first_seen_for
from gitcron.catalog.build import timing_for, zone_name
from gitcron.catalog.load import Entry, load
from gitcron.config.problems import Problem, format_text, ordered
from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.schedule import Schedule
from gitcron.site.calendar import Tally as DayTally
from gitcron.site.calendar import count, days_of
from gitcron.site.model import (
    WINDOW_DAYS,
    DeliveryRow,
    RunRow,
    ScheduleRow,
    Site,
    When,
    page_of,
)
from gitcron.site.ticks import health
from gitcron.state import Record, ScheduleState, StateError, StateStore
from gitcron.state.history import ReadStats, iter_records
from gitcron.state.stats import Tally
from gitcron.timing import iter_fires

WINDOW = timedelta(days=WINDOW_DAYS)
RECENT = 30  # runs listed on a schedule's page
TROUBLE = 200  # failed and missed runs listed on the index at most
_AHEAD = timedelta(days=400)  # no next run within this: "no more runs"


def gather(root: Path, now: datetime) -> Site:
    """Every fact the site shows, at `now`."""
    catalog = load(root, now)
    settings = catalog.settings
    problems = [_problem_line(p) for p in ordered(catalog.settings_problems)]
    states, state_problems = _states(root, {e.customer for e in catalog.entries})
    problems += state_problems
    rows = {e.id: _row(e, states, settings, root, now) for e in catalog.entries}
    since = now - WINDOW
    read = ReadStats()
    tallies: dict[str, Tally] = {}
    recent: dict[str, list[Record]] = defaultdict(list)
    by_day: dict[str, DayTally] = defaultdict(dict)
    everything: DayTally = {}
    trouble: list[Record] = []
    for record in iter_records(root, since=since.date(), stats=read):
        if record.started < since or record.started > now:
            continue
        tallies.setdefault(record.schedule, Tally(record.schedule)).add(record)
        kept = recent[record.schedule]
        kept.append(record)
        if len(kept) > 2 * RECENT:
            del kept[:RECENT]
        count(by_day[record.schedule], record)
        count(everything, record)
        if record.status in ("failed", "partial", "missed"):
            trouble.append(record)
            if len(trouble) > 2 * TROUBLE:
                trouble.sort(key=_newest)
                del trouble[TROUBLE:]
    if read.count:
        problems.append(
            f"{read.count} history line(s) could not be read (first: {read.skipped[0]}); "
            "`gitcron state check` lists them and `gitcron state repair` sets them aside"
        )
    zones = {sid: row.zone for sid, row in rows.items()}
    results = {sid: tally.result() for sid, tally in tallies.items()}
    for sid, row in rows.items():
        if sid in results:
            row.success_rate, row.runs = results[sid].success_rate, results[sid].runs
        mine = sorted(recent.get(sid, []), key=_newest)
        row.recent = [_run_row(r, row.zone) for r in mine[:RECENT]]
        if mine:
            row.last_status, row.last_when = mine[0].status, When.of(mine[0].fire, row.zone)
        row.days = days_of(by_day.get(sid, {}), now, WINDOW.days)
    trouble = _last_attempts(trouble)
    interval, stale = settings.tick, settings.liveness.stale_after
    return Site(
        now=When.of(now, "UTC"),
        health=health(root, now, interval, stale),
        schedules=sorted(rows.values(), key=lambda r: r.id),
        trouble=[_run_row(r, zones.get(r.schedule, "UTC")) for r in trouble[:TROUBLE]],
        days=days_of(everything, now, WINDOW.days),
        problems=problems,
        failed_runs=sum(stats.failed + stats.partial for stats in results.values()),
        missed_fires=sum(stats.missed for stats in results.values()),
    )


def _newest(record: Record) -> tuple[float, int]:
    """A sort key putting the newest attempt first."""
    return (-record.started.timestamp(), -record.attempt)


def _last_attempts(records: list[Record]) -> list[Record]:
    """Newest first, each run once: its latest attempt (the earlier ones failed the same way,
    and its own page lists them)."""
    seen: set[str] = set()
    kept = []
    for record in sorted(records, key=_newest):
        if record.run_id not in seen:
            seen.add(record.run_id)
            kept.append(record)
    return kept


def _states(root: Path, customers: set[str]) -> tuple[dict[str, ScheduleState], list[str]]:
    store = StateStore(root)
    found: dict[str, ScheduleState] = {}
    problems = []
    for customer in sorted(customers | set(store.customers())):
        try:
            states = store.load_customer(customer)
        except StateError as error:
            problems.append(f"{error.message} (its customer's schedules do not run until fixed)")
            continue
        except ValueError:
            continue
        found |= {f"{customer}/{name}": state for name, state in states.items()}
    return found, problems


def _row(
    entry: Entry, states: dict[str, ScheduleState], settings: Settings, root: Path, now: datetime
) -> ScheduleRow:
    row = ScheduleRow(entry.id, entry.customer, entry.file, page_of(entry.id))
    schedule = entry.schedule
    if schedule is None or not entry.ok:
        row.status = "invalid"
        row.problems = [_problem_line(p) for p in ordered(entry.problems) if p.severity == "error"]
        row.next_note = "does not run until its file is fixed"
        return row
    row.zone = zone_name(schedule, settings)
    named = schedule.customer_file.name if schedule.customer_file else None
    if named and named != entry.customer:  # the customer file's name, with the folder's id
        row.customer = f"{named} ({entry.customer})"
    row.description = schedule.description or ""
    row.what = what(schedule)
    row.sends_to = [f"{d.channel}: {d.target()}" for d in schedule.deliver]
    state = states.get(entry.id)
    row.status = "paused" if schedule.paused else (state.status if state else "new")
    if state is not None and state.pending_retry is not None:
        row.retry = When.of(state.pending_retry.due, row.zone)
    if schedule.paused:
        row.next_note = "paused: no runs until resumed"
        return row
    if state is not None and state.status == "completed":
        row.next_note = f"completed: {state.completed_reason or 'no more runs'}"
        return row
    try:
        first_seen = first_seen_for(entry.id, schedule, FirstSeen(root, now, settings.tick), now)
        timing = timing_for(schedule, settings, first_seen)
        for fire in iter_fires(timing, now):
            if fire.at - now > _AHEAD:
                break
            if fire.closed is None:
                row.next_run = When.of(fire.at, row.zone)
                break
    except GitcronError as error:
        row.next_note = error.message
        return row
    if row.next_run is None:
        row.next_note = "no more runs"
    return row


def what(schedule: Schedule) -> str:
    """`xlsx of products`, `event report.daily`: the job in a few words."""
    if schedule.report is not None:
        return f"{schedule.report.format} of {schedule.report.dataset}"
    if schedule.event is not None:
        return f"event {schedule.event.type}"
    return ""


def _run_row(record: Record, zone_key: str) -> RunRow:
    deliveries = tuple(
        DeliveryRow(d.target, d.status, " ".join((d.error or d.note or "").split()))
        for d in record.deliveries
    )
    why = record.error or record.note or ""  # a delivery's error is on its delivery
    return RunRow(
        schedule=record.schedule,
        page=page_of(record.schedule),
        fire=When.of(record.fire, zone_key),
        started=When.of(record.started, zone_key),
        status=record.status,
        trigger=record.trigger,
        attempt=record.attempt,
        deliveries=deliveries,
        why=" ".join(why.split()),
    )


def _problem_line(problem: Problem) -> str:
    """A problem on one line: `file:line:col: error: where: message fix: how`."""
    return " ".join(format_text(problem).split())
