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
import math
import operator
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
AS_IS = frozenset({int, date, type(None)})  # the csv module writes them: 7, 2026-01-31, ""
Convert = Callable[[Any], Any]
BATCH = 2048  # rows converted a column at a time: the checks run in C (map), not once a cell


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
    count = 0
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
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH)):
            count += len(batch)
            writer.writerows(fields.batch(batch))
    return count


class _Fields:
    """How each type of value becomes a CSV field: a table on the exact type, no isinstance."""

    def __init__(self, ctx: RunScope) -> None:
        self.ctx, self.zone = ctx, ctx.run.zone
        self.to_zone = operator.methodcaller("astimezone", self.zone)
        self.table: dict[type, Convert] = {
            str: neutralise,
            float: _finite,
            bool: _boolean,
            datetime: self.moment,
            date: _as_is,
            Decimal: _finite_decimal,
        }

    def batch(self, rows: list[tuple[Any, ...]]) -> Iterable[Sequence[Any]]:
        """The rows' cells as the csv module should write them. Column by column: a column of
        one type is checked with C-level maps (a text column only pays for its formula-like
        cells); ragged rows and mixed columns go cell by cell."""
        if len(set(map(len, rows))) != 1 or not rows[0]:  # ragged, or no columns at all
            return [[self.cell(v) for v in row] for row in rows]
        return zip(*map(self.column, zip(*rows, strict=True)), strict=True)

    def column(self, cells: tuple[Any, ...]) -> Sequence[Any]:
        kinds = set(map(type, cells))
        if kinds <= AS_IS:
            return cells
        if kinds == _STR:
            flagged = list(map(str.startswith, cells, itertools.repeat(FORMULA_START)))
            return _fixed(cells, flagged, neutralise) if any(flagged) else cells
        if kinds == _FLOAT:
            finite = list(map(math.isfinite, cells))
            return cells if all(finite) else _fixed(cells, [not f for f in finite], _finite)
        if kinds == _DATETIME:
            if not any(map(_AWARE, cells)):
                return list(map(datetime.isoformat, cells))  # naive: taken as local
            if all(map(_AWARE, cells)):
                return list(map(datetime.isoformat, map(self.to_zone, cells)))
            return list(map(self.moment, cells))
        return [self.cell(v) for v in cells]

    def cell(self, value: Any) -> Any:
        return self.table.get(type(value), self.other)(value) if type(value) not in AS_IS else value

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


def _fixed(cells: tuple[Any, ...], flagged: list[bool], fix: Convert) -> list[Any]:
    """`cells` with only the flagged ones converted (the rest are copied in C)."""
    out = list(cells)
    for index in itertools.compress(range(len(out)), flagged):
        out[index] = fix(out[index])
    return out


_STR, _FLOAT, _DATETIME = frozenset({str}), frozenset({float}), frozenset({datetime})
_AWARE = operator.attrgetter("tzinfo")


def _finite(value: float) -> float | None:
    """NaN and infinities are empty cells (a spreadsheet reads `nan` as text)."""
    return value if value - value == 0 else None


def _finite_decimal(value: Decimal) -> Decimal | None:
    return value if value.is_finite() else None


def _boolean(value: bool) -> str:
    return "true" if value else "false"
