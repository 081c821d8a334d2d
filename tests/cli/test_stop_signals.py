"""SIGTERM and SIGINT reach a real `gitcron run --jobs 1` while its first run is in progress
and three more wait: it exits 143 or 130, says which runs did not run, leaves state that loads,
commits what it recorded, and the next tick runs each of those exactly once. Before any run
(planning, or waiting for another tick's lock) a signal stops the tick at once.

The child process holds its first run until the test releases it (a file appears), and logs
every run that delivered, so deliveries are counted even when a repeat would write the same
outbox file again. The test learns that the signal was heard from the child's standard error.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import gitcron
import gitcron.engine.steps as steps
from engine.test_tick import EXPECTED_RUNS, FIRST
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.state import iter_records
from gitops.gitrepo import env as git_env
from gitops.gitrepo import git
from support import invoke

CHILD = """
import signal, sys, time
from pathlib import Path
import gitcron.engine.steps as steps

hold, log = sys.argv[1], Path(sys.argv[2])
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if inherited
original = steps.run_one
held = []

if hold.startswith("plan:"):  # the signal comes while the tick loads and plans
    import os
    import gitcron.engine.tick as tick
    planning, signum = tick.prepare, int(hold[5:])

    def prepare(*args, **kwargs):
        os.kill(os.getpid(), signum)
        for _ in range(6000):  # the handler runs in one of these waits
            time.sleep(0.01)
        return planning(*args, **kwargs)

    tick.prepare = prepare
    hold = "-"
elif hold.startswith("lock:"):  # the tick waits for another tick's lock
    import fcntl
    locking, marker = fcntl.flock, Path(hold[5:])

    def flock(*args):
        marker.touch()
        return locking(*args)

    fcntl.flock = flock
    hold = "-"

def run_one(run, *args, **kwargs):
    if hold != "-" and not held:
        held.append(run.run_id)
        Path(hold, "started").write_text(run.run_id)
        deadline = time.monotonic() + 120
        while not Path(hold, "release").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    record = original(run, *args, **kwargs)
    with open(log, "a") as handle:
        handle.write(run.run_id + "\\n")
    return record

