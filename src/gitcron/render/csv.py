"""CSV (RFC 4180: CRLF line ends, quotes doubled), UTF-8, safe to open in a spreadsheet.

Text cells are quoted and numbers are not, so a reader can tell `"007"` from 7. The header line
is the columns' readable labels (`report.csv.header: names` keeps the dataset's names for
programs), quoted only where needed. A text cell that a spreadsheet would read as a formula (`=`,
`+`, `-`, `@`, tab, CR, LF first) also gets a leading `'` (OWASP's advice against CSV injection:
prefix and quote); numbers, negative ones too, stay numbers.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from gitcron.config.job import CsvOptions
from gitcron.core.run import RunScope
from gitcron.render.base import RenderSpec, as_text
from gitcron.render.labels import column_labels

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_CHARS = frozenset(FORMULA_START)
AS_IS = frozenset({int, date, type(None)})  # the csv module writes them: 7, 2026-01-31, ""
Convert = Callable[[Any], Any]


def neutralise(text: str) -> str:
    """`=SUM(A1)` → `'=SUM(A1)`: shown as typed instead of computed."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: RunScope,
) -> int:
    """Header then rows; `report.csv` sets the delimiter and a byte-order mark for Excel."""
    options = spec.options if isinstance(spec.options, CsvOptions) else CsvOptions()
    encoding = "utf-8-sig" if options.bom else "utf-8"
    fields = _Fields(ctx)
    get, other = fields.table.get, fields.other
    ticks = itertools.count()
    with out.open("w", encoding=encoding, newline="") as handle:
        header = csv.writer(handle, delimiter=options.delimiter, lineterminator="\r\n")
        names = [str(name) for name in columns]
        header.writerow(
            map(neutralise, names if options.header == "names" else column_labels(names, spec))
        )
        writer = csv.writer(
            handle,
            delimiter=options.delimiter,
            lineterminator="\r\n",
            quoting=csv.QUOTE_NONNUMERIC,  # quotes text (and empty cells), never numbers
        )
        writer.writerows(
            [  # the common cases inline (no call per cell): plain text, finite floats, as is
                v
                if (kind := v.__class__) in AS_IS
                or (kind is str and v[:1] not in FORMULA_CHARS)
                or (kind is float and v - v == 0)
                else get(kind, other)(v)
                for v in row
            ]
            for row, _ in zip(rows, ticks, strict=False)  # counts the rows
        )
    return next(ticks)


class _Fields:
    """How each type of value becomes a CSV field: a table on the exact type, no isinstance."""

    def __init__(self, ctx: RunScope) -> None:
        self.ctx, self.zone = ctx, ctx.run.zone
        self.table: dict[type, Convert] = {
            str: neutralise,
            float: _finite,
            bool: _boolean,
            datetime: self.moment,
            date: _as_is,
            Decimal: _finite_decimal,
        }

    def moment(self, value: datetime) -> str:
        """In the run's timezone; a naive datetime is taken as local (inline: one call a cell)."""
        return (value if value.tzinfo is None else value.astimezone(self.zone)).isoformat()

    def other(self, value: Any) -> Any:
        """Subclasses of the types above go their way; anything else is text, neutralised."""
        for kind, convert in self.table.items():
            if isinstance(value, kind):
                return convert(value)
        if isinstance(value, int):
            return value
        return neutralise(as_text(value, self.ctx))


def _as_is(value: Any) -> Any:
    return value


def _finite(value: float) -> float | None:
    """NaN and infinities are empty cells (a spreadsheet reads `nan` as text)."""
    return value if value - value == 0 else None


def _finite_decimal(value: Decimal) -> Decimal | None:
    return value if value.is_finite() else None


def _boolean(value: bool) -> str:
    return "true" if value else "false"
