"""`gitcron validate`: every problem in every file at once, for people and for GitHub."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click

from gitcron.catalog.files import SETTINGS_FILE
from gitcron.catalog.load import load
from gitcron.cli import output
from gitcron.cli.options import Env
from gitcron.config.problems import render
from gitcron.review.liveness import stale_tick


def run(root: Path, now: datetime, paths: Sequence[str], fmt: str, strict: bool) -> int:
    """Print the report; 1 when any error (or, with `strict`, any warning) was found."""
    catalog = load(root, now, paths, problems_only=True)
    problems = catalog.problems
    # A stalled scheduler is worth a warning on every PR, but no author can fix it: never fails.
    stale = None if paths else stale_tick(root, catalog.settings, now)
    extra = [stale] if stale else []
    # Schedule files are counted; gitcron.yaml and the tick's state are named, if they have problems
    named = [SETTINGS_FILE, *(p.file for p in extra)]
    output.say(render([*problems, *extra], len(catalog.entries), fmt, named))
    failing = ("error", "warning") if strict else ("error",)
    return 1 if any(p.severity in failing for p in problems) else 0


@click.command("validate")
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="github prints workflow annotations, most important first.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
def command(env: Env, paths: tuple[str, ...], fmt: str, strict: bool) -> int:
    """Check schedule files (all of them, or PATHS) and gitcron.yaml."""
    return run(env.root, env.now, paths, fmt, strict)
