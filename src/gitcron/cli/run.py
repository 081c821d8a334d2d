"""`gitcron run`: the tick (with its commit-back and heartbeat), or one shard's runs.

SIGINT (Ctrl-C) and SIGTERM stop a tick between runs (`engine.phases.Stop`): it finishes with
what it recorded, commits that (a runner that throws its checkout away would otherwise send
those runs again on the next tick), says which runs did not run, and exits 128 + the signal's
number (130, 143). The handlers are the command's only while the tick runs.

Most ticks have nothing due. When the quiet record of the last clean tick says nothing can be
due yet (engine/quiet.py), `run` takes the quiet tick (cli/quiet_tick.py), which imports no
model and plans nothing; so this module imports only click at first, and the full tick's
modules when it runs. A full tick imports what plans, and what runs, renders, delivers or
commits is imported where it is used (engine/tick.py, commitback.py), so a tick with nothing to
do never loads jinja2, the channels or the renderers (tests/cli/test_light_tick.py).
"""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitcron.cli import options, output
from gitcron.cli.options import Env
from gitcron.errors import UsageError

if TYPE_CHECKING:
    from gitcron.config.settings import Settings
    from gitcron.engine.plans import PlannedRun
    from gitcron.engine.tick import TickOptions, TickResult
    from gitcron.gitops.commit import Pushing


def run(
    root: Path,
    now: datetime,
    tick: TickOptions,
    commit: bool = False,
    push: bool = False,
    pushing: Pushing | None = None,
    loaded: list[Settings] | None = None,
) -> int:
    """The tick; with `commit`, replay what a failed push left, tick, commit (and push).
    `loaded` gets the settings the tick ran with (its heartbeat needs no second load).

    A whole tick that ends clean leaves the quiet record for the next one (engine/quiet.py),
    keyed before its commit, whose push may bring another tick's state; any other removes it."""
    from gitcron.cli import closing, commitback, summary, tick_text
    from gitcron.cli.stopping import stoppable
    from gitcron.engine import quiet
    from gitcron.engine.claims import new_holder
    from gitcron.engine.tick import Stop, run_tick

    output.tick_heading(now, tick.dry_run)
    if not tick.dry_run:
        quiet.keep(root, None)  # this tick decides afresh; only a clean end leaves a record
        commitback.open_history(root, now)  # a checkout without old history gets the days it needs
    pending = commitback.Pending() if tick.dry_run else commitback.replay_pending(root)
    if push:  # claim, then deliver: only the tick whose claims landed runs them
        tick = replace(tick, holder=new_holder())
        assert tick.holder is not None
        claimed = commitback.claim(root, now, tick.holder, tick.only, tick.env, pushing)
        if claimed.outdated is not None:
            if pending.records:  # the records a failed push left still go out
                message = "gitcron: records whose push failed"
                commitback.commit_after(pending, root, now, [], message, tick.env, push, pushing)
            return 0
    stop = Stop()
    tally = output.Tally(_runs_planned(root, now, tick) if output.progress() else 0)
    with stoppable(stop, on=not tick.dry_run):  # a dry run stops at Ctrl-C, as any command
        result = run_tick(root, now, replace(tick, stop=stop), tally.seen)
    if loaded is not None:
        loaded.append(result.settings)
    tally.print()
    if result.plan.first_tick and not tick.dry_run:
        output.say("first tick of this repository: nothing runs; schedules count from now on")
    annotate = tick.env.get("GITHUB_ACTIONS") == "true"
    code = output.report(result, tick.dry_run, tick.outbox, root, annotate)
    if stop.signal is not None:
        output.error(_stopped(stop.signal, result))
        code = 128 + stop.signal
    whole = not tick.dry_run and not tick.only and not pending.records and code == 0
    record = (
        quiet.record_of(result, root, now, quiet_options(tick.outbox, tick.jobs), tick.env)
        if whole
        else None
    )
    if not tick.dry_run:
        commitback.prune_left_out(root, now, result.settings.history.keep_months)

    def commit_back() -> None:
        message = f"gitcron: {tick_text.summary(result.records)}"
        commitback.commit_after(
            pending, root, now, result.records, message, tick.env, push, pushing
        )

    code = closing.finish(
        code,
        commit_back if commit else None,
        lambda code, after: summary.publish(
            root, tick.env, result, now, code, after, dry_run=tick.dry_run
        ),
    )
    if not tick.dry_run:  # a dry run writes nothing, the record included
        quiet.keep(root, record)
    return code


