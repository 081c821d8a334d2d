"""Claim, then deliver: sixteen ticks at one instant, each on its own shallow clone, pushing at
once, deliver each due fire exactly once in all (counted at a real SMTP server), and leave the
state one tick alone leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from gitops.fleet import history, ran_lines, receiver, seed, start
from gitops.gitrepo import clone, fresh, git, gitcron, shallow, state_files

TICKS = 16
FIRST = "2026-12-07T11:52:00Z"
AT = "2026-12-07T12:07:00Z"  # 8 runs due: every schedule's 12:00 fire


@pytest.mark.slow
def test_sixteen_ticks_at_one_instant_deliver_each_fire_once(tmp_path: Path) -> None:
    origin = seed(tmp_path, FIRST)
    alone = clone(origin, tmp_path / "alone")  # the sequential result: one tick, no race
    assert gitcron(alone, "run", "--at", AT, "--commit").returncode == 0
    clones = [shallow(origin, tmp_path / f"tick-{n}") for n in range(TICKS)]

    with receiver() as smtp:
        ticks = [start(c, smtp, "run", "--at", AT, "--push") for c in clones]
        outputs = [t.communicate(timeout=300)[0] for t in ticks]
        delivered = smtp.delivered()

    for tick, output in zip(ticks, outputs, strict=True):
        assert tick.returncode == 0, output
    assert len(delivered) == 8
    assert set(delivered.values()) == {1}  # each due fire, once in all
    pushed = fresh(origin, tmp_path)
    assert state_files(pushed) == state_files(alone)
    assert not (pushed / "state/claims.json").exists()  # every claim ended with its record
    found = history(pushed)
    assert sorted(k for k, n in ran_lines(found).items() if n) == sorted(
        (run_id, 1) for run_id in delivered
    )
    assert max(ran_lines(found).values()) == 1
    assert sum("claim push" in out and "refused" in out for out in outputs) >= 1  # a real race
    subjects = git(pushed, "log", "--format=%s")
    assert subjects.count("gitcron: claim 8 run(s)") == 1


def test_a_tick_with_nothing_due_pushes_no_claim(tmp_path: Path) -> None:
    origin = seed(tmp_path, FIRST)
    root = shallow(origin, tmp_path / "c")
    with receiver() as smtp:
        first = start(root, smtp, "run", "--at", "2026-12-07T11:55:00Z", "--push")
        output = first.communicate(timeout=120)[0]
    assert first.returncode == 0, output
    assert "claims:" not in output
    subjects = git(fresh(origin, tmp_path), "log", "--format=%s").splitlines()
    assert not [s for s in subjects if s.startswith("gitcron: claim")]
