"""`gitcron plan`: what a tick at this instant would run, skip, miss and retry, and why.

A plan is what a warm tick does before its first step, and what people run to see it: it imports
what pushes claims only with `--claim`.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import options, output, tick_text
from gitcron.cli.options import Env
from gitcron.engine.claims import new_holder
from gitcron.engine.shards import MAX_SHARDS, shards_json
from gitcron.engine.tick import prepare
from gitcron.errors import UsageError
from gitcron.state import format_instant


def run(
    root: Path,
    now: datetime,
    only: tuple[str, ...],
    fmt: str,
    shards: int | None = None,
    claim: bool = False,
) -> int:
    holder = None
    if claim:  # the plan job of a sharded tick: its shards deliver only what it claimed
        from gitcron.cli import commitback  # git's plumbing: only a plan that claims pushes

        holder = new_holder()
        claimed = commitback.claim(root, now, holder, only, dict(os.environ), say=_aside)
        if claimed.outdated is not None:
            nothing = {"at": format_instant(now), "runs": [], "records": []}
            output.say(json.dumps({**nothing, "matrix": {"shard": [0]}, "shards": [[]]}, indent=2))
            return 0
    ready = prepare(root, now, options.chosen(root, only), holder=holder)
    the_plan = ready.plan
    if fmt == "json":
        payload = tick_text.plan_json(the_plan, ready.last_tick)
        payload["invalid"] = [
            {"file": e.file, "problems": [p.message for p in e.problems if p.severity == "error"]}
            for e in ready.loaded.invalid
        ]
        if shards is not None:
            payload = shards_json(ready, shards, payload)
        output.say(json.dumps(payload, indent=2))
        return 0
    last = (
        "none: this would be the repo's first tick"
        if ready.last_tick is None
        else (f"{ready.last_tick:%Y-%m-%d %H:%M} UTC")
    )
    output.say(f"plan at {now:%Y-%m-%d %H:%M} UTC (last tick: {last})")
    lines = tick_text.plan_lines(the_plan, output.paint)
    output.say("\n".join(lines) if lines else "  nothing is due")
    for entry in ready.loaded.invalid:
        output.say(f"  error  {entry.file}: not planned until fixed (see gitcron validate)")
    if shards is not None:
        split = shards_json(ready, shards, {})["shards"]
        output.say("shards: " + ", ".join(f"{k}: {len(ids)} run(s)" for k, ids in enumerate(split)))
    return 0


@click.command("plan")
@options.only("Plan")
@options.text_or_json
@click.option(
    "--shards",
    type=click.IntRange(1, MAX_SHARDS),
    metavar="N",
    help="Split the runs into N shards (json: a matrix, run ids per shard).",
)
@click.option(
    "--claim",
    is_flag=True,
    help="Claim the planned runs and push the claims first (the plan job of a sharded tick).",
)
@click.pass_obj
def command(env: Env, only: tuple[str, ...], fmt: str, shards: int | None, claim: bool) -> int:
    """Show what a tick at --at (default: now) would do, without doing it."""
    if claim and fmt != "json":
        raise UsageError("--claim writes the plan for the shards: use it with --format json")
    return run(env.root, env.now, only, fmt, shards, claim)


def _aside(text: str) -> None:
    """The claims' progress, on standard error: standard output is the plan's JSON."""
    click.echo(f"gitcron: {text}", err=True)
