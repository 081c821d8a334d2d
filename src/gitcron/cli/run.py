"""`gitcron run` (the tick, its commit-back and heartbeat; or one shard's runs) and `trigger`."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import click

from gitcron.catalog.view import ScheduleView
from gitcron.cli import tick_text
from gitcron.cli.main import Env
from gitcron.engine import replay as record_files
from gitcron.engine.executor import RunEnv
from gitcron.engine.tick import TickOptions, TickResult, run_tick, trigger
from gitcron.errors import UsageError
from gitcron.gitops import heartbeat
from gitcron.gitops.commit import Outcome, Pushing, commit_back
from gitcron.state import Record


def _show(record: Record, view: ScheduleView) -> None:
    click.echo("\n".join(tick_text.record_lines(record, view)))


def _report(result: TickResult, dry_run: bool, outbox: Path | None, root: Path) -> int:
    """The summary lines and the exit code: 1 when anything failed or could not be planned."""
    for entry in result.invalid:
        click.echo(f"  ✗ invalid   {entry.file}: skipped until fixed (run gitcron validate)")
    for problem in result.settings_problems:
        click.echo(f"  ✗ invalid   {problem.file}: {problem.message}")
    for error in result.state_problems:
        click.echo(f"  ✗ state     {error} (its customer's schedules did not run)")
    for warning in result.warnings:
        click.echo(f"gitcron: warning: {warning}", err=True)
    click.echo(tick_text.summary(result.records))
    if dry_run:
        folder = outbox or root / result.settings.channels.outbox.dir
        shown = _shown(folder, root)
        click.echo(f"dry run: nothing delivered, no state written; files are in {shown}/")
    elif result.changed:
        click.echo(f"state: {len(result.changed)} file(s) written under state/")
    bad = any(r.status in ("failed", "partial") for r in result.records)
    trouble = result.invalid or result.settings_problems or result.state_problems
    return 1 if bad or trouble else 0


def _shown(folder: Path, root: Path) -> str:
    try:
        return folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(folder)


def run(
    root: Path,
    now: datetime,
    options: TickOptions,
    commit: bool = False,
    push: bool = False,
    pushing: Pushing | None = None,
) -> int:
    """The tick; with `commit`, replay what a failed push left, tick, commit (and push)."""
    mode = " (dry run)" if options.dry_run else ""
    click.echo(f"gitcron tick at {now:%Y-%m-%d %H:%M:%S} UTC{mode}")
    pending = [] if options.dry_run else _replay_pending(root)
    result = run_tick(root, now, options, _show)
    if result.plan.first_tick and not options.dry_run:
        click.echo("first tick of this repository: nothing runs; schedules count from now on")
    code = _report(result, options.dry_run, options.outbox, root)
    if commit:
        message = f"gitcron: {tick_text.summary(result.records)}"
        _commit(root, now, [*pending, *result.records], message, options, push, pushing)
    return code


def _commit(
    root: Path,
    now: datetime,
    records: list[Record],
    message: str,
    options: TickOptions,
    push: bool,
    pushing: Pushing | None,
) -> None:
    """Commit state/ with `message` (and push it, replaying `records` on a moved remote)."""
    outcome = commit_back(root, now, records, message, options.env, push, pushing, _say)
    _say_outcome(outcome, push)


def _replay_pending(root: Path) -> list[Record]:
    """Records a tick could not push: folded in first, so this tick plans after them."""
    pending = record_files.load_pending(root)
    if pending:
        click.echo(
            f"replaying {len(pending)} record(s) whose push failed ({record_files.PENDING_FILE})"
        )
        record_files.replay(root, pending)
    return pending


def _say(text: str) -> None:
    click.echo(text)


def _say_outcome(outcome: Outcome, push: bool) -> None:
    if not outcome.committed:
        click.echo("commit: state/ did not change; nothing to commit")
    elif not push:
        click.echo("commit: state/ committed (not pushed)")
    if push and outcome.pushed:
        replays = f" after {outcome.replays} replay(s)" if outcome.replays else ""
        click.echo(f"push: done{replays}")
    elif push:
        click.echo("push: the remote already had everything this tick did")


def run_shard(
    root: Path,
    runs_file: Path,
    shard: int | None,
    records_out: Path,
    options: TickOptions,
) -> int:
    """One shard: exactly the plan's runs for `shard`, at the plan's instant; records, no state."""
    from gitcron.catalog.load import load_settings
    from gitcron.engine import shards

    plan = shards.read_runs_file(runs_file)
    share = plan.share(shard)
    name = "all" if shard is None else str(shard)
    click.echo(f"gitcron shard {name} at {plan.at:%Y-%m-%d %H:%M:%S} UTC: {len(share)} run(s)")
    settings, _ = load_settings(root)
    env = RunEnv(root, settings, plan.at, options.env, outbox=options.outbox)
    records = shards.run_share(root, share, env, options.jobs, _show)
    out = records_out / f"shard-{name}.jsonl"
    record_files.write_records(out, records)
    click.echo(tick_text.summary(records))
    click.echo(f"records: {len(records)} written to {out} (state/ untouched)")
    return 1 if any(r.status in ("failed", "partial") for r in records) else 0


def with_heartbeat(root: Path, env: Mapping[str, str], step: Callable[[], int]) -> int:
    """Run `step`, then ping the heartbeat URL (if set): plain on success, `/fail` on failure."""
    return heartbeat.with_heartbeat(root, env, step, _warn)


def _warn(text: str) -> None:
    click.echo(f"gitcron: warning: {text}", err=True)


def run_trigger(
    root: Path, now: datetime, sid: str, options: TickOptions, commit: bool = False,
    push: bool = False, pushing: Pushing | None = None,
) -> int:  # fmt: skip
    """One schedule now; with `commit`, its record is committed (and pushed) as a tick's are."""
    click.echo(f"gitcron trigger {sid} at {now:%Y-%m-%d %H:%M:%S} UTC")
    pending = _replay_pending(root) if commit else []
    result = trigger(root, now, sid, options, _show)
    code = _report(result, options.dry_run, options.outbox, root)
    if commit:
        message = f"gitcron: {sid} by hand: {tick_text.summary(result.records)}"
        _commit(root, now, [*pending, *result.records], message, options, push, pushing)
    return code


