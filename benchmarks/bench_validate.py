"""How long `gitcron validate` takes over many schedule files, against just parsing them.

Generates N realistic schedule files (every form, many timezones, emails, templates, calendars),
10 per customer, and a customer file (`customer.yaml`) for one customer in three, in a temporary
repo, then times, in interleaved rounds (baseline, validate, baseline, ...: the
machine is shared and noisy, so both sides see the same load), and prints the medians of:
  - baseline: read every file (customer files too) and parse it with PyYAML's C loader
    (CSafeLoader);
  - validate: gitcron's whole check of the repo (load, models, cross-checks, and the rehearsal
    of every template for its schedule's next runs), in process;
  - the median of the per-round ratios (target: <= 2.0x), in wall-clock time and in CPU time
    (the machine is shared: wall-clock time also counts the time spent waiting for a core).

    python benchmarks/bench_validate.py [--files 10000] [--rounds 5] [--customer-every 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml

from gitcron.catalog.load import load

ZONES = ["America/New_York", "Europe/London", "Asia/Tokyo", "UTC", "Europe/Berlin",
         "Australia/Sydney", "America/Chicago", "America/Santiago", "Europe/Dublin"]  # fmt: skip
FORMS = [
    'weekly: { on: monday, at: "09:00" }',
    'monthly: { on: first monday, at: "10:00" }',
    'daily: { at: "08:00" }',
    'cron: "0 */6 * * *"',
    'daily: { at: ["07:30", "17:30"] }',
    'monthly: { on: last weekday, at: "18:00" }',
    'cron: "30 8 * * MON-FRI"',
    "every: 6h",
    'weekly: { on: [monday, thursday], at: "06:15" }',
    'monthly: { on: 15, at: "06:00" }',
]
FORMATS = ["xlsx", "csv", "pdf", "json"]

SETTINGS = """\
tick: 15m
defaults: { timezone: UTC }
datasets:
  products:
    sample: products
    params: [customer, category]
calendars:
  company-closures: { dates: [2026-12-24, 2026-12-31] }
"""


def schedule_text(i: int) -> str:
    customer = f"customer-{i // 10:05d}"
    fmt = FORMATS[i % len(FORMATS)]
    skip = "skip: [weekends, holidays: US]\n" if i % 7 == 0 else ""
    return f"""\
# yaml-language-server: $schema=../../schema/schedule.schema.json
description: Products export number {i} for {customer}
owner: am{i % 50}@ourco.example
timezone: {ZONES[i % len(ZONES)]}
schedule:
  {FORMS[i % len(FORMS)]}
{skip}report:
  dataset: products
  params: {{ customer: {customer}, category: Bakery }}
  format: {fmt}
  filename: "{customer}-products-{i}-{{{{ run.local_date }}}}.{fmt}"
deliver:
  - email:
      to: [buyer{i}@{customer}.example.com, ops@{customer}.example.com]
      subject: "Products for {{{{ run.local_date }}}}"
  - webhook: {{ url: "https://hooks.{customer}.example.com/files", secret: hooks-{customer} }}
retry: {{ attempts: 3, backoff: 5m }}
labels: {{ team: emea, ticket: SUP-{i} }}
"""


def grant(customer: str) -> str:
    """One customer's webhook secret, granted to its host only (docs/grants.md)."""
    return (
        f"  hooks-{customer}: {{ env: HOOKS_{customer.replace('-', '_').upper()}, for: webhook,"
        f" to: [hooks.{customer}.example.com], customers: [{customer}] }}\n"
    )


LOCALES = ["en-GB", "de-DE", "fr-FR", "en-US", "ja-JP", "nl-NL"]


def customer_text(number: int) -> str:
    """A customer's `customer.yaml`: the name they go by, their people and their locale."""
    return f"""\
# yaml-language-server: $schema=../../schema/customer.schema.json
name: Customer {number} Ltd
reply_to: am{number % 50}@ourco.example
sender_name: Our Co for Customer {number}
locale: {LOCALES[number % len(LOCALES)]}
"""


def make_repo(root: Path, files: int, customer_every: int = 0) -> list[Path]:
    """The repo's files, schedules and customer files; one customer in `customer_every` has a
    customer file (none with 0, the default), as users who name their customers have."""
    customers = sorted({f"customer-{i // 10:05d}" for i in range(files)})
    (root / "gitcron.yaml").write_text(SETTINGS + "credentials:\n" + "".join(map(grant, customers)))
    paths = []
    for i in range(files):
        path = root / "schedules" / f"customer-{i // 10:05d}" / f"export-{i}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schedule_text(i))
        paths.append(path)
    for number in range(0, len(customers), customer_every) if customer_every else ():
        path = root / "schedules" / customers[number] / "customer.yaml"
        path.write_text(customer_text(number))
        paths.append(path)
    return paths


Timing = tuple[float, float]  # (wall-clock, CPU) seconds


def timed(fn: Callable[[], None]) -> Timing:
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def interleaved(
    a: Callable[[], None],
    b: Callable[[], None],
    rounds: int,
    timer: Callable[[Callable[[], None]], Timing] = timed,
) -> tuple[list[Timing], list[Timing]]:
    """A B B A A B ...: each round times both, the first in turn, under the same load; `timer`
    says what one timing is (this process's time by default; a child's for commands)."""
    times_a: list[Timing] = []
    times_b: list[Timing] = []
    for i in range(rounds):
        if i % 2:
            times_b.append(timer(b))
            times_a.append(timer(a))
        else:
            times_a.append(timer(a))
            times_b.append(timer(b))
    return times_a, times_b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--customer-every",
        type=int,
        default=3,
        help="one customer in N has a customer.yaml (0: none); default 3",
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gitcron-bench-"))
    try:
        paths = make_repo(root, args.files, args.customer_every)
        now = datetime(2026, 11, 22, 12, tzinfo=UTC)

        def baseline() -> None:
            for path in paths:
                with path.open("rb") as f:
                    yaml.load(f.read(), Loader=yaml.CSafeLoader)

        def validate() -> None:
            catalog = load(root, now, problems_only=True)  # as `gitcron validate` does
            bad = [p for p in catalog.problems if p.severity == "error"]
            assert not bad, bad[:3]

        validate()  # the first run pays for imports and zone data, as the CLI's start-up does
        parses, validates = interleaved(baseline, validate, args.rounds)
        per = 1e6 / args.files
        extra = len(paths) - args.files
        print(
            f"files                      {args.files} schedules + {extra} customer files"
            f"  ({args.rounds} interleaved rounds)"
        )
        for name, index in (("wall-clock", 0), ("CPU", 1)):
            parse_s = statistics.median(p[index] for p in parses)
            validate_s = statistics.median(v[index] for v in validates)
            ratios = [v[index] / p[index] for p, v in zip(parses, validates, strict=True)]
            print(f"{name}:")
            print(f"  read + CSafeLoader parse {parse_s:8.3f} s  ({parse_s * per:6.1f} us/file)")
            print(
                f"  gitcron validate         {validate_s:8.3f} s  ({validate_s * per:6.1f} us/file)"
            )
            print(
                f"  ratio                    {statistics.median(ratios):8.2f} x  median"
                f" (min {min(ratios):.2f}, max {max(ratios):.2f}; target <= 2.0x)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
