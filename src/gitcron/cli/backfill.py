"""`gitcron backfill ID --from DATE --until DATE`: the fires of a past period, run late."""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitcron import clock
from gitcron.cli import commitback, options, output, tick_text
from gitcron.cli.options import Env
from gitcron.engine.phases import TickOptions
from gitcron.errors import UsageError

if TYPE_CHECKING:
    from gitcron.engine.backfill import Backfill

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def bound(text: str, flag: str) -> date | datetime:
    """`2026-11-03` (a whole day in the schedule's timezone) or an ISO instant."""
    if _DAY.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(
                f"{flag}: '{text}' is not a date", "write it like 2026-11-03"
            ) from None
    return clock.parse_instant(text, flag)


def show(work: Backfill) -> None:
    """The list before anything runs: each fire, and what it gets."""
    runs = len(work.runs)
    output.say(
        f"backfill {work.schedule}, {work.start:%Y-%m-%d %H:%M} to {work.until:%Y-%m-%d %H:%M}"
        f" UTC: {len(work.fills)} fire(s), {runs} to run"
    )
    for fill in work.fills:
        line = f"  {'run ' if fill.run else 'skip'}  {fill.fire:%Y-%m-%d %H:%M} UTC  {fill.why}"
        if fill.run is not None and fill.run.interval_start is not None:
            line += f"  (data since {fill.run.interval_start:%Y-%m-%d %H:%M} UTC)"
        output.say(line)
    if work.later is not None:
        output.say(
            f"  fires after {work.later:%Y-%m-%d %H:%M} UTC are the next tick's to run, not here"
        )


def run(
    root: Path,
    now: datetime,
    sid: str,
    period: tuple[date | datetime, date | datetime],
    tick: TickOptions,
    force: bool = False,
    commit: bool = False,
    push: bool = False,
) -> int:
    """List, then run, the fires; with `commit`, their records are committed as a tick's."""
    from gitcron.engine.backfill import backfill

    pending = commitback.replay_pending(root) if commit else commitback.Pending()
    result = backfill(root, now, sid, period, tick, force, show, output.show)
    if tick.dry_run:
        output.say("dry run: nothing ran; run it again without --dry-run to run these fires")
        return 0
    code = output.report(result, False, tick.outbox, root)
    if commit and (result.records or pending.records):
        message = f"gitcron: {sid} backfilled: {tick_text.summary(result.records)}"
        commitback.commit_after(pending, root, now, result.records, message, tick.env, push)
    return code


@click.command("backfill")
@click.argument("schedule_id", metavar="ID")
@click.option("--from", "start", required=True, metavar="DATE", help="The period's first day.")
@click.option("--until", "until", required=True, metavar="DATE", help="Its last day (included).")
@click.option("--dry-run", is_flag=True, help="List the fires and what each gets; run nothing.")
@click.option(
    "--force/--no-force", default=False, help="Send delivered fires again too, as new attempts."
)
@options.outbox
@options.commit
@options.push
@click.pass_obj
def command(
    env: Env,
    schedule_id: str,
    start: str,
    until: str,
    dry_run: bool,
    force: bool,
    outbox: Path | None,
    commit: bool,
    push: bool,
) -> int:
    """Run a past period's fires that were not delivered (days in the schedule's timezone)."""
    period = (bound(start, "--from"), bound(until, "--until"))
    writable = options.writable_outbox(env.root, outbox)
    tick = TickOptions((), dry_run, writable, 1, dict(os.environ))
    if dry_run and (commit or push):
        raise UsageError("--dry-run runs nothing, so there is nothing to commit or push")
    if dry_run:
        return run(env.root, env.now, schedule_id, period, tick, force)
    return commitback.heartbeat_after(
        env.root,
        tick.env,
        lambda: run(env.root, env.now, schedule_id, period, tick, force, commit or push, push),
    )
