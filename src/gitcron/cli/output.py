"""Everything the commands print goes through here, so every line looks the same wherever it is.

Plain lines go to standard output; warnings and errors to standard error, behind `gitcron:`.
The tick's report (its records sorted by schedule, the summary, the exit code) is shared by
`run`, `trigger` and `commit`, and so is the commit-back outcome.

Colour only on a terminal: never when standard output is piped or a file (workflow logs), never
when NO_COLOR is set (no-color.org). A long tick shows `[n/N]` on standard error while its runs
finish, on a terminal only, and erases it before the report.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the names only: `gitcron --help` and `error` need none of these modules
    from gitcron.catalog.view import ScheduleView
    from gitcron.engine.tick import TickResult
    from gitcron.gitops.commit import Outcome
    from gitcron.state import Record


def say(text: str, nl: bool = True) -> None:
    """A line (or, with `nl=False`, text that brings its own line ends) on standard output."""
    click.echo(text, nl=nl)


def tick_heading(now: datetime, dry_run: bool = False) -> None:
    """The first line of a tick, full or quiet."""
    say(f"gitcron tick at {now:%Y-%m-%d %H:%M:%S} UTC" + (" (dry run)" if dry_run else ""))


def state_written(count: int) -> None:
    """What a tick wrote under state/, when it wrote anything."""
    if count:
        say(f"state: {count} file(s) written under state/")


def warn(text: str) -> None:
    """`gitcron: warning: ...` on standard error: something to know, nothing failed."""
    click.echo(f"gitcron: warning: {text}", err=True)


def error(text: str) -> None:
    """`gitcron: ...` on standard error: why the command stopped."""
    click.echo(f"gitcron: {text}", err=True)


COLOURS = {
    "succeeded": "green",
    "run": "green",
    "manual": "green",
    "partial": "yellow",
    "retry": "yellow",
    "failed": "red",
    "missed": "bright_black",
    "skipped": "bright_black",
}


def colour() -> bool:
    """Whether standard output is a terminal that wants colour (NO_COLOR, when set, says no)."""
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def paint(text: str, status: str) -> str:
    """`text` in its status's colour on a terminal; as it is everywhere else."""
    if status not in COLOURS or not colour():
        return text
    return click.style(text, fg=COLOURS[status])


def progress() -> bool:
    """Whether `[n/N]` can be shown: standard error is a terminal."""
    return sys.stderr.isatty()


def show(record: Record, view: ScheduleView | None) -> None:
    """A record as it is decided: its headline and its deliveries."""
    from gitcron.cli import tick_text

    say("\n".join(tick_text.record_lines(record, view, paint)))


class Tally:
    """A tick's records as they finish (`tally.seen` is the engine's `on_record`): `[n/N]` on a
    terminal's standard error meanwhile, then `print()` shows them sorted by schedule."""

    def __init__(self, runs: int = 0) -> None:
        self.runs = runs  # N: the runs planned (0: unknown, no progress shown)
        self.done = 0
        self.shown: list[tuple[Record, ScheduleView | None]] = []
        self.live = runs > 0 and progress()

    def seen(self, record: Record, view: ScheduleView | None) -> None:
        self.shown.append((record, view))
        if record.status in ("succeeded", "partial", "failed"):
            self.done += 1
            if self.live:
                total = max(self.runs, self.done)
                text = f"\r[{self.done}/{total}] {record.schedule}\x1b[K"
                click.echo(text, nl=False, err=True)

    def print(self) -> None:
        from gitcron.cli import tick_text

        if self.live and self.done:
            click.echo("\r\x1b[K", nl=False, err=True)
            sys.stderr.flush()
        lines = tick_text.tick_lines(self.shown, paint)
        if lines:
            say("\n".join(lines))


def report(
    result: TickResult, dry_run: bool, outbox: Path | None, root: Path, annotate: bool = False
) -> int:
    """The summary lines and the exit code (`tick_verdict`): 1 for a final failure or a file
    that could not be used, 0 when every failure has its retry scheduled. With `annotate` (on
    GitHub Actions), each problem also becomes an annotation, most important first."""
    from gitcron.cli import tick_text, tick_verdict
    from gitcron.files import display_path

    for entry in result.invalid:
        say(f"  ✗ invalid   {entry.file}: skipped until fixed (run gitcron validate)")
    for problem in result.settings_problems:
        say(f"  ✗ invalid   {problem.file}: {problem.message}")
    for trouble in result.state_problems:
        say(f"  ✗ state     {trouble} (its customer's schedules did not run)")
    for warning in result.warnings:
        warn(warning)
    say(tick_text.summary(result.records))
    found = tick_verdict.failures(root, result, dry_run)
    retried = [f for f in found if not f.final]
    if retried:
        due = min(f.retry.due for f in retried if f.retry)
        say(
            f"retries: {len(retried)} failed run(s) will be retried (the first from "
            f"{due:%Y-%m-%d %H:%M} UTC); they alone do not fail the tick"
        )
    if dry_run:
        folder = display_path(outbox or root / result.settings.channels.outbox.dir, root)
        say(f"dry run: nothing delivered, no state written; files are in {folder}/")
    else:
        state_written(len(result.changed))
    if annotate:
        for line in tick_verdict.annotation_lines(result, found):
            say(line)
    return tick_verdict.exit_code(result, found)


def outcome(done: Outcome, push: bool) -> None:
    """What commit-back did: committed or not, pushed (after how many replays) or not."""
    if not done.committed:
        say("commit: state/ did not change; nothing to commit")
    elif not push:
        say("commit: state/ committed (not pushed)")
    if push and done.pushed:
        replays = f" after {done.replays} replay(s)" if done.replays else ""
        say(f"push: done{replays}")
    elif push:
        say("push: the remote already had everything this tick did")
