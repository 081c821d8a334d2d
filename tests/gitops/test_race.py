"""Ticks racing to push one origin: every push lands, no record is lost or doubled, and state
equals what one tick alone would have left."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops.gitrepo import (
    TICK,
    clone,
    fresh,
    gitcron,
    origin_with_examples,
    popen,
    ran_fires,
    records,
    state_files,
)

RACERS = 8


@pytest.mark.slow
def test_eight_ticks_racing_to_push_leave_the_sequential_result(tmp_path: Path) -> None:
    origin = origin_with_examples(tmp_path)
    alone = clone(origin, tmp_path / "alone")  # the sequential result: one tick, no race
    assert gitcron(alone, "run", "--at", TICK, "--commit").returncode == 0
    clones = [clone(origin, tmp_path / f"racer-{n}") for n in range(RACERS)]

    racers = [popen(c, "run", "--at", TICK, "--push") for c in clones]
    outputs = [p.communicate(timeout=120)[0] for p in racers]

    for racer, output in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, output
    pushed = fresh(origin, tmp_path)
    found = records(pushed)
    expected = records(alone)
    assert ran_fires(found) == ran_fires(expected)  # each due fire succeeded exactly once
    assert len(found) == len(expected) == 6  # 4 runs, 2 missed: nothing doubled
    assert state_files(pushed) == state_files(alone)
    assert sum("replayed" in out for out in outputs) >= 1  # the race really happened
