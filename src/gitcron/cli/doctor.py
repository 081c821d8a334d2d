"""`gitcron doctor [--reach]`: is this repository ready for its first real tick? Each problem
with its fix; exit 1 when there is one."""

from __future__ import annotations

import os

import click

from gitcron.cli import output
from gitcron.cli.options import Env


@click.command("doctor")
@click.option(
    "--reach/--no-reach", default=False, help="Also connect to the mail server and webhook hosts."
)
@click.option(
    "--timeout", type=click.FloatRange(0.1, 60), default=5.0, show_default=True, metavar="S",
    help="Seconds to wait for each host with --reach.",
)  # fmt: skip
@click.pass_obj
def command(env: Env, reach: bool, timeout: float) -> int:
    """Check what the first tick needs: variables, code owners, push, cache (and hosts)."""
    from gitcron.review.doctor_repo import examine

    found = examine(env.root, env.now, dict(os.environ), reach, timeout)
    problems = [f for f in found if not f.ok and not f.warning]
    for finding in found:
        mark = "✓" if finding.ok else "!" if finding.warning else "✗"
        output.say(f"  {mark} {finding.check:<10} {finding.message}")
        if finding.fix and not finding.ok:
            output.say(f"      fix: {finding.fix}")
    warnings = sum(f.warning for f in found)
    tail = f", {warnings} warning(s)" if warnings else ""
    if problems:
        output.say(f"{len(problems)} problem(s){tail}: fix them before the first tick")
        return 1
    output.say(f"ready for the first tick{tail}")
    return 0
