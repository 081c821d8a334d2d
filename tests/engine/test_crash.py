"""SIGKILL a real `gitcron run` at many points of a tick: state still loads, no record is lost,
and the next tick finishes the work without running a recorded fire twice.

The kill points are the tick's durable writes (state files replaced, history lines appended):
the child process wraps them, counts them, and kills itself with SIGKILL before a write, after
it, or half-way through a history line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from engine.test_tick import EXPECTED_RUNS, FIRST
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.state import StateStore, iter_records
from gitcron.state.history import ReadStats

CHILD = """
import os, signal, sys
import gitcron.state.files as files
import gitcron.state.history as history

point, mode = int(sys.argv[1]), sys.argv[2]
count = appends = 0

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def counted(original, torn=False):
    def wrapper(*args, **kwargs):
        global count, appends
        count += 1
        appends += torn
        if count == point and mode == "before":
            die()
        if appends == point and mode == "torn" and torn:
            path, lines = args
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "ab") as handle:
                handle.write(lines[0].encode()[: len(lines[0]) // 2])
            die()
        result = original(*args, **kwargs)
        if count == point and mode == "after":
            die()
        return result
    return wrapper

files.write_bytes = counted(files.write_bytes)
history._append_lines = counted(history._append_lines, torn=True)
from gitcron.cli.main import main
try:
    main(sys.argv[3:])
finally:
    print("writes:", count, file=sys.stderr)
"""


def crash_run(root: Path, point: int, mode: str) -> subprocess.CompletedProcess[str]:
    args = ["--repo", str(root), "run", "--at", "2026-12-07T14:07:00Z"]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root)}
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(point), mode, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def writes_in_a_whole_tick(root: Path) -> int:
    done = crash_run(root, 10_000, "after")
    assert done.returncode == 0, done.stderr
    return int(done.stderr.rsplit("writes:", 1)[1])


def load_everything(root: Path) -> list[tuple[str, str, int]]:
    """Every state file loads; the history records, as (run id, status, attempt)."""
    store = StateStore(root)
    store.load_tick()
    for customer in store.customers():
        store.load_customer(customer)
    return [(r.run_id, r.status, r.attempt) for r in iter_records(root, stats=ReadStats())]


@pytest.fixture(scope="module")
def total_writes(tmp_path_factory: pytest.TempPathFactory) -> int:
    root = tmp_path_factory.mktemp("reference") / "repo"
    _copy_examples(root)
    run_tick(root, FIRST, TickOptions(env={}))
    return writes_in_a_whole_tick(root)


def _copy_examples(root: Path) -> None:
    import shutil

    from support import REPO

    root.mkdir(parents=True)
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", root / "schedules")


POINTS = [
    *(pytest.param(n, "after", id=f"after write {n}") for n in (1, 2, 3, 5, 8, 11, 14, 17, 20)),
    *(pytest.param(n, "before", id=f"before write {n}") for n in (1, 4, 9)),
    *(pytest.param(n, "torn", id=f"torn history append {n}") for n in (1, 3, 5)),
]


@pytest.mark.parametrize(("point", "mode"), POINTS)
def test_a_killed_tick_loses_nothing_and_the_next_tick_finishes(
    repo: Path, point: int, mode: str, total_writes: int
) -> None:
    if point > total_writes:
        pytest.skip(f"this tick makes only {total_writes} writes")
    run_tick(repo, FIRST, TickOptions(env={}))
    crashed = crash_run(repo, point, mode)
    assert crashed.returncode == -9, crashed.stderr  # it really was killed
    survived = load_everything(repo)

    run_tick(repo, FIRST.replace(hour=14, minute=12), TickOptions(env={}))
    final = load_everything(repo)
    assert Counter(survived) - Counter(final) == Counter()  # nothing recorded was lost
    succeeded = Counter(run_id for run_id, status, _ in final if status == "succeeded")
    assert set(succeeded) == EXPECTED_RUNS
    assert set(succeeded.values()) == {1}  # and no recorded run ran again
    missed = Counter(run_id for run_id, status, _ in final if status == "missed")
    assert missed == Counter(
        {
            "customer-004/products-every-6h@2026-12-07T06:00:00Z": 1,
            "customer-004/stock-event@2026-12-07T06:00:00Z": 1,
        }
    )
    weekly = StateStore(repo).load_customer("customer-001")["weekly-products"]
    assert (weekly.runs, weekly.succeeded) == (1, 1)
