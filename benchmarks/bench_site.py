"""How long `gitcron site` takes against reading the same history, and how big the site is.

Generates N schedule files (bench_validate.py's generator, 10 per customer), 90 days of history
(one record per schedule per day, one in twenty failed with a delivery error) and 30 days of
ticks every 15 minutes as commits of state/tick.json (written with `git fast-import`). Then,
interleaved A B A B in this process:
  - baseline: read the 90 days of history and sum them up per schedule, as
    `gitcron history --stats` does (state.stats.Tally);
  - site: `gitcron site` (load every schedule, read state and history, read the ticks from git,
    render the index and a page per schedule) into a fresh folder.

    python benchmarks/bench_site.py [--files 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_validate import interleaved, make_repo

from gitcron.site.pages import build
from gitcron.state import Delivery, Record, make_run_id
from gitcron.state.history import HISTORY_DIR, iter_records
from gitcron.state.records import encode_line
from gitcron.state.stats import Tally

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
DAYS = 90


def write_history(root: Path, ids: list[str]) -> int:
    """One record per schedule per day for DAYS days; every 20th failed. Lines written."""
    folder = root / HISTORY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    lines = 0
    for back in range(DAYS, 0, -1):
        day = (NOW - timedelta(days=back)).replace(hour=9, minute=0)
        with (folder / f"{day:%Y-%m-%d}.jsonl").open("w") as out:
            for n, sid in enumerate(ids):
                failed = (n + back) % 20 == 0
                target = f"webhook:https://hooks.{sid.split('/')[0]}.example.com/x"
                delivery = (
                    Delivery(target, "failed", error="HTTP 503: busy")
                    if failed
                    else (Delivery(target, "succeeded", note="posted (HTTP 200)"))
                )
                record = Record(
                    run_id=make_run_id(sid, day),
                    schedule=sid,
                    fire=day,
                    trigger="scheduled",
                    status="failed" if failed else "succeeded",
                    attempt=1,
                    started=day + timedelta(minutes=7),
                    duration_ms=120,
                    rows=10,
                    deliveries=(delivery,),
                )
                out.write(encode_line(record) + "\n")
                lines += 1
    return lines


def write_ticks(root: Path) -> int:
    """30 days of ticks every 15 minutes, each a commit of state/tick.json, in one process."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    stream = []
    at = NOW - timedelta(days=30) + timedelta(minutes=15)  # the site shows (now - 30 d, now]
    count = 0
    while at <= NOW:
        body = f'{{\n  "format": 1,\n  "last_tick": "{at:%Y-%m-%dT%H:%M:%SZ}"\n}}\n'.encode()
        stamp = int(at.timestamp())
        message = b"gitcron: tick"
        stream += [
            b"commit refs/heads/main\n",
            f"committer bench <bench@example.com> {stamp} +0000\n".encode(),
            f"data {len(message)}\n".encode() + message + b"\n",
            f"M 100644 inline state/tick.json\ndata {len(body)}\n".encode() + body + b"\n",
        ]
        at += timedelta(minutes=15)
        count += 1
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main", "--", "state"], cwd=root, check=True)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gitcron-bench-site-"))
    try:
        paths = make_repo(root, args.files)
        ids = [p.relative_to(root / "schedules").with_suffix("").as_posix() for p in paths]
        lines = write_history(root, ids)
        ticks = write_ticks(root)
        out = root / "site-out"

        def baseline() -> None:
            tallies: dict[str, Tally] = {}
            since = (NOW - timedelta(days=DAYS)).date()
            for record in iter_records(root, since=since):
                tallies.setdefault(record.schedule, Tally(record.schedule)).add(record)
            assert len(tallies) == len(ids)

        def site() -> None:
            shutil.rmtree(out, ignore_errors=True)
            facts, written = build(root, out, NOW)
            assert len(written) == len(ids) + 1
            assert facts.health.ticks == ticks

        site()  # the first run pays for imports, templates and zone data
        bases, sites = interleaved(baseline, site, args.rounds)
        ratios = [s / b for b, s in zip(bases, sites, strict=True)]
        size = sum(p.stat().st_size for p in out.rglob("*.html"))
        base_s, site_s = statistics.median(bases), statistics.median(sites)
        print(f"schedules {args.files}, history lines {lines:,}, ticks {ticks:,}")
        print(f"({args.rounds} interleaved rounds, medians)")
        print(f"read history + stats     {base_s:8.3f} s")
        per = site_s / args.files * 1e3
        print(f"gitcron site             {site_s:8.3f} s  ({per:.2f} ms/schedule)")
        print(
            f"ratio                    {statistics.median(ratios):8.2f} x  median"
            f" (min {min(ratios):.2f}, max {max(ratios):.2f})"
        )
        print(f"site size                {size / 1e6:8.2f} MB in {len(ids) + 1} pages")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
