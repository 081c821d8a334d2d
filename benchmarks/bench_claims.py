"""What claiming costs a tick with runs due: one extra commit and push (docs/commit.md, "Claims").

Seeds a bare origin with the repo's example schedules and their first tick, then times, in
interleaved rounds (baseline, claims, baseline, claims, ...: the machine is shared and noisy, so
both sides see the same load), each in a fresh process on a fresh clone of a fresh copy of the
origin, the tick at which 4 runs are due (deliveries into the outbox):
  - baseline: `gitcron run --commit` then `git push`: the tick and its one push, no claims;
  - claims: `gitcron run --push`: claims pushed first, then the runs, then the outcomes pushed;
and prints the median of each, the median of the per-round differences (the claim's cost) and
of the per-round ratios.

    python benchmarks/bench_claims.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIRST, TICK = "2026-12-07T05:52:00Z", "2026-12-07T14:07:00Z"  # then 4 runs are due


def env(home: Path) -> dict[str, str]:
    """No user git config and no SMTP: mail goes to the outbox, git costs what git costs."""
    kept = {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH")}
    return {**kept, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip


def sh(cwd: Path, *args: str) -> None:
    subprocess.run(args, cwd=cwd, env=env(cwd), check=True, capture_output=True)


def gitcron(root: Path, *args: str) -> None:
    sh(root, sys.executable, "-m", "gitcron", "--repo", str(root), *args)


def seed(tmp: Path) -> Path:
    """A bare origin with the examples, after the first tick (pushed)."""
    work = tmp / "seed"
    work.mkdir()
    shutil.copy(REPO / "gitcron.yaml", work / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", work / "schedules")
    (work / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    sh(work, "git", "init", "-q", "-b", "main")
    sh(work, "git", "add", "-A")
    sh(work, "git", "commit", "-q", "-m", "examples")
    origin = tmp / "origin.git"
    sh(tmp, "git", "clone", "-q", "--bare", str(work), str(origin))
    first = tmp / "first"
    sh(tmp, "git", "clone", "-q", str(origin), str(first))
    gitcron(first, "run", "--at", FIRST, "--push")
    return origin


def timed(tmp: Path, origin: Path, name: str, claims: bool) -> float:
    """One tick with 4 runs due on a fresh clone of a fresh copy of `origin`; seconds."""
    copy = tmp / f"{name}.git"
    shutil.copytree(origin, copy)
    clone = tmp / name
    sh(tmp, "git", "clone", "-q", "--depth", "1", f"file://{copy}", str(clone))
    started = time.perf_counter()
    if claims:
        gitcron(clone, "run", "--at", TICK, "--push")
    else:
        gitcron(clone, "run", "--at", TICK, "--commit")
        sh(clone, "git", "push", "-q", "origin", "HEAD:main")
    elapsed = time.perf_counter() - started
    shutil.rmtree(clone)
    shutil.rmtree(copy)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        origin = seed(tmp)
        base, claimed = [], []
        for n in range(args.rounds):
            base.append(timed(tmp, origin, f"base-{n}", claims=False))
            claimed.append(timed(tmp, origin, f"claims-{n}", claims=True))
    diffs = [c - b for b, c in zip(base, claimed, strict=True)]
    ratios = [c / b for b, c in zip(base, claimed, strict=True)]
    print(f"rounds: {args.rounds} (interleaved: baseline, claims, ...)")
    print(f"baseline (run --commit, git push): median {statistics.median(base):.3f} s")
    print(f"claims   (run --push):             median {statistics.median(claimed):.3f} s")
    print(f"claim cost: median of per-round differences {statistics.median(diffs):+.3f} s, "
          f"of per-round ratios {statistics.median(ratios):.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
