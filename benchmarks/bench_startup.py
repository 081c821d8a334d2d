"""How long gitcron takes to start: `gitcron --help`, and a tick with nothing due.

Each is a fresh process, timed against its baseline in the same interleaved rounds (baseline,
subject, subject, baseline, ...: the machine is shared and noisy, so both see the same load):
  - `gitcron --help` against `python -c "import click"` (target <= 1.5x);
  - `gitcron run` with nothing due, against `python -c "import yaml, pydantic"` (target <= 1.5x).
The tick runs in a copy of this repository's examples (gitcron.yaml and schedules/, in git), after
a first tick and one more that warmed the parse cache and left the quiet record; each measured
tick is a minute after the one before, with no schedule due, so each one writes state/tick.json as
a real tick does (the first ticks also write gitcron's bytecode, as an install does). The measured
ticks must take the quiet path (engine/quiet.py): a full tick would replace the record the warm
tick left, and the bench fails when it finds it replaced. The same tick with the quiet path off
(`GITCRON_QUIET=0`) is measured too, against the same baseline. Prints the medians and the median
of the per-round ratios, of CPU time (the process's user + system time, which another engineer's
load on the machine disturbs little) and of wall-clock time.

    python benchmarks/bench_startup.py [--rounds 11]
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from gitcron.engine import quiet

sys.path.insert(0, str(Path(__file__).parent))
from bench_validate import Timing, interleaved

REPO = Path(__file__).resolve().parents[1]
FIRST, WARM, NOOP = "2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z", "2026-11-23T03:30:00Z"


def gitcron() -> list[str]:
    """The console script beside this interpreter, as users run it (else `python -m gitcron`)."""
    script = Path(sys.executable).parent / "gitcron"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gitcron"]


def timed(run: Callable[[], None]) -> Timing:
    """The wall-clock, and the CPU time of the child process `run` waits for (user + system)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    run()
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def process(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env={**ENV, **(env or {})})


# Without GITCRON_ settings, and with bytecode written: an install compiles gitcron's modules
# (the tick workflow's does), so a shell that forbids .pyc files would time the compiler instead.
Env = dict[str, str] | None
FULL = {"GITCRON_QUIET": "0"}
ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith("GITCRON_") and k != "PYTHONDONTWRITEBYTECODE"
}


def noop_repo() -> Path:
    """A copy of the examples in git, two ticks in: the next tick at NOOP has nothing due."""
    root = Path(tempfile.mkdtemp(prefix="gitcron-bench-startup-"))
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", root / "schedules")
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=b@x"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "schedules"], check=True)
    for at in (FIRST, WARM):
        process([*gitcron(), "--repo", str(root), "run", "--at", at])
    plan = subprocess.run(
        [*gitcron(), "--repo", str(root), "plan", "--at", NOOP],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
    ).stdout
    assert "nothing is due" in plan, plan
    return root


def compare(
    name: str, baseline: list[str], subject: Callable[[], list[str]], rounds: int, env: Env = None
) -> None:
    base, took = interleaved(
        lambda: process(baseline), lambda: process(subject(), env=env), rounds, timer=timed
    )
    shown = " ".join(baseline[1:]) if baseline[0] == sys.executable else " ".join(baseline)
    print(f"{name} (medians of {rounds} interleaved rounds; target <= 1.5x)")
    for n, what in ((1, "CPU"), (0, "wall")):
        mine, theirs = [t[n] for t in took], [t[n] for t in base]
        ratio = statistics.median(b / a for a, b in zip(theirs, mine, strict=True))
        print(
            f"  {what:<4} {statistics.median(mine) * 1000:7.1f} ms, baseline {shown} "
            f"{statistics.median(theirs) * 1000:6.1f} ms: {ratio:5.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    python = sys.executable
    root = noop_repo()
    try:
        started = time.perf_counter()
        compare("gitcron --help", [python, "-c", "import click"], lambda: [*gitcron(), "--help"],
                args.rounds)  # fmt: skip
        minutes = itertools.count()  # 03:30, 03:31, ...: nothing is due before 06:00
        floor = [python, "-c", "import yaml, pydantic"]

        def tick() -> list[str]:
            at = datetime.fromisoformat(NOOP) + timedelta(minutes=next(minutes))
            return [*gitcron(), "--repo", str(root), "run", "--at", at.isoformat()]

        compare("tick with nothing due (the quiet path)", floor, tick, args.rounds)
        kept = quiet.read(root)
        assert kept is not None, "no quiet record: the measured ticks were full ones"
        assert kept.at == datetime.fromisoformat(WARM), "a measured tick was a full one"
        compare("the same tick, full (GITCRON_QUIET=0)", floor, tick, args.rounds, env=FULL)
        print(f"(measured in {time.perf_counter() - started:.1f} s)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
