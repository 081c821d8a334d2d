"""`gitcron site --out DIR`: the status site, built from state/ and history as plain files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import output
from gitcron.cli.options import Env
from gitcron.errors import UsageError
from gitcron.files import display_path


def run(root: Path, now: datetime, out: Path) -> int:
    """Build the site into `out`; 0 when built (what failed is the site's content, not an error)."""
    from gitcron.site.pages import build  # jinja2's loader: only this command pays for it

    try:
        site, written = build(root, out, now)
    except OSError as error:
        raise UsageError(
            f"--out {out}: the site cannot be written there ({error.strerror or error})",
            "give a folder you can write to, e.g. --out site",
        ) from None
    failing = sum(r.status in ("failed", "invalid") for r in site.schedules)
    output.say(
        f"site: {len(written)} page(s) for {len(site.schedules)} schedule(s) written to "
        f"{display_path(out, root)}/ ({failing} failing, last tick: {site.health.verdict})"
    )
    return 0


@click.command("site")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write the site into (index.html and a page per schedule).",
)
@click.pass_obj
def command(env: Env, out: Path) -> int:
    """Build the status site: every schedule, its runs, failures and the scheduler's health."""
    return run(env.root, env.now, out)
