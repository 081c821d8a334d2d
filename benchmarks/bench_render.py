"""How fast the renderers write, against the raw libraries doing the same write, and their memory.

In one run, on the same generated rows (10 columns: ints, floats, dates, datetimes, short and long
text):
  - xlsx: gitcron's renderer against raw openpyxl write-only (with lxml) and raw xlsxwriter
    constant_memory; the ratio is to the faster of the two (target <= 1.2x);
  - csv: gitcron's renderer against the csv module's writerows, interleaved (A B A B over
    --rounds rounds) and compared by the median of each (target <= 1.3x);
  - pdf: N and 10 N rows (target: 10 N takes <= 15x the time of N, i.e. linear);
  - formats: pdf and csv of N rows with the columns declared in gitcron.yaml (labels, formats in
    de-DE: currency, percent, dates) against the same rows undeclared, interleaved; the cost of
    Babel's formatting in the PDF (printed), and csv unchanged by labels (target <= 1.1x);
  - peak RSS of a 1M-row csv and xlsx export from SQLite, streamed from a sqlite3 cursor into the
    renderer in a fresh interpreter (VmHWM; target <= 200 MB).
Times are CPU seconds (time.process_time); printed, never asserted.

    python benchmarks/bench_render.py [--rows 100000] [--pdf-rows 10000] [--rss-rows 1000000]
                                      [--repeat 2] [--rounds 7]
                                      [--only xlsx,csv,pdf,formats,rss]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

COLUMNS = ["id", "qty", "price", "ratio", "day", "at", "sku", "description", "category", "delta"]
WORDS = ["fresh", "bread", "sparkling", "water", "cold", "brew", "coffee", "tea", "pallet", "crate"]
Row = tuple[Any, ...]


def make_rows(count: int) -> list[Row]:
    """Deterministic mixed rows, the same in every run."""
    rnd = random.Random(0)
    start = datetime(2026, 1, 1, 8, 0)
    return [
        (
            i,
            rnd.randint(-500, 5000),
            round(rnd.uniform(0.5, 999), 2),
            rnd.random(),
            date(2026, 1, 1) + timedelta(days=i % 365),
            start + timedelta(minutes=7 * i),
            f"SKU-{i:07}",
            " ".join(rnd.choices(WORDS, k=rnd.randint(3, 30))),
            rnd.choice(("Bakery", "Beverages", "Dairy", "=cmd")),
            -round(rnd.uniform(0, 100), 3),
        )
        for i in range(count)
    ]


def context(work: Path) -> Any:
    """A JobContext for one weekly run in New York, as the report job would pass."""
    from gitcron.config.settings import Settings
    from gitcron.jobs.base import JobContext, RunInfo
    from gitcron.schedule import Schedule

    fire = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    run = RunInfo("bench/render@x", "bench/render", fire, fire - timedelta(days=7), "scheduled", 1,
                  ZoneInfo("America/New_York"))  # fmt: skip
    schedule = Schedule.model_validate(
        {
            "timezone": "America/New_York",
            "schedule": {"weekly": {"on": "monday", "at": "09:00"}},
            "report": {"dataset": "bench", "format": "csv"},
        }
    )
    settings = Settings.model_validate({"datasets": {"bench": {"sample": "products"}}})
    return JobContext(run, schedule, settings, work, work, {})


def ours(fmt: str, rows: Iterable[Row], out: Path, columns: list[str], options: Any = None,
         declared: tuple[Any, ...] = (), locale: str | None = None) -> int:  # fmt: skip
    from gitcron.render.base import RenderSpec
    from gitcron.render.registry import RENDERERS

    spec = RenderSpec("bench", "Bench report", options, columns=declared, locale=locale)
    return RENDERERS[fmt](columns, rows, out, spec, context(out.parent))


def declared_columns() -> tuple[Any, ...]:
    """COLUMNS as gitcron.yaml would declare them: a label each, and formats where they fit."""
    from gitcron.config.columns import Column

    formats: dict[str, tuple[str, Any]] = {
        "qty": ("integer", {"number": 0}),
        "price": ("number", {"currency": "EUR"}),
        "ratio": ("number", {"percent": 1}),
        "day": ("date", {"date": "d MMM y"}),
        "at": ("datetime", "datetime"),
    }
    return tuple(
        Column.model_validate(
            {"name": name, "label": name.title(), "type": formats.get(name, ("text", None))[0],
             "format": formats.get(name, ("text", None))[1]}
        )
        for name in COLUMNS
    )  # fmt: skip


def raw_openpyxl(rows: list[Row], out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("bench")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    book.save(out)


def raw_xlsxwriter(rows: list[Row], out: Path) -> None:
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(out), {"constant_memory": True, "tmpdir": str(out.parent)})
    sheet = book.add_worksheet("bench")
    sheet.write_row(0, 0, COLUMNS)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()


def raw_csv(rows: list[Row], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def best(work: Path, repeat: int, name: str, write: Callable[[Path], object]) -> float:
    """The fastest of `repeat` writes into a fresh file, in CPU seconds of this process (other
    work on the machine changes wall-clock times far more than it changes these)."""
    times = []
    for attempt in range(repeat):
        out = work / f"{name}-{attempt}.{name.rsplit('-', 1)[-1]}"
        started = time.process_time()
        write(out)
        times.append(time.process_time() - started)
        out.unlink()
    return min(times)


def verdict(value: float, target: float) -> str:
    return f"(target <= {target}: {'met' if value <= target else 'MISSED'})"


def bench_xlsx(work: Path, rows: list[Row], repeat: int) -> None:
    import openpyxl

    results = {
        "openpyxl": best(work, repeat, "raw-openpyxl-xlsx", lambda o: raw_openpyxl(rows, o)),
        "xlsxwriter": best(work, repeat, "raw-xlsxwriter-xlsx", lambda o: raw_xlsxwriter(rows, o)),
        "gitcron": best(work, repeat, "gitcron-xlsx", lambda o: ours("xlsx", rows, o, COLUMNS)),
    }
    fastest = min(results["openpyxl"], results["xlsxwriter"])
    print(f"xlsx, {len(rows):,} rows x {len(COLUMNS)} columns (openpyxl lxml: {openpyxl.LXML})")
    for name, seconds in results.items():
        print(f"  {name:<24} {seconds:7.2f} s  {seconds / fastest:5.2f}x")
    print(f"  gitcron / fastest raw    {results['gitcron'] / fastest:5.2f}x "
          f"{verdict(results['gitcron'] / fastest, 1.2)}")  # fmt: skip


def interleaved(
    work: Path, rounds: int, writers: dict[str, Callable[[Path], object]]
) -> dict[str, float]:
    """Each writer once a round, in turn (A B A B ...), for `rounds` rounds: the median CPU time
    of each, so a burst of load on the machine falls on both sides instead of one."""
    times: dict[str, list[float]] = {name: [] for name in writers}
    for _ in range(rounds):
        for name, write in writers.items():
            times[name].append(best(work, 1, name, write))
    return {name: statistics.median(values) for name, values in times.items()}


def bench_csv(work: Path, rows: list[Row], rounds: int) -> None:
    medians = interleaved(
        work,
        rounds,
        {
            "raw-csv": lambda o: raw_csv(rows, o),
            "gitcron-csv": lambda o: ours("csv", rows, o, COLUMNS),
        },
    )
    raw, mine = medians["raw-csv"], medians["gitcron-csv"]
    print(
        f"csv, {len(rows):,} rows x {len(COLUMNS)} columns, median of {rounds} interleaved rounds"
    )
    print(f"  csv module writerows     {raw:7.2f} s")
    ratio = mine / raw
    print(f"  gitcron                  {mine:7.2f} s  {ratio:5.2f}x {verdict(ratio, 1.3)}")


def bench_formats(work: Path, count: int, rows: list[Row], rounds: int) -> None:
    from gitcron.config.job import PdfOptions

    options, declared, few = PdfOptions(max_rows=count), declared_columns(), make_rows(count)
    medians = interleaved(
        work,
        rounds,
        {
            "plain-pdf": lambda o: ours("pdf", few, o, COLUMNS, options),
            "formats-pdf": lambda o: ours("pdf", few, o, COLUMNS, options, declared, "de-DE"),
            "plain-csv": lambda o: ours("csv", rows, o, COLUMNS),
            "labels-csv": lambda o: ours("csv", rows, o, COLUMNS, None, declared, "de-DE"),
        },
    )
    print(f"declared columns (de-DE), median of {rounds} interleaved rounds")
    pdf = medians["formats-pdf"] / medians["plain-pdf"]
    print(f"  pdf, {count:,} rows: {medians['plain-pdf']:.2f} s undeclared,"
          f" {medians['formats-pdf']:.2f} s formatted ({pdf:.2f}x)")  # fmt: skip
    csv_ratio = medians["labels-csv"] / medians["plain-csv"]
    labelled = f"{medians['labels-csv']:.2f} s labelled ({csv_ratio:.2f}x)"
    print(f"  csv, {len(rows):,} rows: {medians['plain-csv']:.2f} s undeclared,"
          f" {labelled} {verdict(csv_ratio, 1.1)}")  # fmt: skip


def bench_pdf(work: Path, count: int) -> None:
    from gitcron.config.job import PdfOptions

    options = PdfOptions(max_rows=count * 10)
    times = []
    for size in (count, count * 10):
        rows = make_rows(size)
        started = time.process_time()
        ours("pdf", rows, work / f"bench-{size}.pdf", COLUMNS, options)
        times.append(time.process_time() - started)
        pages = (work / f"bench-{size}.pdf").read_bytes().count(b"/Type /Page\n")
        print(f"pdf, {size:>9,} rows            {times[-1]:7.2f} s  ({pages:,} pages)")
    ratio = times[1] / times[0]
    print(f"  10x the rows took        {ratio:5.2f}x the time {verdict(ratio, 15)}")


def make_db(path: Path, count: int) -> None:
    """A SQLite table of `count` rows like make_rows (dates as ISO text, as SQLite keeps them)."""
    with sqlite3.connect(path) as db:
        db.execute(f"create table items ({', '.join(COLUMNS)})")
        chunk = 50_000
        for first in range(0, count, chunk):
            rows = make_rows(min(chunk, count - first))
            text = [
                (r[0] + first, *r[1:4], r[4].isoformat(), r[5].isoformat(), *r[6:]) for r in rows
            ]
            db.executemany(f"insert into items values ({', '.join('?' * len(COLUMNS))})", text)


def rss_phase(fmt: str, db_path: Path, work: Path) -> None:
    """In a fresh interpreter: stream the table from a cursor into the renderer."""
    started = time.perf_counter()
    with sqlite3.connect(db_path) as db:
        cursor = db.execute("select * from items order by id")
        columns = [d[0] for d in cursor.description]
        count = ours(fmt, cursor, work / f"rss.{fmt}", columns)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": count, "seconds": seconds, "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's peak RSS since exec (VmHWM; ru_maxrss would include the parent's at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_rss(work: Path, count: int) -> None:
    db_path = work / "bench.sqlite"
    started = time.perf_counter()
    make_db(db_path, count)
    print(f"peak RSS, {count:,} rows from SQLite (made in {time.perf_counter() - started:.0f} s)")
    for fmt in ("csv", "xlsx"):
        command = [sys.executable, __file__, "--phase", fmt, "--db", str(db_path)]
        done = subprocess.run([*command, "--work", str(work)], check=True, capture_output=True)
        result = json.loads(done.stdout.decode().strip().splitlines()[-1])
        size = (work / f"rss.{fmt}").stat().st_size / 2**20
        peak = result["peak_mb"]
        print(f"  {fmt:<5} {result['rows']:,} rows in {result['seconds']:6.1f} s (wall), "
              f"{size:.0f} MB file, peak {peak:.0f} MB {verdict(peak, 200)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pdf-rows", type=int, default=10_000)
    parser.add_argument("--rss-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--only", default="xlsx,csv,pdf,formats,rss")
    parser.add_argument("--phase")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.phase:
        rss_phase(args.phase, args.db, args.work)
        return
    only = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="gitcron-bench-render-"))
    try:
        rows = make_rows(args.rows) if only & {"xlsx", "csv", "formats"} else []
        if "xlsx" in only:
            bench_xlsx(work, rows, args.repeat)
        if "csv" in only:
            bench_csv(work, rows, args.rounds)
        if "pdf" in only:
            bench_pdf(work, args.pdf_rows)
        if "formats" in only:
            bench_formats(work, min(args.pdf_rows, 5000), rows, args.rounds)
        if "rss" in only:
            bench_rss(work, args.rss_rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
