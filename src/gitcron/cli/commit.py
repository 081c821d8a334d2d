"""`gitcron commit --records DIR [--push]`: the last step of a sharded tick.

Every shard's records are replayed onto state at the plan's instant, exactly as a rejected push
replays a tick's records (`engine.replay.replay`), then committed and pushed the same way.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import closing, commitback, output, summary, tick_text
from gitcron.cli.options import Env
from gitcron.engine import replay as record_files
from gitcron.engine.plans import PlannedRun
from gitcron.errors import UsageError
from gitcron.gitops.commit import Pushing


def run(
    root: Path,
    at: datetime | None,
    folder: Path,
    push: bool,
    env: dict[str, str],
    pushing: Pushing | None = None,
) -> int:
    """Replay the shards' records at `at` (default: their own instant), commit, maybe push."""
    found = record_files.read_folder(folder)
    if at is None:
        at = max((r.started for r in found), default=None)
    if at is None:
        raise UsageError("the records folder holds no records: pass --at with the plan's instant")
    output.say(f"gitcron commit of {len(found)} record(s) at {at:%Y-%m-%d %H:%M:%S} UTC")
    pending = commitback.replay_pending(root)
    tally = output.Tally()
    done = record_files.replay(root, found, at, tally.seen)
    tally.print()
    for run_ in done.unrecorded:
        output.say(f"  ? no record {run_.run_id}: its schedule is left for the next tick")
    if done.duplicates:
        output.say(f"  {len(done.duplicates)} record(s) were already in history")
    code = output.report(done.result, False, None, root)
    after = _unrecorded(done.unrecorded)
    if done.unrecorded:
        code = 1
    message = f"gitcron: {tick_text.summary(done.result.records)}"
    return closing.finish(
        code,
        lambda: commitback.commit_after(pending, root, at, found, message, env, push, pushing),
        lambda code, after: summary.publish(
            root, env, done.result, at, code, after, "commit of a sharded tick"
        ),
        after,
    )


def _unrecorded(runs: list[PlannedRun]) -> str:
    """The summary's line for planned runs no shard recorded (a shard that died)."""
    if not runs:
        return ""
    ids = ", ".join(sorted({r.run_id for r in runs}))
    return f"{len(runs)} planned run(s) have no record, left for the next tick: {ids}."


@click.command("commit")
@click.option("--records", "folder", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The folder of the shards' records (*.jsonl, also in subfolders).")  # fmt: skip
@click.option("--push", is_flag=True, help="Push the commit to the branch's upstream.")
@click.pass_obj
def command(env: Env, folder: Path, push: bool) -> int:
    """Fold every shard's records into state/ at the plan's instant, commit, and push."""
    environ = dict(os.environ)
    at = env.now if env.at else None
    return commitback.heartbeat_after(
        env.root, environ, lambda: run(env.root, at, folder, push, environ)
    )
