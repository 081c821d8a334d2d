"""How long a tick takes to decide what is due, cold and warm, and how much state one tick rewrites.

Generates N schedule files (the same generator as bench_validate.py, 10 per customer) in a git
repo, runs the repo's first tick, then measures, each in a fresh process (imports included, as a
tick pays them), in interleaved rounds (baseline, cold, warm, then the next round in the other
order: the machine is shared and noisy, so all three see the same load):
  - baseline: read every file and parse it with PyYAML's C loader (CSafeLoader);
  - cold plan: load (no parse cache), read state, reconcile and plan a tick (target <= 2.0x);
  - warm plan: the same with the parse cache and the customers' decoded state (kept beside it)
    in place, state unchanged since (target <= 0.3x);
  - peak memory of each: the process's own peak RSS, and with its parse workers (the largest
    worker's peak times the workers started, an upper bound);
printing medians and the median of the per-round ratios to the baseline, in wall-clock time and
in CPU time (user + system of the phase's process and the processes it waited for: its git
commands and parse workers; the machine is shared, and wall-clock time also counts waiting for a
core). Phases run with bytecode written, as an install compiles gitcron's modules
(bench_startup.py does the same), after one untimed warm phase that writes it. Then it runs a real
tick in a 15-minute window where about 1% of schedules fire (deliveries into an outbox),
printing the bytes of state it rewrote, and times the warm plan of the tick after it (as nearly
every tick is one after a tick that ran: the state of the customers that ran has changed),
interleaved with the baseline in as many rounds.

Then the quiet tick at that size (`quiet_ticks`): in a copy of the repo as committed, a first tick
and a warm one a minute later, which must end clean and leave the quiet record (engine/quiet.py),
then `gitcron run` each a minute after the last tick, with nothing due before 05:00, in
interleaved rounds: the parse floor above, `python -c "import yaml, pydantic"` (bench_startup.py's
floor for a tick with nothing due), the quiet tick, and the same tick with the quiet path off
(`GITCRON_QUIET=0`: a full tick with nothing due). Each quiet tick must leave the record's bytes
as they were (a full tick replaces it) and each full tick must leave a record of its own instant:
the bench fails otherwise. Prints medians of wall-clock and CPU time with the median of the
per-round ratios to each floor.

    python benchmarks/bench_plan.py [--files 10000] [--rounds 3] [--quiet-rounds 11] [--quiet-only]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
STEP = timedelta(minutes=15)
QUIET_FIRST = MONDAY + timedelta(hours=3)  # nothing of the generated repo fires 03:00-05:00 UTC
MINUTE = timedelta(minutes=1)


# With bytecode written: an install compiles gitcron's modules (the tick workflow's does), so a
# shell that forbids .pyc files would time the compiler in every phase instead. Without GITCRON_
# settings: the ticks below are timed as the tick workflow runs them.
ENV = {
    k: v
    for k, v in os.environ.items()
    if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("GITCRON_")
}


def phase(root: Path, name: str, at: str) -> dict[str, float]:
    """Run one measured phase in a fresh interpreter: its whole time (start and imports
    included, as a tick pays them) and its peak memory."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--root", str(root), "--at", at],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
    ).stdout
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return {"seconds": seconds, "cpu": cpu, **found}


def run_phase(name: str, root: Path, at: datetime) -> None:
    """One phase in this fresh process; the parent times the whole process (imports included)."""
    workers = 0
    if name == "baseline":
        for path in sorted((root / "schedules").rglob("*.yaml")):
            with path.open("rb") as f:
                yaml.load(f.read(), Loader=yaml.CSafeLoader)
    elif name in ("cold", "warm"):
        from gitcron.catalog import cache
        from gitcron.catalog.files import CACHE_DIR
        from gitcron.engine.tick import prepare

        if name == "cold":
            shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
        ready = prepare(root, at)
        assert not ready.loaded.invalid, ready.loaded.invalid[:1]
        if ready.loaded.stats.parsed >= cache.PARALLEL_FROM:
            workers = min(os.cpu_count() or 1, cache.MAX_WORKERS)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker
    own = peak_mb()
    total = own + (child * workers if workers > 1 else 0.0)
    print(json.dumps({"peak_mb": own, "total_mb": total}))