steps.run_one = run_one
from gitcron.cli.main import main
main(sys.argv[3:])
"""

WAIT = 120  # seconds any one step of a test may take before it fails
WEEKLY = "customer-001/weekly-products@2026-12-07T14:00:00Z"  # the first run with --jobs 1
SIGNALS = [
    pytest.param(signal.SIGTERM, 143, id="SIGTERM"),
    pytest.param(signal.SIGINT, 130, id="SIGINT"),
]


class Tick:
    """A `gitcron run` child at `at`. `how`: "hold" (its first run waits for `release()`),
    "plan:N" (it sends itself signal N while it plans), "lock:FILE" (it touches FILE before it
    waits for the tick lock), or "" (nothing special)."""

    def __init__(
        self, root: Path, work: Path, at: str, how: str = "", extra: tuple[str, ...] = ()
    ) -> None:
        self.hold = work / "hold"
        self.hold.mkdir(exist_ok=True)
        (self.hold / "started").unlink(missing_ok=True)
        self.err_file = work / f"stderr-{at}"
        self.out_file = work / f"stdout-{at}"
        src = str(Path(gitcron.__file__).resolve().parents[1])  # the code under test
        env = {**git_env(root), "PYTHONPATH": src}  # no SMTP: mail goes to the outbox
        how = str(self.hold) if how == "hold" else how or "-"
        child = [sys.executable, "-c", CHILD, how, str(work / "log")]
        args = ["--repo", str(root), "run", "--jobs", "1", "--at", at, *extra]
        with self.out_file.open("w") as out, self.err_file.open("w") as err:
            self.process = subprocess.Popen(
                [*child, *args],
                env=env,
                stdout=out,
                stderr=err,
            )

    @property
    def err(self) -> str:
        return self.err_file.read_text()

    def wait_until_started(self) -> None:
        """Until the held run is in progress."""
        self.wait_until(lambda: (self.hold / "started").exists(), "its first run")

    def wait_until_said(self, text: str) -> None:
        """Until standard error says `text` (the signal handler's note)."""
        self.wait_until(lambda: text in self.err, repr(text))

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT  # a bound on the wait, not a measurement
        while time.monotonic() < deadline:
            if done():
                return
            assert self.process.poll() is None, self.err  # it must not end before
            time.sleep(0.02)
        self.process.kill()
        pytest.fail(f"the tick did not get to {what}: {self.err}")

    def release(self) -> None:
        (self.hold / "release").touch()

    def end(self) -> int:
        try:
            return self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the tick did not exit: {self.err}")


def delivered(work: Path) -> Counter[str]:
    log = work / "log"
    return Counter(log.read_text().split()) if log.exists() else Counter()


def ran(root: Path) -> Counter[str]:
    return Counter(
        r.run_id for r in iter_records(root) if r.status in ("succeeded", "partial", "failed")
    )


def the_next_tick_runs_the_rest_once(root: Path, work: Path) -> None:
    check = invoke(["--repo", str(root), "--at", "2026-12-07T14:07:00Z", "state", "check"])
    assert check.code == 0, check.both
    again = Tick(root, work, "2026-12-07T14:12:00Z")
    assert again.end() == 0, again.err
    assert delivered(work) == Counter(dict.fromkeys(EXPECTED_RUNS, 1))
    assert ran(root) == Counter(dict.fromkeys(EXPECTED_RUNS, 1))


@pytest.fixture
def work(repo: Path, tmp_path: Path) -> Path:
    run_tick(repo, FIRST, TickOptions(env={}))  # the repository's first tick
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_lets_the_run_in_progress_finish_and_starts_no_other(
    repo: Path, work: Path, signum: int, code: int
) -> None:
    tick = Tick(repo, work, "2026-12-07T14:07:00Z", "hold")
    tick.wait_until_started()
    tick.process.send_signal(signum)
    name = signal.Signals(signum).name
    tick.wait_until_said(f"{name}: stopping")
    tick.release()
    assert tick.end() == code, tick.err
    rest = sorted(EXPECTED_RUNS - {WEEKLY})
    said = f"stopped by {name}: 3 runs not started, they will run on the next tick: "
    assert said in tick.err
    [line] = [line for line in tick.err.splitlines() if said in line]
    assert sorted(line.split(said)[1].split(", ")) == rest
    assert delivered(work) == Counter({WEEKLY: 1})
    assert ran(repo) == Counter({WEEKLY: 1})  # the run in progress was recorded, once
    the_next_tick_runs_the_rest_once(repo, work)


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_second_signal_stops_without_waiting_for_the_run_in_progress(
    repo: Path, work: Path, signum: int, code: int
) -> None:
    tick = Tick(repo, work, "2026-12-07T14:07:00Z", "hold")
    tick.wait_until_started()
    tick.process.send_signal(signum)
    name = signal.Signals(signum).name
    tick.wait_until_said(f"{name}: stopping")
    tick.process.send_signal(signum)  # the held run never ends
    assert tick.end() == code, tick.err
    assert f"{name} again: not waiting for the runs in progress" in tick.err
    assert (
        f"stopped by {name}: 1 run cut short and not recorded, it will run again on the next"
        f" tick: {WEEKLY}; 3 runs not started, they will run on the next tick: " in tick.err
    )
    assert delivered(work) == Counter()
    assert ran(repo) == Counter()
    the_next_tick_runs_the_rest_once(repo, work)


def test_a_stopped_tick_commits_what_it_recorded(repo: Path, work: Path) -> None:
    (repo / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "examples and the first tick")
    tick = Tick(repo, work, "2026-12-07T14:07:00Z", "hold", extra=("--commit",))
    tick.wait_until_started()
    tick.process.send_signal(signal.SIGTERM)
    tick.wait_until_said("SIGTERM: stopping")
    tick.release()
    assert tick.end() == 143, tick.err
    assert "commit: state/ committed (not pushed)" in tick.out_file.read_text()
    assert git(repo, "status", "--porcelain") == ""  # the recorded run is in the commit
    assert git(repo, "log", "-1", "--format=%s") == "gitcron: 1 run (1 succeeded)"
    the_next_tick_runs_the_rest_once(repo, work)


def test_the_handlers_are_the_tick_s_only_while_it_runs(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_tick(repo, FIRST, TickOptions(env={}))
    original = steps.run_one
    during: list[tuple[object, object]] = []

    def run_one(*args: Any, **kwargs: Any) -> Any:
        during.append((signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)))
        return original(*args, **kwargs)

    monkeypatch.setattr(steps, "run_one", run_one)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    ignoring = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under nohup
    try:
        done = invoke(["--repo", str(repo), "run", "--at", "2026-12-07T14:07:00Z"])
        after = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGINT, ignoring)
    assert done.code == 0, done.both
    assert len(during) == len(EXPECTED_RUNS)
    assert {handlers[0] for handlers in during} == {signal.SIG_IGN}  # ignored stays ignored
    assert before[1] not in {handlers[1] for handlers in during}  # SIGTERM stops the tick
    assert after == (signal.SIG_IGN, before[1])


@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_before_any_run_stops_the_tick_at_once(
    repo: Path, work: Path, signum: int, code: int
) -> None:
    tick = Tick(repo, work, "2026-12-07T14:07:00Z", f"plan:{int(signum)}")
    assert tick.end() == code, tick.err
    if signum == signal.SIGINT:
        assert "gitcron: aborted" in tick.err  # Ctrl-C, as in any command
    else:
        assert "gitcron: SIGTERM: stopped before any run started; nothing ran" in tick.err
    assert "Traceback" not in tick.err
    assert delivered(work) == Counter()
    assert ran(repo) == Counter()
    the_next_tick_runs_the_rest_once(repo, work)


def waiting(pid: int) -> bool:
    """Whether the process's main thread sleeps in a system call (Linux's /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] == "S"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process state in /proc")
@pytest.mark.parametrize(("signum", "code"), SIGNALS)
def test_a_signal_stops_a_tick_waiting_for_another_tick_s_lock(
    repo: Path, work: Path, signum: int, code: int
) -> None:
    import fcntl  # POSIX, as the lock it stands for

    marker = work / "locking"
    with (repo / ".gitcron-cache" / "tick.lock").open("a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)  # another tick holds the checkout
        tick = Tick(repo, work, "2026-12-07T14:07:00Z", f"lock:{marker}")
        tick.wait_until(lambda: marker.exists() and waiting(tick.process.pid), "the lock")
        tick.process.send_signal(signum)
        assert tick.end() == code, tick.err
    assert ran(repo) == Counter()
    the_next_tick_runs_the_rest_once(repo, work)
