"""`gitcron history [ID]`: what ran, when and how it went; `--stats` sums it up per schedule.

Records are listed oldest first, newest last, like `git log --reverse` or `tail`: the newest
line ends up just above the prompt, where the eye is when the command returns, and `--limit`
keeps the newest N in that order.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import click

from gitcron.catalog.files import schedule_id, unknown
from gitcron.cli import history_summaries as summaries
from gitcron.cli import history_text as text
from gitcron.cli import options, output
from gitcron.cli.options import Env
from gitcron.clock import parse_instant
from gitcron.errors import UsageError
from gitcron.state import StateError
from gitcron.state.archive import Archived, archived_records
from gitcron.state.codec import format_instant
from gitcron.state.history import ReadStats, iter_records
from gitcron.state.model import ScheduleState
from gitcron.state.records import Record, record_to_json
from gitcron.state.stats import ScheduleStats, Tally

TEXT_LIMIT = 50  # records a terminal listing shows unless --limit says otherwise
_AGE = re.compile(r"(\d+)\s*([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def run(
    root: Path,
    target: str | None,
    stats: bool,
    fmt: str,
    since: datetime | None,
    limit: int | None,
) -> int:
    read = ReadStats()
    if stats and since is None:
        summed = summaries.summarised_stats(root, target)
        if summed is not None:  # every schedule asked about has a summary that counts it all
            _print_stats(*summed, fmt, target, since)
            return 0
    if limit is None:
        limit = TEXT_LIMIT if fmt == "text" else 0
    newest = None if stats or since else summaries.newest_records(root, target, limit, read)
    if newest is not None:
        _show_records(target, since, newest[0], fmt, limit, more=newest[1])
    else:
        _answer_from_day_files(root, target, stats, fmt, since, limit, read)
    if read.count:
        output.warn(
            f"skipped {read.count} unreadable history line{_s(read.count)} "
            f"(first: {read.skipped[0]})\n"
            "  hint: `gitcron state check` lists them; `gitcron state repair` sets them aside"
        )
    return 0


def _answer_from_day_files(
    root: Path,
    target: str | None,
    stats: bool,
    fmt: str,
    since: datetime | None,
    limit: int,
    read: ReadStats,
) -> None:
    elsewhere: list[Archived] = []
    records = _sorted(_select(root, target, since, read, elsewhere))
    if target:  # a mistyped id is an error; a deleted schedule's runs are still shown
        first = next(records, None)
        missing = unknown(root, target) if first is None else None
        if missing is not None:
            raise missing
        records = itertools.chain([] if first is None else [first], records)
    if stats:
        _show_stats(root, target, since, records, fmt)
    else:
        _show_records(target, since, records, fmt, limit)
    if elsewhere:
        output.warn(text.archived_note(elsewhere))


def parse_since(value: str, now: datetime) -> datetime:
    """`7d`, `12h`, `2w` back from now; a date (midnight UTC); or an ISO 8601 instant."""
    age = _AGE.fullmatch(value.strip().lower())
    if age:
        return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))})
    try:
        return parse_instant(value, "--since")
    except UsageError as error:
        raise UsageError(
            error.message, "write a date (2026-11-01), an instant, or an age like 7d, 12h, 2w"
        ) from None


def _select(
    root: Path,
    target: str | None,
    since: datetime | None,
    read: ReadStats,
    elsewhere: list[Archived],
) -> Iterator[Record]:
    """The records from `since` on: archived months stored in a local folder first, then the
    day files; archived months stored elsewhere (a bucket) are added to `elsewhere`."""
    exact = target if target and "/" in target else None
    prefix = f"{target}/" if target and "/" not in target else None
    day = since.date() if since else None  # `since` is UTC, as day files are
    archived, gone = archived_records(root, day, exact, prefix, read)
    elsewhere += gone
    days = iter_records(root, since=day, schedule=exact, stats=read, prefix=prefix)
    for record in itertools.chain(archived, days):
        if since and record.started < since:
            continue
        yield record


def _sorted(records: Iterable[Record]) -> Iterator[Record]:
    """By start, then schedule and attempt: day files are in order, so sort one day at a time."""
    for _, day in itertools.groupby(records, key=lambda r: r.day):
        yield from sorted(day, key=lambda r: (r.started, r.schedule, r.attempt))


def _show_records(
    target: str | None,
    since: datetime | None,
    records: Iterable[Record],
    fmt: str,
    limit: int,
    more: bool = False,
) -> None:
    """List `records` (the newest `limit` of them); `more`: the schedule has earlier ones than
    `records` holds, uncounted (read from its summary's days only)."""
    shown: deque[Record] = deque(maxlen=limit or None)
    total = 0
    for record in records:
        shown.append(record)
        total += 1
    if fmt == "json":
        output.say(json.dumps([record_to_json(r) for r in shown], indent=2, ensure_ascii=False))
        return
    if not shown:
        output.say(_nothing(target, since))
        return
    for line in text.record_table(shown):
        output.say(line)
    if more:
        output.say("(earlier records not shown; --limit 0 shows all)")
    elif total > len(shown):
        hidden = total - len(shown)
        output.say(f"({hidden:,} earlier record{_s(hidden)} not shown; --limit 0 shows all)")


def _show_stats(
    root: Path, target: str | None, since: datetime | None, records: Iterable[Record], fmt: str
) -> None:
    tallies: dict[str, Tally] = {}
    for record in records:
        tallies.setdefault(record.schedule, Tally(record.schedule)).add(record)
    states = summaries.states_for(root, target, {sid.split("/", 1)[0] for sid in tallies})
    for sid, state in states.items():
        if isinstance(state, ScheduleState) and sid not in tallies:
            tallies[sid] = Tally(sid)  # planned, never ran (in this window)
    _print_stats([tallies[sid].result() for sid in sorted(tallies)], states, fmt, target, since)


def _print_stats(
    results: list[ScheduleStats],
    states: summaries.States,
    fmt: str,
    target: str | None,
    since: datetime | None,
) -> None:
    if fmt == "json":
        payload = [_stats_json(s, states.get(s.schedule)) for s in results]
        output.say(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not results:
        output.say(_nothing(target, since))
        return
    for number, result in enumerate(results):
        output.say(("\n" if number else "") + "\n".join(text.stats_block(result, states)))


def _stats_json(
    stats: ScheduleStats, state: ScheduleState | StateError | None
) -> dict[str, object]:
    def instant(value: datetime | None) -> str | None:
        return None if value is None else format_instant(value)

    next_fire = state.next_fire if isinstance(state, ScheduleState) else None
    return {
        "schedule": stats.schedule,
        "runs": stats.runs,
        "attempts": stats.attempts,
        "outcomes": {
            "succeeded": stats.succeeded,
            "partial": stats.partial,
            "failed": stats.failed,
        },
        "skipped": stats.skipped,
        "missed": stats.missed,
        "records": stats.records,
        "rows": stats.rows,
        "success_rate": stats.success_rate,
        "avg_duration_ms": stats.avg_duration_ms,
        "p95_duration_ms": stats.p95_duration_ms,
        "last_success": instant(stats.last_success),
        "last_failure": instant(stats.last_failure),
        "next_fire": instant(next_fire),
    }


def _nothing(target: str | None, since: datetime | None) -> str:
    where = f" for {target}" if target else ""
    if since:
        return f"no runs recorded{where} since {text.utc(since)} UTC"
    return f"no runs recorded{where} yet (each tick writes what it ran to state/history/)"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


@click.command("history")
@click.argument("target", metavar="[ID]", required=False)
@click.option("--stats", is_flag=True, help="Sum up per schedule instead of listing records.")
@options.text_or_json
@click.option(
    "--since",
    metavar="WHEN",
    help="Only records started at or after WHEN: a date, an ISO instant, or an age (7d, 12h, 2w).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    metavar="N",
    help=f"List the newest N records (default {TEXT_LIMIT} as text, all as JSON; 0: all).",
)
@click.pass_obj
def command(
    env: Env, target: str | None, stats: bool, fmt: str, since: str | None, limit: int | None
) -> int:
    """Show past runs of a schedule (acme-corp/weekly), a customer (acme-corp), or all."""
    sid = schedule_id(target).strip("/") if target else None
    start = parse_since(since, env.now) if since else None
    return run(env.root, sid or None, stats, fmt, start, limit)
