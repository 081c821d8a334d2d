"""What the SQLite statement timeout costs an `sql:` dataset that reads a large table.

SQLite has no server-side timeout, so `datasets.sql_deadline` installs a progress handler that
looks at the clock every `CHECK_EVERY` virtual-machine instructions. In one run, on the same
generated database (--rows rows), interleaved round by round (with the handler, without it;
then without, with; --rounds times), the median wall time of reading every row through
`open_dataset`, and the ratio of the two. Target: the handler costs <= 1.05x. Printed, never
asserted.

    python benchmarks/bench_sql_timeout.py [--rows 300000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


def make_db(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER, customer TEXT, amount REAL)")
        connection.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)",
            ((n, f"customer-{n % 97}", n * 0.25) for n in range(rows)),
        )
    connection.close()


class Scope:
    """The little of a job's context an sql dataset reads."""

    def __init__(self, root: Path) -> None:
        from gitcron.config.settings import Settings
        from gitcron.core.run import RunInfo

        fire = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
        self.run = RunInfo("b/sql@x", "b/sql", fire, None, "scheduled", 1, ZoneInfo("UTC"))
        self.root = root
        self.env: dict[str, str] = {}
        self.settings = Settings()


def read_all(root: Path) -> int:
    from gitcron.config.settings import Dataset
    from gitcron.datasets.registry import open_dataset

    spec = Dataset.model_validate(
        {"sql": "SELECT id, customer, amount FROM orders WHERE amount >= 0", "database":
         "sqlite:///orders.db", "params": []}
    )  # fmt: skip
    params: dict[str, Any] = {"interval_start": None, "interval_end": None, "fire": None}
    count = 0
    with open_dataset("orders", spec, params, Scope(root)) as rows:  # type: ignore[arg-type]
        for _ in rows:
            count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    from gitcron.datasets import sql_deadline

    installed = sql_deadline.SqliteDeadline.install
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_db(root / "orders.db", args.rows)
        read_all(root)  # warm the imports and the page cache
        times: dict[str, list[float]] = {"with the timeout": [], "without": []}
        for round_ in range(args.rounds):
            order = list(times) if round_ % 2 == 0 else list(reversed(times))  # A B, B A, ...
            for name in order:
                sql_deadline.SqliteDeadline.install = (  # type: ignore[method-assign]
                    installed if name == "with the timeout" else (lambda self, connection: None)
                )
                start = time.perf_counter()
                assert read_all(root) == args.rows
                times[name].append(time.perf_counter() - start)
        sql_deadline.SqliteDeadline.install = installed  # type: ignore[method-assign]
    ours, base = (statistics.median(t) for t in times.values())
    print(f"{args.rows:,} rows, {args.rounds} interleaved rounds, medians:")
    print(f"  with the timeout  {ours * 1000:8.1f} ms")
    print(f"  without           {base * 1000:8.1f} ms")
    print(f"  ratio             {ours / base:8.3f}x  (target <= 1.05x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
