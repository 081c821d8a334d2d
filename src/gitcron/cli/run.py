"""`gitcron run` (the tick) and `gitcron trigger ID` (one schedule, now, by hand)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import tick_text
from gitcron.cli.main import Env
from gitcron.engine.tick import TickOptions, TickResult, run_tick, trigger
from gitcron.engine.view import ScheduleView
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


def run(root: Path, now: datetime, options: TickOptions) -> int:
    mode = " (dry run)" if options.dry_run else ""
    click.echo(f"gitcron tick at {now:%Y-%m-%d %H:%M:%S} UTC{mode}")
    result = run_tick(root, now, options, _show)
    if result.plan.first_tick and not options.dry_run:
        click.echo("first tick of this repository: nothing runs; schedules count from now on")
    return _report(result, options.dry_run, options.outbox, root)


def run_trigger(root: Path, now: datetime, sid: str, options: TickOptions) -> int:
    click.echo(f"gitcron trigger {sid} at {now:%Y-%m-%d %H:%M:%S} UTC")
    result = trigger(root, now, sid, options, _show)
    return _report(result, options.dry_run, options.outbox, root)


_OUTBOX = click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write every delivery into this folder instead of sending it.",
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
@click.pass_obj
def command(env: Env, only: tuple[str, ...], dry_run: bool, outbox: Path | None, jobs: int) -> int:
    """The tick: run every due fire, record it, and leave state for the next tick."""
    options = TickOptions(only, dry_run, outbox, jobs, dict(os.environ))
    return run(env.root, env.now, options)


@click.command("trigger")
@click.argument("schedule_id", metavar="ID")
@_DRY
@_OUTBOX
@click.pass_obj
def trigger_command(env: Env, schedule_id: str, dry_run: bool, outbox: Path | None) -> int:
    """Run one schedule now, by hand; its next fire stays where it was."""
    options = TickOptions((), dry_run, outbox, 1, dict(os.environ))
    return run_trigger(env.root, env.now, schedule_id, options)
