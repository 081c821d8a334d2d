"""How long a tick takes to decide what is due, cold and warm, and how much state one tick rewrites.

Generates N schedule files (the same generator as bench_validate.py, 10 per customer) in a git
repo, runs the repo's first tick, then measures, each in a fresh process:
  - baseline: read every file and parse it with PyYAML's C loader (CSafeLoader);
  - cold plan: load (no parse cache), read state, reconcile and plan a tick (target <= 2.0x);
  - warm plan: the same with the parse cache in place (target <= 0.5x; 100k cold <= 10 s);
  - peak memory (max RSS) of each;
and then runs a real tick in a 15-minute window where about 1% of schedules fire (deliveries
into an outbox), printing the bytes of state it rewrote.

    python benchmarks/bench_plan.py [--files 10000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_validate import make_repo

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
STEP = timedelta(minutes=15)


def phase(root: Path, name: str, at: str) -> dict[str, float]:
    """Run one measured phase in a fresh interpreter: seconds and peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--root", str(root), "--at", at],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_phase(name: str, root: Path, at: datetime) -> None:
    from gitcron.catalog.files import CACHE_DIR
    from gitcron.engine.tick import prepare

    started = time.perf_counter()
    if name == "baseline":
        for path in sorted((root / "schedules").rglob("*.yaml")):
            with path.open("rb") as f:
                yaml.load(f.read(), Loader=yaml.CSafeLoader)
    elif name in ("cold", "warm"):
        if name == "cold":
            shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
        ready = prepare(root, at)
        assert not ready.loaded.invalid, ready.loaded.invalid[:1]
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--phase")
    parser.add_argument("--root", type=Path)
    parser.add_argument("--at")
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.root, datetime.fromisoformat(args.at))
        return
    from gitcron.engine.tick import TickOptions, run_tick

    root = Path(tempfile.mkdtemp(prefix="gitcron-bench-plan-"))
    try:
        make_repo(root, args.files)
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=b@x"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "schedules"], check=True)
        start = busy_window(root, 0.01)
        first = time.perf_counter()
        run_tick(root, start, TickOptions(env={}))
        first_s = time.perf_counter() - first
        at = (start + STEP).isoformat()
        best: dict[str, dict[str, float]] = {}
        for name in ("baseline", "cold", "warm"):
            runs = [phase(root, name, at) for _ in range(args.repeat)]
            best[name] = min(runs, key=lambda r: r["seconds"])
        runs, written, changed = tick_bytes(root, start + STEP)
        base = best["baseline"]["seconds"]
        print(f"schedules                  {args.files}")
        print(f"first tick (all new)       {first_s:8.2f} s")
        for name, label in (("baseline", "read + CSafeLoader"), ("cold", "plan, cold"),
                            ("warm", "plan, warm (cache)")):  # fmt: skip
            r = best[name]
            ratio = "" if name == "baseline" else f"  {r['seconds'] / base:5.2f}x"
            print(f"{label:<26} {r['seconds']:8.2f} s{ratio}  peak {r['peak_mb']:7.0f} MB")
        print(f"tick in a busy window      {runs} runs ({runs / args.files:.1%} of schedules)")
        print(f"state rewritten            {written:,} bytes in {changed} files "
              f"({written / max(runs, 1):,.0f} bytes per run)")  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
