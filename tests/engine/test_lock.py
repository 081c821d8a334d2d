"""The tick lock on every platform: flock, Windows' msvcrt.locking, and the O_EXCL stand-in.

The CLI loads the lock module at start, so a system without fcntl must still validate, plan
and list next runs; its ticks then take turns through a lock file created with O_EXCL.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

import gitcron
from engine.helpers import utc
from gitcron.catalog.files import CACHE_DIR
from gitcron.engine import lock
from gitcron.engine.lock import HELD_FILE, LOCK_FILE, tick_lock
from gitcron.engine.tick import TickOptions, run_tick
from gitcron.errors import GitcronError
from gitcron.state import iter_records
from support import NOW

SRC = Path(gitcron.__file__).resolve().parents[1]
# `gitcron ARGS` in a Python where `import fcntl` fails, as on a system without it.
WITHOUT_FCNTL = (
    "import sys; sys.modules['fcntl'] = None; from gitcron.cli.main import main; main(sys.argv[1:])"
)
FIRST_TICK = "2026-12-07T05:52:00Z"
LATE_TICK = "2026-12-07T14:07:00Z"
EXPECTED_RUNS = {
    "customer-001/weekly-products@2026-12-07T14:00:00Z",
    "customer-002/monthly-products@2026-12-07T10:00:00Z",
    "customer-003/weekday-stock@2026-12-07T13:30:00Z",
    "customer-004/products-every-6h@2026-12-07T12:00:00Z",
}


def _without_fcntl(repo: Path, *args: str) -> subprocess.Popen[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(repo), "PYTHONPATH": str(SRC), "GITCRON_NOW": NOW}
    command = [sys.executable, "-c", WITHOUT_FCNTL, "--repo", str(repo), *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    return proc.returncode, out


def test_validate_plan_next_and_run_work_without_fcntl(repo: Path) -> None:
    code, out = _finish(_without_fcntl(repo, "validate"))
    assert code == 0, out
    code, out = _finish(_without_fcntl(repo, "run", "--at", FIRST_TICK))
    assert code == 0, out
    assert not (repo / CACHE_DIR / HELD_FILE).exists()  # let go after the tick
    code, out = _finish(_without_fcntl(repo, "plan", "--at", LATE_TICK))
    assert code == 0, out
    assert out.splitlines()[0] == "plan at 2026-12-07 14:07 UTC (last tick: 2026-12-07 05:52 UTC)"
    weekly = "customer-001/weekly-products"
    code, out = _finish(_without_fcntl(repo, "next", weekly, "-n", "2", "--format", "json"))
    assert code == 0, out
    assert json.loads(out)["runs"] == ["2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00"]


def test_overlapping_ticks_take_turns_without_fcntl(repo: Path) -> None:
    run_tick(repo, utc("2026-12-07T05:52"), TickOptions(env={}))
    procs = [_without_fcntl(repo, "run", "--at", LATE_TICK) for _ in range(3)]
    outputs = [_finish(p) for p in procs]
    assert [code for code, _ in outputs] == [0, 0, 0], outputs
    ran = [r.run_id for r in iter_records(repo) if r.status == "succeeded"]
    assert sorted(ran) == sorted(EXPECTED_RUNS)  # each once, though three ticks overlapped
    assert sum("4 runs" in out for _, out in outputs) == 1
    assert sum("0 runs" in out for _, out in outputs) == 2
    assert not (repo / CACHE_DIR / HELD_FILE).exists()


def test_posix_ticks_use_flock_on_the_lock_file(tmp_path: Path) -> None:
    assert lock._platform_lock() is lock._flock
    with tick_lock(tmp_path):
        assert (tmp_path / CACHE_DIR / LOCK_FILE).exists()
        assert not (tmp_path / CACHE_DIR / HELD_FILE).exists()


@pytest.fixture
def no_fcntl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)


@pytest.mark.usefixtures("no_fcntl")
def test_the_stand_in_makes_a_second_holder_wait(tmp_path: Path) -> None:
    events: list[str] = []
    second_started = threading.Event()

    def second() -> None:
        second_started.set()
        with tick_lock(tmp_path):
            events.append("second holds")

    with tick_lock(tmp_path):
        held = tmp_path / CACHE_DIR / HELD_FILE
        assert held.read_text(encoding="ascii") == f"{os.getpid()}\n"
        thread = threading.Thread(target=second)
        thread.start()
        second_started.wait(5)
        time.sleep(0.5)  # the second tick is polling the held file by now
        events.append("first lets go")
    thread.join(10)
    assert events == ["first lets go", "second holds"]
    assert not held.exists()


@pytest.mark.usefixtures("no_fcntl")
def test_the_stand_in_is_let_go_when_the_tick_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="tick failed"), tick_lock(tmp_path):
        raise RuntimeError("tick failed")
    assert not (tmp_path / CACHE_DIR / HELD_FILE).exists()


@pytest.mark.usefixtures("no_fcntl")
def test_a_stale_stand_in_stops_the_tick_with_the_file_to_delete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "HELD_WAIT", timedelta(seconds=0.3))
    held = tmp_path / CACHE_DIR / HELD_FILE
    held.parent.mkdir()
    held.write_text("4242\n", encoding="ascii")  # left by a tick that was killed
    with pytest.raises(GitcronError) as caught, tick_lock(tmp_path):
        pytest.fail("the lock was taken although the file is there")
    assert caught.value.message.startswith(
        "another tick in this checkout (process 4242, which created .gitcron-cache/tick.held) "
        "has not finished after 0 minutes"
    )
    assert caught.value.hint == (
        "if no gitcron tick is running here (one was stopped mid-way), "
        "delete .gitcron-cache/tick.held"
    )
    assert held.exists()  # never deleted on the holder's behalf


def test_windows_ticks_lock_the_first_byte_with_msvcrt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    busy = [True]  # the first LK_LOCK finds the byte held by another tick

    def locking(fd: int, mode: int, count: int) -> None:
        calls.append(({1: "lock", 0: "unlock"}[mode], os.lseek(fd, 0, os.SEEK_CUR)))
        assert count == 1
        if mode == 1 and busy:
            busy.pop()
            raise OSError(errno.EDEADLOCK, "Resource deadlock avoided")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(
        sys.modules, "msvcrt", SimpleNamespace(LK_UNLCK=0, LK_LOCK=1, locking=locking)
    )
    with tick_lock(tmp_path):
        calls.append(("tick", -1))
    assert calls == [("lock", 0), ("lock", 0), ("tick", -1), ("unlock", 0)]
    assert (tmp_path / CACHE_DIR / LOCK_FILE).exists()
