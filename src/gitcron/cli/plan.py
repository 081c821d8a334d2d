"""`gitcron plan`: what a tick at this instant would run, skip, miss and retry, and why."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from gitcron.cli import options, output, tick_text
from gitcron.cli.options import Env
from gitcron.engine.shards import MAX_SHARDS, shards_json
from gitcron.engine.tick import prepare


def run(
    root: Path, now: datetime, only: tuple[str, ...], fmt: str, shards: int | None = None
) -> int:
    ready = prepare(root, now, options.chosen(root, only))
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
@click.pass_obj
def command(env: Env, only: tuple[str, ...], fmt: str, shards: int | None) -> int:
    """Show what a tick at --at (default: now) would do, without doing it."""
    return run(env.root, env.now, only, fmt, shards)