def peak_mb() -> float:
    """This process's peak RSS since exec (VmHWM; ru_maxrss would include the parent's at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def busy_window(root: Path, share: float) -> datetime:
    """The start of a 15-minute window in the week after MONDAY where ~`share` of schedules fire."""
    from gitcron.catalog.build import closed_days_of
    from gitcron.catalog.cache import load_views
    from gitcron.timing.fires import iter_fires

    loaded = load_views(root, MONDAY)
    views = loaded.views
    sample = random.Random(0).sample(views, min(2000, len(views)))  # generated files cycle
    counts: Counter[int] = Counter()
    for view in sample:
        timing = view.timing(closed_days_of(view.skip, loaded.settings), MONDAY)
        hit = set()
        for fire in iter_fires(timing, MONDAY):
            if fire.at >= MONDAY + timedelta(days=7):
                break
            hit.add(int((fire.at - MONDAY) / STEP))
        counts.update(hit)
    target = share * len(sample)
    best = min(range(1, 7 * 96 - 1), key=lambda w: abs(counts[w] - target))
    return MONDAY + best * STEP - timedelta(minutes=1)  # the tick at +15 min sees [w, w + 15)


def tick_bytes(root: Path, at: datetime) -> tuple[int, int, int]:
    """(runs, state bytes rewritten, files changed) of a real tick at `at`."""
    from gitcron.engine.tick import TickOptions, run_tick

    history = {p: p.stat().st_size for p in (root / "state/history").glob("*.jsonl")}
    options = TickOptions(outbox=root / "outbox", jobs=4, env={})
    result = run_tick(root, at, options)
    written = 0
    for rel in result.changed:
        path = root / rel
        if not path.exists():
            continue
        size = path.stat().st_size
        written += size - history.get(path, 0) if rel.startswith("state/history/") else size
    return len(result.ran), written, len(result.changed)


def after_a_busy_tick(root: Path, at: str, count: int) -> list[dict[str, dict[str, float]]]:
    """Rounds of the warm plan of the next tick after the busy one, which finds the state of the
    customers that ran changed (as nearly every tick does), interleaved with the baseline; the
    cache folder is put back as that tick left it before each (untimed)."""
    from gitcron.catalog.files import CACHE_DIR

    cache, kept = root / CACHE_DIR, root / ".bench-kept-cache"  # removed with the repo
    shutil.copytree(cache, kept)
    found: list[dict[str, dict[str, float]]] = []
    for n in range(count):
        measured: dict[str, dict[str, float]] = {}
        for name in ("baseline", "warm") if n % 2 == 0 else ("warm", "baseline"):
            if name == "warm":
                shutil.rmtree(cache)
                shutil.copytree(kept, cache)
            measured[name] = phase(root, name, at)
        found.append(measured)
    shutil.rmtree(kept)
    return found


def gitcron() -> list[str]:
    """The console script beside this interpreter, as users run it (else `python -m gitcron`)."""
    script = Path(sys.executable).parent / "gitcron"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gitcron"]


def command(args: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall-clock and CPU time (user + system of the process and of what it waited for: a tick's
    git commands) of one command in a fresh process."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env={**ENV, **(env or {})})
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"seconds": seconds, "cpu": cpu}


def tick_at(root: Path, at: datetime, full: bool = False) -> dict[str, float]:
    """`gitcron run --at AT`, timed; it must be quiet (leave the record's bytes as they were), or
    with `full` the quiet path off (`GITCRON_QUIET=0`), and then leave a record of its own."""
    from gitcron.engine import quiet

    record = root / quiet.RECORD_FILE
    before = record.read_bytes()
    args = [*gitcron(), "--repo", str(root), "run", "--at", at.isoformat()]
    took = command(args, {quiet.ENV: "0"} if full else None)
    if full:
        kept = quiet.read(root)
        assert kept is not None, f"the full tick at {at} did not end clean"
        assert kept.at == at, f"the tick at {at} was not a full one"
    else:
        assert record.read_bytes() == before, f"the tick at {at} was not quiet"
    return took


def quiet_repo(source: Path, root: Path) -> datetime:
    """A copy of the repo as committed, two ticks in (the first, then a warm one a minute later
    that must end clean and leave the quiet record); the instant of the warm tick."""
    from gitcron.engine import quiet

    shutil.copytree(source, root, symlinks=True)
    # The copies are new files to git's index (their inodes and change times differ), and git
    # would compare each one's content on every look; a checkout's index matches its files. Made
    # to match, as `git status` does (the copies keep their times, older than the new index).
    subprocess.run(["git", "-C", str(root), "update-index", "-q", "--refresh"], check=True)
    for at in (QUIET_FIRST, QUIET_FIRST + MINUTE):
        done = subprocess.run(
            [*gitcron(), "--repo", str(root), "run", "--at", at.isoformat()],
            capture_output=True,
            text=True,
            env=ENV,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    record = quiet.read(root)
    assert record is not None, f"the warm tick did not end clean:\n{done.stdout}{done.stderr}"
    return record.at


def quiet_ticks(source: Path, rounds: int) -> list[dict[str, dict[str, float]]]:
    """Rounds of the parse floor, the import floor, the quiet tick and the full tick with
    nothing due (in turn A B C D, D C B A, ...), each tick a minute after the one before."""
    root = source.parent / f"{source.name}-quiet"
    floor = [sys.executable, "-c", "import yaml, pydantic"]
    try:
        last = quiet_repo(source, root)
        last += MINUTE
        tick_at(root, last)  # untimed: the first quiet tick reads files no tick read yet
        names = ("baseline", "imports", "quiet", "full")
        found: list[dict[str, dict[str, float]]] = []
        for n in range(rounds):
            measured: dict[str, dict[str, float]] = {}
            for name in names if n % 2 == 0 else names[::-1]:
                if name == "baseline":
                    measured[name] = phase(root, name, last.isoformat())
                elif name == "imports":
                    measured[name] = command(floor)
                else:
                    last += MINUTE
                    measured[name] = tick_at(root, last, full=name == "full")
            found.append(measured)
        assert last < QUIET_FIRST + timedelta(hours=2), "more rounds than quiet minutes"
        return found
    finally:
        shutil.rmtree(root, ignore_errors=True)


def print_quiet(rounds: list[dict[str, dict[str, float]]]) -> None:
    """The ticks' medians, with the medians of their per-round ratios to both floors."""
    print(f"{'':26} {'wall-clock':>10} {'/parse':>7} {'/import':>7} {'CPU':>10} {'/parse':>7} "
          f"{'/import':>7}")  # fmt: skip
    for name, label in (("baseline", "read + CSafeLoader"), ("imports", "import yaml, pydantic"),
                        ("quiet", "tick, quiet"), ("full", "tick, full (QUIET=0)")):  # fmt: skip
        columns = ""
        for kind in ("seconds", "cpu"):
            columns += f" {statistics.median(r[name][kind] for r in rounds) * 1000:7.0f} ms"
            for floor in ("baseline", "imports"):
                ratio = statistics.median(r[name][kind] / r[floor][kind] for r in rounds)
                columns += f" {ratio:6.2f}x"
        print(f"{label:<26}{columns}")


def print_row(label: str, rounds: list[dict[str, dict[str, float]]], name: str) -> None:
    """One phase's medians, wall-clock and CPU, with the median of its per-round ratios to the
    baseline of the same rounds, and its peak memory."""
    columns = ""
    for kind in ("seconds", "cpu"):
        seconds = statistics.median(r[name][kind] for r in rounds)
        ratios = [r[name][kind] / r["baseline"][kind] for r in rounds]
        ratio = "" if name == "baseline" else f"{statistics.median(ratios):5.2f}x"
        columns += f" {seconds:7.2f} s {ratio:6}"
    own = statistics.median(r[name]["peak_mb"] for r in rounds)
    total = statistics.median(r[name]["total_mb"] for r in rounds)
    print(f"{label:<26}{columns}  peak {own:4.0f} MB, with workers {total:4.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quiet-rounds", type=int, default=11)
    parser.add_argument("--quiet-only", action="store_true", help="time the quiet tick alone")
    parser.add_argument("--phase")
    parser.add_argument("--root", type=Path)
    parser.add_argument("--at")
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.root, datetime.fromisoformat(args.at))
        return
    from gitcron.engine.tick import TickOptions, run_tick

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_validate import make_repo  # not at the top: a phase's process must not load it

    root = Path(tempfile.mkdtemp(prefix="gitcron-bench-plan-"))
    try:
        make_repo(root, args.files)
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=b@x"]
        git += ["-c", "gc.auto=0"]  # no gc in the background, packing what the bench copies
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "schedules"], check=True)
        quiet = quiet_ticks(root, args.quiet_rounds)  # in a copy of the repo as committed
        if args.quiet_only:
            print(f"schedules                  {args.files}  ({args.quiet_rounds} interleaved "
                  "rounds, medians)")  # fmt: skip
            print_quiet(quiet)
            return
        start = busy_window(root, 0.01)
        first = time.perf_counter()
        run_tick(root, start, TickOptions(env={}))
        first_s = time.perf_counter() - first
        at = (start + STEP).isoformat()
        names = ("baseline", "cold", "warm")
        phase(root, "warm", at)  # untimed: writes the bytecode and the parse cache
        rounds: list[dict[str, dict[str, float]]] = []
        for n in range(args.rounds):  # interleaved: B C W, then W C B, ...
            order = names if n % 2 == 0 else names[::-1]
            rounds.append({name: phase(root, name, at) for name in order})
        runs, written, changed = tick_bytes(root, start + STEP)
        after = after_a_busy_tick(root, (start + 2 * STEP).isoformat(), args.rounds)
        print(
            f"schedules                  {args.files}  ({args.rounds} interleaved rounds, medians)"
        )
        print(f"first tick (all new)       {first_s:8.2f} s")
        print(f"{'':26} {'wall-clock':>16} {'CPU':>16}")
        for name, label in (("baseline", "read + CSafeLoader"), ("cold", "plan, cold"),
                            ("warm", "plan, warm (cache)")):  # fmt: skip
            print_row(label, rounds, name)
        print(f"tick in a busy window      {runs} runs ({runs / args.files:.1%} of schedules)")
        print(f"state rewritten            {written:,} bytes in {changed} files "
              f"({written / max(runs, 1):,.0f} bytes per run)")  # fmt: skip
        print_row("plan, warm after that tick", after, "warm")
        print(f"tick with nothing due      ({args.quiet_rounds} interleaved rounds, medians)")
        print_quiet(quiet)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
