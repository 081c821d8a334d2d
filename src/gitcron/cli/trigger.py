"""`gitcron trigger ID`: one schedule now, by hand, recorded and committed as a tick's runs are."""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import closing, commitback, options, output, summary, tick_text
from gitcron.cli.options import Env
from gitcron.cli.stopping import stoppable
from gitcron.engine.tick import Stop, TickOptions
from gitcron.engine.trigger import trigger
from gitcron.errors import UsageError
from gitcron.gitops.commit import Pushing


def run(
    root: Path,
    now: datetime,
    sid: str,
    tick: TickOptions,
    commit: bool = False,
    push: bool = False,
    pushing: Pushing | None = None,
) -> int:
    """One schedule now; with `commit`, its record is committed (and pushed) as a tick's are."""
    output.say(f"gitcron trigger {sid} at {now:%Y-%m-%d %H:%M:%S} UTC")
    pending = commitback.replay_pending(root) if commit else commitback.Pending()
    tally = output.Tally()
    stop = Stop()
    with stoppable(stop, on=not tick.dry_run):  # the run finishes, is recorded and committed
        result = trigger(root, now, sid, replace(tick, stop=stop), tally.seen)
    tally.print()
    code = output.report(result, tick.dry_run, tick.outbox, root)
    if stop.signal is not None:
        name = signal.Signals(stop.signal).name
        output.error(f"stopped by {name}: the run had started, so it finished and was recorded")
        code = 128 + stop.signal
    heading = f"trigger {sid}" + (" (dry run)" if tick.dry_run else "")

    def commit_back() -> None:
        message = f"gitcron: {sid} by hand: {tick_text.summary(result.records)}"
        commitback.commit_after(
            pending, root, now, result.records, message, tick.env, push, pushing
        )

    code = closing.finish(
        code,
        commit_back if commit else None,
        lambda code, after: summary.publish(
            root, tick.env, result, now, code, after, heading, tick.dry_run
        ),
    )
    return code


@click.command("trigger")
@click.argument("schedule_id", metavar="ID")
@options.dry_run
@options.outbox
@options.commit
@options.push
@click.pass_obj
def command(
    env: Env, schedule_id: str, dry_run: bool, outbox: Path | None, commit: bool, push: bool
) -> int:
    """Run one schedule now, by hand; its next fire stays where it was."""
    schedule_id = options.known_id(env.root, schedule_id)
    tick = TickOptions((), dry_run, options.writable_outbox(env.root, outbox), 1, dict(os.environ))
    if dry_run and (commit or push):
        raise UsageError("--dry-run writes no state, so there is nothing to commit or push")
    if dry_run:
        return run(env.root, env.now, schedule_id, tick)
    return commitback.heartbeat_after(
        env.root,
        tick.env,
        lambda: run(env.root, env.now, schedule_id, tick, commit or push, push),
    )
