"""A sharded tick (plan --shards, shard processes in parallel, commit) leaves the same history
and state as one unsharded tick; and the balance keeps each schedule's runs together."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitcron.engine.planner import PlannedRun
from gitcron.engine.shards import balance
from gitops.gitrepo import comparable, git, popen, records, state_files
from support import REPO, invoke

SCHEDULES = 2_000
CUSTOMERS = 50
SHARDS = 4
FIRST, TICK = "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z"
NO_SMTP = {"GITCRON_SMTP_URL": None}


def schedule_text(n: int) -> str:
    minute = (n * 7) % 1440  # spread over the day: about 1 in 12 is due between FIRST and TICK
    return (
        "description: Generated\n"
        f'schedule:\n  daily: {{ at: "{minute // 60:02d}:{minute % 60:02d}" }}\n'
        "report:\n  dataset: products\n  format: csv\n"
        f'  filename: "s{n}-{{{{ run.local_date }}}}.csv"\n'
        f"deliver:\n  - email: {{ to: [buyer{n}@example.com] }}\n"
    )


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 schedules over 50 customers, committed, after their first tick."""
    root = tmp_path_factory.mktemp("big") / "repo"
    root.mkdir()
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    for n in range(SCHEDULES):
        path = root / "schedules" / f"c{n % CUSTOMERS:02d}" / f"s{n:04d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schedule_text(n), "utf-8")
    (root / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated")
    first = invoke(["--repo", str(root), "run", "--at", FIRST], NO_SMTP)
    assert first.code == 0, first.both
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first tick")
    return root


@pytest.mark.slow
def test_a_sharded_tick_equals_one_tick(big_repo: Path, tmp_path: Path) -> None:
    single, sharded = tmp_path / "single", tmp_path / "sharded"
    shutil.copytree(big_repo, single)
    shutil.copytree(big_repo, sharded)
    alone = invoke(["--repo", str(single), "run", "--at", TICK], NO_SMTP)
    assert alone.code == 0, alone.both[-2000:]

    plan = invoke(
        ["--repo", str(sharded), "plan", "--at", TICK, "--shards", "4", "--format", "json"]
    )
    assert plan.code == 0, plan.both
    payload = plan.json()
    assert payload["matrix"] == {"shard": [0, 1, 2, 3]}
    assert sum(len(ids) for ids in payload["shards"]) == len(payload["runs"]) > 100
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.out, "utf-8")
    out = tmp_path / "records"
    args = ("run", "--runs", str(plan_file), "--records-out", str(out), "--no-commit")
    shards = [popen(sharded, *args, "--shard", str(k)) for k in range(SHARDS)]
    logs = [p.communicate(timeout=120)[0] for p in shards]
    assert [p.returncode for p in shards] == [0] * SHARDS, logs
    assert not git(sharded, "status", "--porcelain", "--", "state")  # shards write no state

    done = invoke(["--repo", str(sharded), "commit", "--records", str(out), "--at", TICK], NO_SMTP)
    assert done.code == 0, done.both[-2000:]
    assert git(sharded, "log", "-1", "--format=%s") == f"gitcron: {alone.out.splitlines()[-2]}"
    assert comparable(records(sharded)) == comparable(records(single))
    assert state_files(sharded) == state_files(single)


@pytest.mark.slow
def test_commit_leaves_a_schedule_whose_shard_reported_nothing(
    big_repo: Path, tmp_path: Path
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(big_repo, root)
    plan = invoke(["--repo", str(root), "plan", "--at", TICK, "--shards", "4", "--format", "json"])
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.out, "utf-8")
    out = tmp_path / "records"
    for k in (0, 1, 2):  # shard 3 never reports
        ran = invoke(["--repo", str(root), "run", "--runs", str(plan_file), "--shard", str(k),
                      "--records-out", str(out), "--no-commit"], NO_SMTP)  # fmt: skip
        assert ran.code == 0, ran.both[-1000:]
    done = invoke(["--repo", str(root), "commit", "--records", str(out), "--at", TICK], NO_SMTP)
    assert done.code == 1
    missing = plan.json()["shards"][3]
    assert f"no record {missing[0]}" in done.out
    later = invoke(
        ["--repo", str(root), "plan", "--at", "2026-12-07T12:15:00Z", "--format", "json"]
    )
    assert set(missing) <= {r["run_id"] for r in later.json()["runs"]}  # planned again


def run_of(sid: str, hour: int) -> PlannedRun:
    fire = datetime(2026, 12, 7, hour, tzinfo=UTC)
    return PlannedRun(f"{sid}@{hour}", sid, fire, None, "scheduled")


def test_balance_keeps_a_schedules_runs_together_and_evens_the_counts() -> None:
    runs = [run_of("a/x", h) for h in range(4)] + [run_of(f"b/{n}", 1) for n in range(6)]
    split = balance(runs, 3)
    assert sorted(len(s) for s in split) == [3, 3, 4]
    assert any(set(s) == {f"a/x@{h}" for h in range(4)} for s in split)
    assert balance(runs, 3) == split  # deterministic
    assert balance([], 2) == [[], []]


def test_plan_refuses_more_shards_than_a_matrix_allows(big_repo: Path) -> None:
    result = invoke(["--repo", str(big_repo), "plan", "--shards", "257", "--format", "json"])
    assert result.code == 2


def test_a_shard_number_outside_the_plan_is_a_usage_error(tmp_path: Path, big_repo: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps({"at": TICK, "runs": [], "shards": [[], []]}), "utf-8")
    args = ["run", "--runs", str(plan_file), "--shard", "2", "--records-out", str(tmp_path)]
    result = invoke(["--repo", str(big_repo), *args])
    assert result.code == 2
    assert "the runs file has 2 shard(s)" in result.err