_OUTBOX = click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write every delivery into this folder instead of sending it.",
)
_COMMIT = click.option(
    "--commit/--no-commit",
    default=False,
    help="Commit state/ afterwards (one commit, only state/).",
)
_PUSH = click.option(
    "--push", is_flag=True, help="Push that commit to the branch's upstream (implies --commit)."
)
_DRY = click.option(
    "--dry-run", is_flag=True, help="Render into the outbox; deliver nothing, write no state."
)


@click.command("run")
@click.option("--only", "only", multiple=True, metavar="ID", help="Run only these schedules.")
@_DRY
@_OUTBOX
@click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Runs in parallel.")  # fmt: skip
@_COMMIT
@_PUSH
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
    options = TickOptions(only, dry_run, outbox, jobs, dict(os.environ))
    if runs_file is not None or records_out is not None or shard is not None:
        _check_shard_flags(runs_file, records_out, commit or push, dry_run, only)
        assert runs_file is not None
        assert records_out is not None
        return run_shard(env.root, runs_file, shard, records_out, options)
    if dry_run and (commit or push):
        raise UsageError("--dry-run writes no state, so there is nothing to commit or push")
    if dry_run:
        return run(env.root, env.now, options)
    return with_heartbeat(
        env.root, options.env, lambda: run(env.root, env.now, options, commit or push, push)
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


@click.command("trigger")
@click.argument("schedule_id", metavar="ID")
@_DRY
@_OUTBOX
@_COMMIT
@_PUSH
@click.pass_obj
def trigger_command(
    env: Env, schedule_id: str, dry_run: bool, outbox: Path | None, commit: bool, push: bool
) -> int:
    """Run one schedule now, by hand; its next fire stays where it was."""
    options = TickOptions((), dry_run, outbox, 1, dict(os.environ))
    if dry_run and (commit or push):
        raise UsageError("--dry-run writes no state, so there is nothing to commit or push")
    if dry_run:
        return run_trigger(env.root, env.now, schedule_id, options)
    return with_heartbeat(
        env.root,
        options.env,
        lambda: run_trigger(env.root, env.now, schedule_id, options, commit or push, push),
    )
