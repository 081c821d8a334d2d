"""CSV (RFC 4180: CRLF line ends, quotes doubled), UTF-8, safe to open in a spreadsheet.

A text cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR, LF first) gets
a leading `'`, as OWASP advises against CSV injection; numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gitcron.config.schedule import CsvOptions
from gitcron.jobs.base import JobContext
from gitcron.render.base import RenderSpec, as_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """`=SUM(A1)` → `'=SUM(A1)`: shown as typed instead of computed."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: Any, ctx: JobContext) -> str:
    if isinstance(value, str):
        return neutralise(value)
    return as_text(value, ctx)


def write_csv(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: JobContext,
) -> int:
    """Header then rows; `report.csv` sets the delimiter and a byte-order mark for Excel."""
    options = spec.options if isinstance(spec.options, CsvOptions) else CsvOptions()
    encoding = "utf-8-sig" if options.bom else "utf-8"
    count = 0
    with out.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=options.delimiter, lineterminator="\r\n")
        writer.writerow([neutralise(str(name)) for name in columns])
        for row in rows:
            writer.writerow([cell(value, ctx) for value in row])
            count += 1
    return count
