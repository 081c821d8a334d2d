"""How many bytes a year of ticks adds to the repository, packed, with and without archiving.

For 1,000 and 10,000 daily schedules, builds a bare repository the way ticks build it: one
commit per 15-minute tick (96 a day), each changing state/tick.json and, at the hour the
schedules fire, appending that hour's records to the day file (the lines bench_history.py
writes) and rewriting the customer state files of the schedules that ran (their counters, next
fire and summary, as a tick does). Before the sample, the tree already holds the day files a
repository keeps (`keep_months: 13`, 395 days; with `history.archive.after_months: 3`, the
days of the last 3 to 4 months, 105 here: archiving removes a month at once, so the tree
holds between 3 and 4 months); each sampled day retention or archiving removes the oldest.

It samples `--days` days (default 14), packs the repository (`git repack -a -d -f`, as `git gc
--aggressive` would compute deltas anew) before and after the sample, and extrapolates the
packed growth linearly to a year (x 365 / days): an estimate, said as such. Packing is
deterministic, so the bytes need no rounds. It also prints what archiving stores outside git
(the gzip archives of a year of day files) and what a checkout holds (the day files in the
tree).

Deleted files stay in git's objects, so archiving barely changes the packed growth: each day
file's versions are stored whether or not it is later removed. What archiving bounds is the
tree (every checkout, every tick's tree object) and what a full clone checks out.

    python benchmarks/bench_growth.py [--schedules 1000,10000] [--days 14]

docs/tick.md and docs/gitops.md report the defaults (14 days at 1,000 and at 10,000 schedules:
about 10 minutes on two shared cores, most of it building the days at 10,000).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_history import day_records, schedule_id

from gitcron.state import ScheduleState
from gitcron.state.files import encode_json
from gitcron.state.model import TickState, customer_to_json, tick_to_json
from gitcron.state.records import Record, encode_line
from gitcron.state.summaries import Summary, folded

START = date(2026, 3, 2)  # the first sampled day
TICKS = 96  # a tick every 15 minutes
KEPT = {"keep_months: 13 (no archive)": 395, "archive after_months: 3": 105}
ENV = {
    "PATH": os.environ.get("PATH", ""),
    "HOME": "/nonexistent",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(where: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=where, input=stdin, capture_output=True, env=ENV, check=True
    )
    return done.stdout.decode()


def blob(path: str, data: bytes) -> bytes:
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def commit(mark: int, at: datetime, changes: list[bytes], parent: bytes) -> bytes:
    stamp = f"gitcron[bot] <bot@example.com> {int(at.timestamp())} +0000"
    message = f"gitcron: tick {at:%Y-%m-%d %H:%M}".encode()
    head = (
        f"commit refs/heads/main\nmark :{mark}\nauthor {stamp}\ncommitter {stamp}\n"
        f"data {len(message)}\n"
    ).encode()
    return head + message + b"\n" + parent + b"".join(changes) + b"\n"


class Ticks:
    """The state a run of ticks keeps, turned into fast-import commits."""

    def __init__(self, schedules: int, kept: int) -> None:
        self.schedules = schedules
        self.kept = kept
        start = datetime(2025, 1, 1, tzinfo=UTC)
        self.states = {
            schedule_id(n): ScheduleState("f" * 16, start, summary=Summary())
            for n in range(schedules)
        }
        self.by_customer: dict[str, list[str]] = {}
        for sid in self.states:
            self.by_customer.setdefault(sid.split("/", 1)[0], []).append(sid)
        self.mark = 0

    def customer_file(self, customer: str) -> bytes:
        mine = {sid.split("/", 1)[1]: self.states[sid] for sid in self.by_customer[customer]}
        return encode_json(customer_to_json(mine))

    def seed(self) -> bytes:
        """The repository before the sample: the kept day files (stand-ins) and every state."""
        changes = [blob("gitcron.yaml", b"{}\n")]
        for back in range(self.kept, 0, -1):
            day = START - timedelta(days=back)
            changes.append(blob(f"state/history/{day}.jsonl", f"{day} stand-in\n".encode()))
        customers = sorted({sid.split("/", 1)[0] for sid in self.states})
        changes += [blob(f"state/schedules/{c}.json", self.customer_file(c)) for c in customers]
        self.mark += 1
        return commit(self.mark, datetime.combine(START, datetime.min.time(), UTC), changes, b"")

    def day(self, day: date) -> Iterator[bytes]:
        """One day's 96 tick commits; the first also removes the oldest kept day."""
        by_hour: dict[int, list[Record]] = {}
        for n in range(self.schedules):
            for record in day_records(n, day):
                by_hour.setdefault(record.started.hour, []).append(record)
        lines: list[str] = []
        for tick in range(TICKS):
            at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=15 * tick)
            changes = [blob("state/tick.json", encode_json(tick_to_json(TickState(at))))]
            if tick == 0:
                gone = day - timedelta(days=self.kept)
                changes.append(f"D state/history/{gone}.jsonl\n".encode())
            ran = by_hour.pop(at.hour, []) if at.minute == 0 else []
            if ran:
                lines += [encode_line(r) for r in ran]
                text = "".join(line + "\n" for line in lines).encode()
                changes.append(blob(f"state/history/{day}.jsonl", text))
                touched = set()
                for record in ran:
                    state = folded(self.states[record.schedule], record)
                    nxt = record.fire + timedelta(days=1)
                    runs = state.runs + 1
                    self.states[record.schedule] = replace(
                        state, last_fire=record.fire, next_fire=nxt, runs=runs, succeeded=runs
                    )
                    touched.add(record.schedule.split("/", 1)[0])
                for customer in sorted(touched):
                    path = f"state/schedules/{customer}.json"
                    changes.append(blob(path, self.customer_file(customer)))
            self.mark += 1
            # the sample's first commit follows the seed, imported before; the others the branch
            parent = b"from refs/heads/main^0\n" if self.mark == 2 else b""
            yield commit(self.mark, at, changes, parent)


