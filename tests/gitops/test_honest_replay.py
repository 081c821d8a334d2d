"""Replays that tell the truth: a shallow clone's boundary commit is not local work (also after
the remote was force-pushed), and a state file damaged on the remote during the tick stops the
replay before it writes anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitcron.engine.replay import PENDING_FILE, read_records
from gitcron.gitops import repo as git_steps
from gitops.gitrepo import (
    TICK,
    clone,
    fresh,
    git,
    origin_with_examples,
    ran_fires,
    records,
    shallow,
)
from support import Run, invoke


def run(root: Path, *args: str) -> Run:
    return invoke(["--repo", str(root), *args], {"GITCRON_SMTP_URL": None})


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    return origin_with_examples(tmp_path)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gitcron.gitops.commit.sleep", lambda _: None)


def push_first(monkeypatch: pytest.MonkeyPatch, change: Path, outcomes: bool = False) -> None:
    """Push `change`'s branch just before the tick's first push (its claims), forced; or, with
    `outcomes`, rebased onto the tick's claims just before it pushes its outcomes."""
    real_push = git_steps.push
    pushes: list[bool] = []

    def push(root: Path, up: git_steps.Upstream) -> git_steps.PushResult:
        if not pushes and not outcomes:
            git(change, "push", "-q", "--force", "origin", "HEAD:main")
        if pushes == [True] and outcomes:
            git(change, "pull", "-q", "--rebase", "origin", "main")
            git(change, "push", "-q", "origin", "HEAD:main")
        result = real_push(root, up)
        pushes.append(result.ok)
        return result

    monkeypatch.setattr(git_steps, "push", push)


def test_a_shallow_clone_replays_onto_a_force_pushed_remote(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shallow(origin, tmp_path / "c")
    other = clone(origin, tmp_path / "rewrite")
    readme = other / "README.txt"
    readme.write_text("rewritten history\n")
    git(other, "add", "README.txt")
    git(other, "commit", "-q", "--amend", "-m", "the last commit, rewritten")
    push_first(monkeypatch, other)

    result = run(root, "run", "--at", TICK, "--push")

    assert result.code == 0, result.both
    assert "local commit" not in result.both
    pushed = fresh(origin, tmp_path)
    assert (pushed / "README.txt").exists()
    assert len(ran_fires(records(pushed))) == 4


def test_a_shallow_clone_still_refuses_to_drop_real_local_work(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shallow(origin, tmp_path / "c")
    (root / "notes.txt").write_text("mine\n")
    git(root, "add", "notes.txt")
    git(root, "commit", "-q", "-m", "local work")
    other = clone(origin, tmp_path / "other")
    (other / "theirs.txt").write_text("theirs\n")
    git(other, "add", "theirs.txt")
    git(other, "commit", "-q", "-m", "their work")
    push_first(monkeypatch, other)

    result = run(root, "run", "--at", TICK, "--push")

    assert result.code == 1
    assert "1 local commit(s) outside state/" in result.err


def test_a_state_file_damaged_on_the_remote_stops_the_replay_before_any_write(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shallow(origin, tmp_path / "c")
    other = clone(origin, tmp_path / "edit")
    damaged = other / "state/schedules/customer-003.json"
    data = json.loads(damaged.read_text("utf-8"))
    data["schedules"]["daily-products"]["runs"] = "many"
    damaged.write_text(json.dumps(data))
    git(other, "commit", "-q", "-am", "a hand edit")
    push_first(monkeypatch, other, outcomes=True)

    result = run(root, "run", "--at", TICK, "--push")

    assert result.code == 1
    assert "1 record(s) could not be folded into state: state/schedules/customer-003.json" in (
        result.err
    )
    assert "schedules.daily-products.runs" in result.err
    assert "nothing of them was written" in result.err
    pushed = fresh(origin, tmp_path)
    assert json.loads((pushed / damaged.relative_to(other)).read_text("utf-8")) == data
    assert not [r for r in records(pushed) if r.schedule.startswith("customer-003/")]
    assert len(ran_fires(records(pushed))) == 3  # the other customers' runs are pushed
    kept = read_records(root / PENDING_FILE)  # kept for a tick after the repair
    assert [r.schedule for r in kept] == ["customer-003/weekday-stock"]

    edit = git(other, "rev-parse", "HEAD")
    git(other, "pull", "-q", "--ff-only")
    git(other, "revert", "--no-edit", edit)  # repaired
    git(other, "push", "-q", "origin", "HEAD:main")
    git(root, "pull", "-q")
    again = run(root, "run", "--at", "2026-12-07T14:22:00Z", "--push")
    assert again.code == 0, again.both
    assert len(ran_fires(records(fresh(origin, tmp_path)))) == 4
    assert not (root / PENDING_FILE).exists()
