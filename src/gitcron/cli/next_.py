"""`gitcron next ID`: exactly when a schedule will fire, in its own timezone and in UTC.

The fires are the tick's: an `every:` schedule counts from where the tick counts (its state, or
the tick expected to see it first), so `next` never lists a run the tick will not make.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from gitcron.catalog.anchor import FirstSeen, first_seen_for
from gitcron.catalog.build import timing_for, zone_name
from gitcron.catalog.files import schedule_path
from gitcron.catalog.load import load_entry, load_settings
from gitcron.cli import options, output
from gitcron.cli.options import Env
from gitcron.clock import parse_instant
from gitcron.config.problems import format_text
from gitcron.errors import GitcronError
from gitcron.timing import Fire, Timing, iter_fires


def run(root: Path, now: datetime, sid: str, count: int, after: datetime | None, fmt: str) -> int:
    sid = options.known_id(root, sid)
    path = schedule_path(root, sid)
    settings, _ = load_settings(root)
    entry = load_entry(root, path, settings, now)
    assert entry is not None
    if entry.schedule is None or not entry.ok:
        errors = "\n".join(format_text(p) for p in entry.problems if p.severity == "error")
        raise GitcronError(f"{entry.file} has problems:\n{errors}", "fix them, then try again")
    schedule = entry.schedule
    first_seen = first_seen_for(sid, schedule, FirstSeen(root, now, settings.tick), now)
    timing = timing_for(schedule, settings, first_seen)
    fires = [] if schedule.paused else _upcoming(timing, after or now, count)
    runs = [f for f in fires if f.closed is None]
    zone = zone_name(schedule, settings)
    if fmt == "json":
        payload: dict[str, object] = {
            "schedule": sid,
            "timezone": zone,
            "runs": [f.at.astimezone(timing.zone).isoformat() for f in runs],
        }
        skipped = [
            {"at": f.at.astimezone(timing.zone).isoformat(), "reason": f.closed}
            for f in fires
            if f.closed
        ]
        payload |= {"skipped": skipped} if skipped else {}
        output.say(json.dumps(payload | ({"paused": True} if schedule.paused else {})))
        return 0
    output.say(f"{sid} ({zone})" + ("  paused: no runs until resumed" if schedule.paused else ""))
    for fire in fires:
        output.say(_line(fire, timing))
    if not runs and not schedule.paused:
        output.say("  no more runs")
    return 0


_GIVE_UP = timedelta(days=366)  # no calendar closes a whole year: after that, no run comes


def _upcoming(timing: Timing, after: datetime, count: int) -> list[Fire]:
    """The next `count` runs, with the calendar-skipped fires between them."""
    found: list[Fire] = []
    skipped: list[Fire] = []
    runs = 0
    for fire in iter_fires(timing, after):
        if fire.closed is None:
            found += [*skipped, fire]
            skipped = []
            runs += 1
            if runs == count:
                return found
        elif skipped and fire.at - skipped[0].at > _GIVE_UP:
            break  # a year of closed days: no run will come, say why with the first few
        else:
            skipped.append(fire)
    return found + skipped[:count]


def _line(fire: Fire, timing: Timing) -> str:
    local = fire.at.astimezone(timing.zone)
    text = f"  {local:%a %Y-%m-%d %H:%M %Z}   {fire.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if fire.closed:
        return f"{text}  skipped: {fire.closed}"
    if fire.at != fire.nominal:
        nominal = fire.nominal.astimezone(timing.zone)
        return f"{text}  (moved from {nominal:%a %Y-%m-%d}, a closed day)"
    return text


@click.command("next")
@click.argument("schedule")
@click.option("-n", "count", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--after", metavar="ISO", help="List runs after this instant (default: now).")
@options.text_or_json
@click.pass_obj
def command(env: Env, schedule: str, count: int, after: str | None, fmt: str) -> int:
    """Show the next runs of SCHEDULE (an id like acme-corp/weekly-products)."""
    start = parse_instant(after, "--after") if after else None
    return run(env.root, env.now, schedule, count, start, fmt)
