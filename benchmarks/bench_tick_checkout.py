"""What a tick costs, checked out as tick.yml checks out, with 395 days of history against two.

Builds two bare origins that differ only in history: the repository's example schedules, their
first tick, and 1,000 runs a day of history (the lines bench_history.py writes) for 395 days
(what `keep_months: 13` keeps) or for 2 days. Then, interleaved over `--rounds` rounds (two days,
then 395 days, each round), it times a tick as the workflow makes it: a partial clone
(`filter: blob:none`) with tick.yml's sparse-checkout patterns, then `gitcron run --push`; and
it measures the clone's bytes on disk after the tick. Prints the medians and the ratios (the
goal: within 1.5x), and the packed size of each origin after `git gc` (the repository's growth
with and without a year of history).

    python benchmarks/bench_tick_checkout.py [--days 395] [--schedules 1000] [--rounds 3]
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
from datetime import datetime, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_history import END, day_records

from gitcron.state.records import encode_line

REPO = Path(__file__).resolve().parents[1]
FIRST = datetime(2026, 12, 6, 5, 52)
ENV = {
    "PATH": os.environ.get("PATH", ""),
    "HOME": "/nonexistent",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(where: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, env=ENV)
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout.strip()


def gitcron(where: Path, *args: str) -> None:
    argv = [sys.executable, "-m", "gitcron", "--repo", str(where), *args]
    done = subprocess.run(argv, capture_output=True, text=True, env=ENV)
    if done.returncode:
        raise SystemExit(f"gitcron {' '.join(args)}: {done.stdout}{done.stderr}")


def checkout_step() -> dict[str, str]:
    flow = yaml.safe_load((REPO / ".github/workflows/tick.yml").read_text())
    steps = flow["jobs"]["tick"]["steps"]
    return next(s["with"] for s in steps if s.get("uses", "").startswith("actions/checkout@"))


def make_origin(tmp: Path, name: str, days: int, schedules: int) -> Path:
    seed = tmp / f"seed-{name}"
    seed.mkdir()
    shutil.copy(REPO / "gitcron.yaml", seed / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", seed / "schedules")
    (seed / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    git(seed, "init", "-q", "-b", "main")
    gitcron(seed, "run", "--at", f"{FIRST:%Y-%m-%dT%H:%M:%SZ}")
    folder = seed / "state" / "history"
    folder.mkdir(parents=True, exist_ok=True)
    for back in range(days - 1, -1, -1):  # one commit a day, as ticks would leave them
        day = END - timedelta(days=back)
        lines = [encode_line(r) for n in range(schedules) for r in day_records(n, day)]
        (folder / f"{day.isoformat()}.jsonl").write_text("".join(s + "\n" for s in lines))
        if back % 30 == 0 or back < 2:
            git(seed, "add", "-A")
            git(seed, "commit", "-q", "-m", f"history to {day}")
    origin = tmp / f"{name}.git"
    git(tmp, "clone", "-q", "--bare", str(seed), str(origin))
    git(origin, "config", "uploadpack.allowFilter", "true")
    git(origin, "gc", "-q")
    shutil.rmtree(seed)
    return origin


def one_tick(origin: Path, dest: Path, at: datetime) -> tuple[float, int]:
    """Seconds for clone + checkout + tick + push, as tick.yml makes them; bytes on disk after."""
    step = checkout_step()
    started = time.perf_counter()
    git(origin.parent, "clone", "-q", f"--filter={step['filter']}", "--no-checkout",
        f"file://{origin}", str(dest))  # fmt: skip
    git(dest, "sparse-checkout", "set", "--no-cone", *step["sparse-checkout"].split())
    git(dest, "checkout", "-q", "main")
    gitcron(dest, "run", "--at", f"{at:%Y-%m-%dT%H:%M:%SZ}", "--push")
    seconds = time.perf_counter() - started
    shutil.rmtree(dest / "outbox", ignore_errors=True)
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    shutil.rmtree(dest)
    return seconds, size


def packed(origin: Path) -> int:
    return sum(p.stat().st_size for p in (origin / "objects").rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=395)
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        origins = {
            "2 days": make_origin(tmp, "short", 2, args.schedules),
            f"{args.days} days": make_origin(tmp, "long", args.days, args.schedules),
        }
        times: dict[str, list[float]] = {k: [] for k in origins}
        sizes: dict[str, list[int]] = {k: [] for k in origins}
        for n in range(args.rounds):  # interleaved: short, long, short, long, ...
            at = datetime(2026, 12, 6, 14, 7) + timedelta(minutes=15 * n)
            for label, origin in origins.items():
                seconds, size = one_tick(origin, tmp / f"tick-{n}-{label[0]}", at)
                times[label].append(seconds)
                sizes[label].append(size)
        short, long_ = origins
        print(f"a tick checked out as tick.yml does ({args.schedules:,} runs a day of history; "
              f"medians of {args.rounds} interleaved rounds):")  # fmt: skip
        for label in origins:
            t, b = statistics.median(times[label]), statistics.median(sizes[label])
            print(f"  {label:>9} of history: {t:6.2f} s, {b / 2**20:7.2f} MiB on disk; "
                  f"origin packed {packed(origins[label]) / 2**20:8.1f} MiB")  # fmt: skip
        ratio_t = statistics.median(times[long_]) / statistics.median(times[short])
        ratio_b = statistics.median(sizes[long_]) / statistics.median(sizes[short])
        print(f"  ratio {long_} / {short}: time {ratio_t:.2f}x, bytes on disk {ratio_b:.2f}x")


if __name__ == "__main__":
    main()