def quiet_options(outbox: Path | None, jobs: int) -> tuple[str, ...]:
    """The options a quiet record is keyed by: a tick with others is a full one."""
    return ("outbox", str(outbox or ""), "jobs", str(jobs))


def _runs_planned(root: Path, now: datetime, tick: TickOptions) -> int:
    """N of `[n/N]`: the runs a plan made just before the tick counts (only asked on a
    terminal; the tick plans again under its lock, and `[n/N]` never shows n above N)."""
    from gitcron.engine.tick import prepare

    return len(prepare(root, now, tick.only).plan.runs)


def _stopped(signum: int, result: TickResult) -> str:
    """Which runs a stopped tick did not run: the next tick plans them again."""
    said = []
    if result.cut:
        cut = result.cut
        said.append(f"{_runs(cut)} cut short and not recorded, {_next(cut, ' again')}")
    if result.not_started:
        said.append(f"{_runs(result.not_started)} not started, {_next(result.not_started)}")
    name = signal.Signals(signum).name
    return f"stopped by {name}: " + ("; ".join(said) or "every due run had finished")


def _runs(runs: list[PlannedRun]) -> str:
    return f"{len(runs)} run{'s' * (len(runs) != 1)}"


def _next(runs: list[PlannedRun], again: str = "") -> str:
    they = "it" if len(runs) == 1 else "they"
    return f"{they} will run{again} on the next tick: " + ", ".join(run.run_id for run in runs)


def run_shard(
    root: Path,
    runs_file: Path,
    shard: int | None,
    records_out: Path,
    tick: TickOptions,
) -> int:
    """One shard: exactly the plan's runs for `shard`, at the plan's instant; records, no state."""
    from gitcron.catalog.load import load_settings
    from gitcron.cli import tick_text
    from gitcron.cli.stopping import stoppable
    from gitcron.engine import replay as record_files
    from gitcron.engine import shards
    from gitcron.engine.executor import RunEnv
    from gitcron.engine.tick import Stop

    plan = shards.read_runs_file(runs_file)
    share = plan.share(shard)
    name = "all" if shard is None else str(shard)
    output.say(f"gitcron shard {name} at {plan.at:%Y-%m-%d %H:%M:%S} UTC: {len(share)} run(s)")
    settings, _ = load_settings(root)
    env = RunEnv(root, settings, plan.at, tick.env, outbox=tick.outbox)
    tally = output.Tally(len(share) if output.progress() else 0)
    stop = Stop()
    with stoppable(stop, on=True):
        stop.started = True
        records = shards.run_share(root, share, env, tick.jobs, tally.seen, stop)
    tally.print()
    out = records_out / f"shard-{name}.jsonl"
    record_files.write_records(out, records)
    output.say(tick_text.summary(records))
    output.say(f"records: {len(records)} written to {out} (state/ untouched)")
    if stop.signal is not None:
        done = {r.run_id for r in records}
        left = [run for run in share if run.run_id not in done]
        name = signal.Signals(stop.signal).name
        said = f"{_runs(left)} not run; the commit step leaves them to a later tick" if left else ""
        output.error(f"stopped by {name}: " + (said or "every run had finished"))
        return 128 + stop.signal
    return 1 if any(r.status in ("failed", "partial") for r in records) else 0


@click.command("run")
@options.only("Run")
@options.dry_run
@options.outbox
@click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Runs in parallel.")  # fmt: skip
@options.commit
@options.push
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
    shard_flags = runs_file is not None or records_out is not None or shard is not None
    chosen = options.chosen(env.root, only)
    outbox = options.writable_outbox(env.root, outbox)
    if not (shard_flags or dry_run or only):
        from gitcron.cli import quiet_tick

        keyed = quiet_options(outbox, jobs)
        done = quiet_tick.tick(env.root, env.now, keyed, os.environ, (commit or push, push))
        if done is not None:
            return done
    from gitcron.cli import commitback
    from gitcron.engine.tick import TickOptions

    tick = TickOptions(chosen, dry_run, outbox, jobs, dict(os.environ))
    if shard_flags:
        _check_shard_flags(runs_file, records_out, commit or push, dry_run, only)
        assert runs_file is not None
        assert records_out is not None
        return run_shard(env.root, runs_file, shard, records_out, tick)
    if dry_run and (commit or push):
        raise UsageError("--dry-run writes no state, so there is nothing to commit or push")
    if dry_run:
        return run(env.root, env.now, tick)
    loaded: list[Settings] = []
    return commitback.heartbeat_after(
        env.root,
        tick.env,
        lambda: run(env.root, env.now, tick, commit or push, push, loaded=loaded),
        lambda: loaded[0] if loaded else None,
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
