"""The sharded workflow's steps run here as tick-sharded.yml runs them, each on its own shallow
clone: the plan job claims and pushes, four shards deliver, the commit job folds and pushes.
That equals one unsharded tick; and the runs of a shard that dies are taken over later."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from gitcron.engine.faults import ENV
from gitops.fleet import Receiver, gitcron, history, receiver, seed, standing, start
from gitops.gitrepo import clone, fresh, git, shallow, state_files
from gitops.gitrepo import gitcron as gitcron_alone

SHARDS = 4
FIRST = "2026-12-07T11:52:00Z"
AT = "2026-12-07T12:07:00Z"  # 8 runs due
HELD, TAKEOVER = "2026-12-07T12:22:00Z", "2026-12-07T12:52:00Z"


def sharded_tick(origin: Path, tmp: Path, smtp: Receiver, dies: int | None = None) -> int:
    """plan --claim, 4 shards in parallel (shard `dies` killed after its first run), commit."""
    planned = gitcron(shallow(origin, tmp / "plan"), smtp, "plan", "--at", AT, "--shards",
                      str(SHARDS), "--format", "json", "--claim")  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    assert "claims: 8 run(s) claimed and pushed" in planned.stderr
    plan = tmp / "plan.json"
    plan.write_text(planned.stdout)
    records = tmp / "records"
    shards = [
        start(shallow(origin, tmp / f"shard-{k}"), smtp, "run", "--runs", str(plan), "--shard",
              str(k), "--records-out", str(records), "--no-commit",
              extra={ENV: "mid-delivery:1"} if k == dies else None)
        for k in range(SHARDS)
    ]  # fmt: skip
    for k, shard in enumerate(shards):
        output = shard.communicate(timeout=300)[0]
        assert shard.returncode == (-signal.SIGKILL if k == dies else 0), output
    records.mkdir(exist_ok=True)
    committed = gitcron(shallow(origin, tmp / "commit"), smtp, "commit", "--records",
                        str(records), "--at", AT, "--push")  # fmt: skip
    return committed.returncode


@pytest.mark.slow
def test_the_sharded_steps_with_claims_equal_one_tick(tmp_path: Path) -> None:
    origin = seed(tmp_path, FIRST)
    alone = clone(origin, tmp_path / "alone")
    assert gitcron_alone(alone, "run", "--at", AT, "--commit").returncode == 0
    with receiver() as smtp:
        assert sharded_tick(origin, tmp_path, smtp) == 0
        delivered = smtp.delivered()
    assert len(delivered) == 8
    assert set(delivered.values()) == {1}
    pushed = fresh(origin, tmp_path)
    assert state_files(pushed) == state_files(alone)
    assert not (pushed / "state/claims.json").exists()
    assert git(pushed, "log", "-2", "--format=%s").splitlines()[1].startswith("gitcron: claim 8")


@pytest.mark.slow
def test_a_killed_shards_runs_are_taken_over_by_a_later_tick(tmp_path: Path) -> None:
    origin = seed(tmp_path, FIRST)
    with receiver() as smtp:
        assert sharded_tick(origin, tmp_path, smtp, dies=3) == 1  # the commit names what is left
        held = gitcron(shallow(origin, tmp_path / "held"), smtp, "run", "--at", HELD, "--push")
        assert held.returncode == 0, held.stdout + held.stderr
        assert "held by another tick's claims" in held.stdout
        later = gitcron(shallow(origin, tmp_path / "later"), smtp, "run", "--at", TAKEOVER,
                        "--push")  # fmt: skip
        assert later.returncode == 0, later.stdout + later.stderr
        delivered = smtp.delivered()
    pushed = fresh(origin, tmp_path)
    outcome = standing(history(pushed))
    for run_id in delivered:
        assert outcome.get(run_id) == "succeeded", (run_id, outcome.get(run_id))
    at_noon = {run_id for run_id in outcome if run_id.endswith("@2026-12-07T12:00:00Z")}
    assert at_noon <= set(delivered)  # every claimed fire was delivered in the end
    assert {outcome[run_id] for run_id in at_noon} == {"succeeded"}
    assert not (pushed / "state/claims.json").exists()
    dead_shard = set(json.loads((tmp_path / "plan.json").read_text())["shards"][3])
    twice = {run_id for run_id, n in delivered.items() if n > 1}
    assert twice <= dead_shard  # only what the dead shard had sent goes twice
    assert max(delivered.values()) <= 2
