"""`gitcron run`: the tick (with its commit-back and heartbeat), or one shard's runs."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import commitback, options, output, tick_text
from gitcron.cli.options import Env
from gitcron.engine import replay as record_files
from gitcron.engine.executor import RunEnv
from gitcron.engine.tick import TickOptions, run_tick
from gitcron.errors import UsageError
from gitcron.gitops.commit import Pushing


def run(
    root: Path,
    now: datetime,
    tick: TickOptions,
    commit: bool = False,
    push: bool = False,
    pushing: Pushing | None = None,
) -> int:
    """The tick; with `commit`, replay what a failed push left, tick, commit (and push)."""
    mode = " (dry run)" if tick.dry_run else ""
    output.say(f"gitcron tick at {now:%Y-%m-%d %H:%M:%S} UTC{mode}")
    pending = [] if tick.dry_run else commitback.replay_pending(root)
    result = run_tick(root, now, tick, output.show)
    if result.plan.first_tick and not tick.dry_run:
        output.say("first tick of this repository: nothing runs; schedules count from now on")
    code = output.report(result, tick.dry_run, tick.outbox, root)
    if commit:
        message = f"gitcron: {tick_text.summary(result.records)}"
        records = [*pending, *result.records]
        commitback.commit(root, now, records, message, tick.env, push, pushing)
    return code


def run_shard(
    root: Path,
    runs_file: Path,
    shard: int | None,
    records_out: Path,
    tick: TickOptions,
) -> int:
    """One shard: exactly the plan's runs for `shard`, at the plan's instant; records, no state."""
    from gitcron.catalog.load import load_settings
    from gitcron.engine import shards

    plan = shards.read_runs_file(runs_file)
    share = plan.share(shard)
    name = "all" if shard is None else str(shard)
    output.say(f"gitcron shard {name} at {plan.at:%Y-%m-%d %H:%M:%S} UTC: {len(share)} run(s)")
    settings, _ = load_settings(root)
    env = RunEnv(root, settings, plan.at, tick.env, outbox=tick.outbox)
    records = shards.run_share(root, share, env, tick.jobs, output.show)
    out = records_out / f"shard-{name}.jsonl"
    record_files.write_records(out, records)
    output.say(tick_text.summary(records))
    output.say(f"records: {len(records)} written to {out} (state/ untouched)")
    return 1 if any(r.status in ("failed", "partial") for r in records) else 0


@click.command("run")
@options.only("Run")
@options.dry_run
@options.outbox
@click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Runs in parallel.")  # fmt: skip
@options.commit
@options.push
@click.option(
    "--runs",
    "runs_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Run exactly this plan's runs (gitcron plan --format json), at its instant.",
)
@click.option("--shard", type=click.IntRange(0, 255), help="With --runs: only this shard's runs.")
@click.option(
    "--records-out",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --runs: write records here (shard-K.jsonl), not to state/.",
)
@click.pass_obj
def command(
    env: Env,
    only: tuple[str, ...],
    dry_run: bool,
    outbox: Path | None,
    jobs: int,
    commit: bool,
    push: bool,
    runs_file: Path | None,
    shard: int | None,
    records_out: Path | None,
) -> int:
    """The tick: run every due fire, record it, and leave state for the next tick."""
    tick = TickOptions(only, dry_run, outbox, jobs, dict(os.environ))
    if runs_file is not None or records_out is not None or shard is not None:
        _check_shard_flags(runs_file, records_out, commit or push, dry_run, only)
        assert runs_file is not None
        assert records_out is not None
        return run_shard(env.root, runs_file, shard, records_out, tick)
    if dry_run and (commit or push):
        raise UsageError("--dry-run writes no state, so there is nothing to commit or push")
    if dry_run:
        return run(env.root, env.now, tick)
    return commitback.heartbeat_after(
        env.root, tick.env, lambda: run(env.root, env.now, tick, commit or push, push)
    )


def _check_shard_flags(
    runs_file: Path | None,
    records_out: Path | None,
    commit: bool,
    dry_run: bool,
    only: tuple[str, ...],
) -> None:
    if runs_file is None or records_out is None:
        raise UsageError(
            "--runs, --shard and --records-out go together",
            "gitcron run --runs plan.json --shard K --records-out DIR --no-commit",
        )
    if commit or dry_run or only:
        raise UsageError(
            "a shard only runs and records: --commit, --push, --dry-run and --only do not apply",
            "commit every shard's records at the end with gitcron commit --records DIR --push",
        )
