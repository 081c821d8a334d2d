"""`gitcron preview --base REF`: what a pull request changes, in words, for its reviewers."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import output
from gitcron.cli.options import Env


def run(root: Path, now: datetime, ref: str, fmt: str) -> int:
    """Print the preview; 0 even with invalid files (validate is the check that fails)."""
    from gitcron.review import markdown, preview

    found = preview.build(root, ref, now)
    if fmt == "json":
        output.say(json.dumps(preview.as_json(found), indent=2))
    else:
        output.say(markdown.truncate(markdown.render(found)), nl=False)
    return 0


@click.command("preview")
@click.option(
    "--base",
    "ref",
    required=True,
    metavar="REF",
    help="The branch the PR goes into, e.g. origin/main; compared from its merge-base with HEAD.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown fits $GITHUB_STEP_SUMMARY (cut at 1 MiB) and PR comments.",
)
@click.pass_obj
def command(env: Env, ref: str, fmt: str) -> int:
    """Describe what the work tree changes in schedules/ and gitcron.yaml since REF."""
    return run(env.root, env.now, ref, fmt)
