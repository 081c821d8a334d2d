"""How fast `gitcron history` answers over a year of history, and how big a history line is.

Writes 1,000 schedules' history (one run a day each, as a tick writes it: a file, one or two
deliveries with the notes the channels write, a failure and its retry now and then, a missed fire
now and then) for 91, 182 and 365 days, with the customer state files and their summaries, then
measures, interleaved over `--rounds` rounds (baselines, then each command, each round), in fresh
processes:
  - baseline: read every day file's bytes and walk its lines with a plain loop (no decoding);
  - `gitcron --help`: the command line's own start-up, which every command pays;
  - `gitcron history ID` (the newest 50 records of one schedule);
  - `gitcron history --stats` (every schedule);
and prints each median (seconds) with its ratio to the line loop's median and, for the history
commands, the median net of start-up (the command's median less `--help`'s). Then bytes per
line: this release's lines, the same lines compressed as git stores a day file's blob (zlib),
and, for comparison, the same records with every field written.

    python benchmarks/bench_history.py [--days 91,182,365] [--schedules 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from gitcron.state import Delivery, FileInfo, Record, ScheduleState, StateStore
from gitcron.state.codec import make_run_id
from gitcron.state.records import encode_line, record_to_json
from gitcron.state.summaries import Summary, folded

END = date(2026, 12, 6)
PER_CUSTOMER = 10


def schedule_id(n: int) -> str:
    return f"customer-{n // PER_CUSTOMER:04d}/report-{n % PER_CUSTOMER:02d}-products"


def day_records(n: int, day: date) -> list[Record]:
    """One schedule's records of one day: a run, sometimes failed and retried, sometimes missed."""
    sid = schedule_id(n)
    fire = datetime(day.year, day.month, day.day, n % 24, 0, tzinfo=UTC)
    started = fire + timedelta(minutes=7, seconds=n % 50)
    seed = (n * 7919 + day.toordinal()) % 97
    if seed == 0:
        note = "more than 6h late (max_delay)"
        return [
            Record(make_run_id(sid, fire), sid, fire, "scheduled", "missed", 1, started, note=note)
        ]
    customer = sid.split("/", 1)[0]
    name = f"{customer}-products-{day.isoformat()}.xlsx"
    digest = hashlib.sha256(f"{sid}{day}".encode()).hexdigest()
    file = FileInfo(name, 40_000 + seed * 131, digest)
    email = f"email:buyer@{customer}.example"
    sent = Delivery(
        email, "succeeded", note=f"sent to buyer@{customer}.example via smtp.example.com:587"
    )
    deliveries: tuple[Delivery, ...] = (sent,)
    if seed % 3 == 0:
        sftp = f"sftp:drop-{customer}"
        deliveries += (
            Delivery(
                sftp,
                "succeeded",
                note=f"uploaded to sftp://gitcron@sftp.{customer}.example/in/{name}",
            ),
        )
    first = Record(
        make_run_id(sid, fire),
        sid,
        fire,
        "scheduled",
        "succeeded",
        1,
        started,
        duration_ms=800 + seed * 37,
        rows=1000 + seed,
        file=file,
        deliveries=deliveries,
    )
    if seed != 1:
        return [first]
    failed = Delivery(email, "failed", "SMTP 451 4.3.0 try again later")
    early = Record(
        first.run_id,
        sid,
        fire,
        "scheduled",
        "partial",
        1,
        started,
        duration_ms=900,
        rows=1000,
        file=file,
        deliveries=(failed,),
        error="1 of 1 deliveries failed",
    )
    retry = Record(
        first.run_id,
        sid,
        fire,
        "retry",
        "succeeded",
        2,
        started + timedelta(hours=1),
        duration_ms=400,
        rows=1000,
        file=file,
        deliveries=(sent,),
    )
    return [early, retry]


def make_history(root: Path, days: int, schedules: int) -> tuple[int, int, int, int]:
    """Write the day files and customer states; lines, bytes, bytes compressed as git stores
    each day file, and bytes with every field written."""
    store = StateStore(root)
    states = {
        schedule_id(n): ScheduleState("f", datetime(2025, 1, 1, tzinfo=UTC), summary=Summary())
        for n in range(schedules)
    }
    folder = root / "state" / "history"
    folder.mkdir(parents=True, exist_ok=True)
    lines = size = packed = full = 0
    for back in range(days - 1, -1, -1):
        day = END - timedelta(days=back)
        out = []
        for n in range(schedules):
            for record in day_records(n, day):
                states[record.schedule] = folded(states[record.schedule], record)
                out.append(encode_line(record))
                full += (
                    len(json.dumps(record_to_json(record), sort_keys=True, separators=(",", ":")))
                    + 1
                )
        text = "".join(line + "\n" for line in out)
        (folder / f"{day.isoformat()}.jsonl").write_text(text, "utf-8")
        lines += len(out)
        size += len(text)
        packed += len(zlib.compress(text.encode("utf-8")))
    by_customer: dict[str, dict[str, ScheduleState]] = {}
    for sid, state in states.items():
        customer, name = sid.split("/", 1)
        by_customer.setdefault(customer, {})[name] = state
    for customer, mine in by_customer.items():
        store.save_customer(customer, mine)
    return lines, size, packed, full


def baseline(root: Path) -> None:
    """Every day file's bytes, line by line, not decoded: the least any full read costs."""
    count = 0
    for path in sorted((root / "state" / "history").glob("*.jsonl")):
        with path.open("rb") as handle:
            for _ in handle:
                count += 1
    assert count


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


LOOP = "baseline (plain line loop)"
STARTUP = "gitcron --help (startup)"


def measure(root: Path, rounds: int) -> dict[str, list[float]]:
    here = [sys.executable, __file__, "--baseline", str(root)]
    cli = [sys.executable, "-m", "gitcron", "--repo", str(root), "history"]
    runs = {
        LOOP: here,
        STARTUP: [sys.executable, "-m", "gitcron", "--help"],
        "history ID": [*cli, schedule_id(7)],
        "history --stats": [*cli, "--stats"],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, argv in runs.items():  # interleaved: A B C, A B C, ...
            times[name].append(timed(argv))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", default="91,182,365")
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline)
        return
    for days in (int(d) for d in args.days.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "gitcron.yaml").write_text("{}\n")
            (root / "schedules").mkdir()
            lines, size, packed, full = make_history(root, days, args.schedules)
            times = measure(root, args.rounds)
            base = statistics.median(times[LOOP])
            startup = statistics.median(times[STARTUP])
            print(
                f"{lines:,} records ({days} days x {args.schedules:,} schedules), "
                f"{size / 2**20:.1f} MiB; bytes per line: {size / lines:.0f}, "
                f"{packed / lines:.0f} compressed as git stores a day file "
                f"(every field written: {full / lines:.0f})"
            )
            for name, values in times.items():
                median = statistics.median(values)
                net = (
                    "" if name in (LOOP, STARTUP) else f", {median - startup:5.2f} s net of startup"
                )
                print(
                    f"  {name:<28} {median:6.2f} s  {median / base:5.2f}x baseline{net} "
                    f"(median of {len(values)} interleaved rounds)"
                )


if __name__ == "__main__":
    main()
