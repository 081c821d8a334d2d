"""`gitcron resend RUN_ID [--target N ...]`: a past run delivered again to its own targets."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import commitback, options, output, tick_text
from gitcron.cli.options import Env
from gitcron.engine.phases import TickOptions
from gitcron.errors import UsageError


def run(
    root: Path,
    now: datetime,
    run_id: str,
    targets: tuple[int, ...],
    tick: TickOptions,
    commit: bool = False,
    push: bool = False,
) -> int:
    """Deliver `run_id` again; with `commit`, its record is committed (and pushed) as a tick's."""
    from gitcron.engine.resend import resend

    output.say(f"gitcron resend {run_id} at {now:%Y-%m-%d %H:%M:%S} UTC")
    pending = commitback.replay_pending(root) if commit else commitback.Pending()
    result = resend(root, now, run_id, targets, tick, output.show)
    code = output.report(result, tick.dry_run, tick.outbox, root)
    if commit:
        message = f"gitcron: {run_id} sent again: {tick_text.summary(result.records)}"
        commitback.commit_after(pending, root, now, result.records, message, tick.env, push)
    return code


@click.command("resend")
@click.argument("run_id", metavar="RUN_ID")
@click.option(
    "--target",
    "targets",
    type=int,
    multiple=True,
    metavar="N",
    help="Only the schedule's Nth target under deliver: (1 is the first); repeatable.",
)
@options.dry_run
@options.outbox
@options.commit
@options.push
@click.pass_obj
def command(
    env: Env,
    run_id: str,
    targets: tuple[int, ...],
    dry_run: bool,
    outbox: Path | None,
    commit: bool,
    push: bool,
) -> int:
    """Deliver a past run again, to its schedule's own targets (the stored copy, or rebuilt)."""
    tick = TickOptions((), dry_run, options.writable_outbox(env.root, outbox), 1, dict(os.environ))
    if dry_run and (commit or push):
        raise UsageError("--dry-run writes no state, so there is nothing to commit or push")
    if dry_run:
        return run(env.root, env.now, run_id, targets, tick)
    return commitback.heartbeat_after(
        env.root,
        tick.env,
        lambda: run(env.root, env.now, run_id, targets, tick, commit or push, push),
    )
