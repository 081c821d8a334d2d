"""`gitcron history-archive`: move whole past months of history out of the repository's tree.

A command, not a step of the tick: it needs the old day files' contents, which the tick's
checkout (sparse, blob:none) never fetches, and it talks to long-term storage once a month at
most. Run it by hand or from a monthly workflow (docs/tick.md, "Archiving old history").
"""

from __future__ import annotations

import os
import re
from datetime import date

import click

from gitcron.cli import output
from gitcron.cli.options import Env
from gitcron.errors import GitcronError, UsageError

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str) -> date:
    """`2026-01` as the first day of that month; UsageError otherwise."""
    match = _MONTH.fullmatch(value.strip())
    month = int(match.group(2)) if match else 0
    if match is None or not 1 <= month <= 12:
        raise UsageError(
            f"--before {value}: not a month", "write the month as YYYY-MM, e.g. --before 2026-01"
        )
    return date(int(match.group(1)), month, 1)


@click.command("history-archive")
@click.option(
    "--before",
    metavar="YYYY-MM",
    help="Archive the months before this one (default: history.archive.after_months ago).",
)
@click.option(
    "--to",
    metavar="TARGET",
    help="The archive target; only the one gitcron.yaml declares (history.archive.to).",
)
@click.option(
    "--push", is_flag=True, help="Push the commit to the branch's upstream (retried, never forced)."
)
@click.pass_obj
def command(env: Env, before: str | None, to: str | None, push: bool) -> int:
    """Move old history months to the declared archive."""
    from gitcron.catalog.load import load_settings
    from gitcron.gitops import archive

    root, now = env.root, env.now
    settings, problems = load_settings(root)
    if problems:
        first = problems[0]
        at = f"{first.file}:{first.line}" if first.line else first.file
        raise GitcronError(f"{at}: {first.where}: {first.message}", first.hint)
    start = parse_month(before) if before else archive.default_before(settings, now.date())
    if not archive.in_git(root):
        raise GitcronError(
            f"{root.name}: not a git checkout, so removing archived days could not be committed",
            "run it in a clone of the repository",
        )
    variables = dict(os.environ)
    if push:
        done = archive.archive_and_push(root, settings, start, now, variables, to, output.say)
    else:
        done = archive.archive(root, settings, start, now, variables, to, True, output.say)
    if done.months:
        pushed = " and pushed" if push else ""
        output.say(
            f"archived {len(done.months)} month(s); {len(done.removed)} day file(s) removed from"
            f" state/history/ and committed{pushed} (state/archive.json says where they went)"
        )
    return 0
