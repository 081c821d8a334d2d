"""Light typing of text cells (CSV files, the sample): numbers and ISO dates become real values.

Only unambiguous forms are converted, so `007` (a code with a leading zero), `1e5` and a
16-digit account number stay text: spreadsheets would silently change them otherwise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from gitcron.core.artifact import JobError

_INT = re.compile(r"-?(?:0|[1-9]\d{0,14})")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_DIGITS = 15  # Excel keeps 15 significant digits; longer numbers stay text


def typed(text: str) -> Any:
    """`42` → 42, `2.50` → 2.5, `2026-01-31` → date, empty → None; anything else stays text."""
    if not text:
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text) and len(text.replace("-", "").replace(".", "")) <= _MAX_DIGITS:
        return float(text)
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def csv_header(handle: IO[str], source: str) -> tuple[str, ...]:
    """The first line's names; a file without one cannot be a dataset."""
    try:
        header = next(csv.reader([handle.readline()]), [])
    except csv.Error as error:
        raise _bad_csv(source, 1, str(error)) from error
    names = tuple(name.strip() for name in header)
    if not any(names):
        raise _bad_csv(source, 1, "the first line has no column names")
    return names


def csv_rows(handle: IO[str], width: int, source: str) -> Iterator[tuple[Any, ...]]:
    """Typed rows after the header; short rows are padded with None."""
    reader = csv.reader(handle)
    try:
        for record in reader:
            if not record:
                continue
            if len(record) > width and any(record[width:]):
                line = reader.line_num + 1
                raise _bad_csv(source, line, f"{len(record)} cells under {width} column names")
            cells = [typed(cell) for cell in record[:width]]
            cells.extend([None] * (width - len(cells)))
            yield tuple(cells)
    except csv.Error as error:
        raise _bad_csv(source, reader.line_num + 1, str(error)) from error


def _bad_csv(source: str, line: int, problem: str) -> JobError:
    return JobError(
        f"{source}:{line}: {problem}",
        "fix the file: one header line, then one row per line, with the same number of cells",
        permanent=True,
    )
