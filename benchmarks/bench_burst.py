"""What bursting costs: a report split into parts against the same rows rendered as one file.

In one run, on the same generated rows ordered by region (--rows rows, --parts values), for csv
and xlsx, interleaved round by round (one file, the burst; again; --rounds times), the median
CPU time of each and their ratio. Target: the burst <= 1.3x the one file (it writes the same
rows, one more header and file per part). Also the peak memory growth of each (tracemalloc), to
show the split holds one part's writer at a time. Printed, never asserted.

    python benchmarks/bench_burst.py [--rows 100000] [--parts 50] [--rounds 5] [--only csv,xlsx]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

COLUMNS = ("region", "sku", "qty", "price", "day", "email")
Row = tuple[Any, ...]


def make_rows(count: int, parts: int) -> list[Row]:
    """Deterministic rows, ordered by region as a dataset's ORDER BY gives them."""
    rnd = random.Random(0)
    per = max(1, count // parts)
    return [
        (
            f"region-{i // per:04d}",
            f"SKU-{i:07}",
            rnd.randint(1, 500),
            round(rnd.uniform(0.5, 999), 2),
            date(2026, 1, 1) + timedelta(days=i % 365),
            f"manager{i // per}@acme.example",
        )
        for i in range(count)
    ]


def context(work: Path) -> Any:
    from gitcron.config.settings import Settings
    from gitcron.jobs.base import JobContext, RunInfo
    from gitcron.schedule import Schedule

    fire = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    run = RunInfo("bench/burst@x", "bench/burst", fire, None, "scheduled", 1, ZoneInfo("UTC"))
    schedule = Schedule.model_validate(
        {"schedule": {"daily": {"at": "09:00"}}, "report": {"dataset": "b", "format": "csv"}}
    )
    settings = Settings.model_validate({"datasets": {"b": {"sample": "products"}}})
    return JobContext(run, schedule, settings, work, work, {})


def one_file(fmt: str, rows: list[Row], work: Path) -> int:
    from gitcron.render.base import RenderSpec
    from gitcron.render.registry import RENDERERS

    spec = RenderSpec("bench", "Bench", None)
    return RENDERERS[fmt](COLUMNS, iter(rows), work / f"all.{fmt}", spec, context(work))


def burst(fmt: str, rows: list[Row], work: Path, parts: int) -> int:
    from gitcron.config.burst import Burst
    from gitcron.jobs.parts import burst_artifact
    from gitcron.render.base import RenderSpec

    spec = RenderSpec("bench", "Bench", None)
    rule = Burst.model_validate(
        {"by": "region", "to_column": "email", "allow": ["acme.example"], "max_parts": parts + 1}
    )
    made = burst_artifact(rule, fmt, COLUMNS, iter(rows), spec, context(work), f"r.{fmt}", fmt)
    assert len(made.parts) == parts, len(made.parts)
    return made.rows or 0


def timed(write: Callable[[Path], int], traced: bool = False) -> float:
    """CPU seconds of one write into a fresh folder; with `traced`, its peak traced bytes
    instead (tracemalloc slows the write, so memory is measured in a round of its own)."""
    work = Path(tempfile.mkdtemp(prefix="bench-burst-"))
    try:
        if traced:
            tracemalloc.start()
            write(work)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            return float(peak)
        began = time.process_time()
        write(work)
        return time.process_time() - began
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(fmt: str, rows: list[Row], parts: int, rounds: int) -> None:
    def whole(work: Path) -> int:
        return one_file(fmt, rows, work)

    def split(work: Path) -> int:
        return burst(fmt, rows, work, parts)

    times: dict[str, list[float]] = {"one": [], "burst": []}
    for _ in range(rounds):  # interleaved: A B A B
        times["one"].append(timed(whole))
        times["burst"].append(timed(split))
    a, b = statistics.median(times["one"]), statistics.median(times["burst"])
    one_peak, burst_peak = timed(whole, traced=True), timed(split, traced=True)
    print(
        f"{fmt}: one file {a:.3f}s, {parts} parts {b:.3f}s: {b / a:.2f}x (target <= 1.3x),"
        f" median of {rounds} interleaved rounds; peak traced memory {one_peak / 2**20:.1f} MB"
        f" vs {burst_peak / 2**20:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--parts", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="csv,xlsx")
    args = parser.parse_args()
    rows = make_rows(args.rows, args.parts)
    for fmt in args.only.split(","):
        bench(fmt, rows, args.parts, args.rounds)


if __name__ == "__main__":
    main()