def size_pack(repo: Path) -> int:
    git(repo, "repack", "-a", "-d", "-f", "-q")
    counted = dict(
        line.split(": ", 1) for line in git(repo, "count-objects", "-v").splitlines() if line
    )
    return int(counted["size-pack"]) * 1024


def by_kind(repo: Path) -> dict[str, int]:
    """Packed bytes on disk (deltas as stored) of day files, state files, trees and commits."""
    listed = git(repo, "rev-list", "--objects", "--all").encode()
    out = subprocess.run(
        ["git", "cat-file", "--batch-check=%(objecttype) %(objectsize:disk) %(rest)"],
        cwd=repo, input=listed, capture_output=True, env=ENV, check=True,
    ).stdout.decode()  # fmt: skip
    sums = dict.fromkeys(("history day files", "other state files", "trees", "commits"), 0)
    for line in out.splitlines():
        kind, size, *rest = line.split(" ", 2)
        path = rest[0] if rest else ""
        if kind == "blob":
            name = "history day files" if path.startswith("state/history/") else "other state files"
        else:
            name = "trees" if kind == "tree" else "commits"
        sums[name] += int(size)
    return sums


def grow(tmp: Path, schedules: int, kept: int, days: int) -> tuple[int, int, dict[str, int]]:
    """Packed bytes before the sample, the growth over `days` sampled days, and the packed
    bytes by kind of object after it."""
    repo = tmp / f"r-{schedules}-{kept}.git"
    git(tmp, "init", "-q", "--bare", str(repo))
    ticks = Ticks(schedules, kept)
    git(repo, "fast-import", "--quiet", "--done", stdin=ticks.seed() + b"done\n")
    before = size_pack(repo)
    process = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=repo,
        stdin=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdin is not None
    process.stdin.write(b"feature done\n")
    for n in range(days):
        for chunk in ticks.day(START + timedelta(days=n)):
            process.stdin.write(chunk)
    process.stdin.write(b"done\n")
    process.stdin.close()
    assert process.wait() == 0
    return before, size_pack(repo) - before, by_kind(repo)


def archive_bytes(schedules: int) -> tuple[int, int]:
    """A day file's bytes and its gzip -9 size (what a year of archives stores, / 365)."""
    day = START
    text = "".join(encode_line(r) + "\n" for n in range(schedules) for r in day_records(n, day))
    raw = text.encode()
    return len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0))


def mib(size: float) -> str:
    return f"{size / 2**20:,.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", default="1000,10000")
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args()
    print(
        f"sampled {args.days} days x {TICKS} tick commits, packed with `git repack -a -d -f`; "
        "a year = the sample's growth x 365 / days (an extrapolation)"
    )
    for schedules in (int(s) for s in args.schedules.split(",")):
        raw, packed_day = archive_bytes(schedules)
        print(f"\n{schedules:,} daily schedules: a day file is {mib(raw)}")
        with tempfile.TemporaryDirectory() as name:
            for label, kept in KEPT.items():
                _, growth, kinds = grow(Path(name), schedules, kept, args.days)
                year = growth * 365 / args.days
                print(
                    f"  {label:<30} repository packed +{mib(year)} a year "
                    f"({mib(growth)} in {args.days} days); day files in the tree: {kept}, "
                    f"{mib(raw * kept)} in a full checkout"
                )
                total = sum(kinds.values())
                print(
                    "    of the packed repository: "
                    + ", ".join(f"{k} {v / total:.0%}" for k, v in kinds.items())
                )
        print(
            f"  {'archives (gzip -9), outside git':<30} +{mib(packed_day * 365)} a year "
            f"({raw / packed_day:.1f}x smaller than the day files)"
        )


if __name__ == "__main__":
    main()
