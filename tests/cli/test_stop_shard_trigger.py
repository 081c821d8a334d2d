"""SIGTERM reaches a real shard (`gitcron run --runs`) and a real `gitcron trigger` while a run is
in progress: the run finishes and is recorded, no new run starts, and the command exits 143.

The child sends the signal to itself from inside its first run, so it arrives exactly then.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine.test_tick import FIRST
from gitcron.engine.phases import TickOptions
from gitcron.engine.replay import read_records
from gitcron.engine.tick import run_tick
from gitcron.state import iter_records
from support import invoke

CHILD = """
import os, signal, sys
import gitcron.engine.executor as executor
import gitcron.engine.shards as shards
import gitcron.engine.trigger as trigger

original = executor.run_one
sent = []

def run_one(*args, **kwargs):
    if not sent:
        sent.append(True)
        os.kill(os.getpid(), signal.SIGTERM)  # heard by the command's handler, mid-run
    return original(*args, **kwargs)

trigger.run_one = run_one
import gitcron.engine.steps as steps
steps.run_one = run_one
from gitcron.cli.main import main
main(sys.argv[1:])
"""
AT = "2026-12-07T14:07:00Z"


def child(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, "--repo", str(repo), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(repo)},
    )


def test_a_shard_stops_between_runs_and_writes_what_it_ran(repo: Path, tmp_path: Path) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    plan = invoke(["--repo", str(repo), "plan", "--at", AT, "--format", "json"], {})
    assert plan.code == 0, plan.both
    (tmp_path / "plan.json").write_text(plan.out)
    planned = [r["run_id"] for r in json.loads(plan.out)["runs"]]
    out = tmp_path / "records"

    done = child(repo, "run", "--runs", str(tmp_path / "plan.json"), "--records-out", str(out),
                 "--no-commit", "--jobs", "1")  # fmt: skip

    assert done.returncode == 143, done.stdout + done.stderr
    [written] = read_records(out / "shard-all.jsonl")  # the run in progress, finished
    assert written.run_id in planned
    assert f"stopped by SIGTERM: {len(planned) - 1} runs not run" in done.stderr


def test_a_trigger_finishes_records_and_exits_143(repo: Path) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    sid = "customer-003/daily-products"
    done = child(repo, "trigger", sid, "--at", AT)
    assert done.returncode == 143, done.stdout + done.stderr
    assert "stopped by SIGTERM: the run had started, so it finished and was recorded" in (
        done.stderr
    )
    [manual] = [r for r in iter_records(repo) if r.trigger == "manual"]
    assert manual.status == "succeeded"
