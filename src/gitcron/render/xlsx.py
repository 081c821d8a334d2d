"""Excel workbooks, streamed (xlsxwriter constant_memory), with a header to filter and scroll.

xlsxwriter in constant_memory mode keeps one row in memory and was the fastest of the two streaming
writers we measured (benchmarks/bench_render.py). Text is always written with `write_string`: a
cell `=HYPERLINK(...)` from a dataset shows as typed and never becomes a formula. xlsxwriter is
imported inside the renderer, so other commands start fast.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from gitcron.config.job import XlsxOptions
from gitcron.core.artifact import JobError
from gitcron.core.run import RunScope
from gitcron.render.base import RenderSpec, as_text, float_places, generated
from gitcron.render.labels import column_labels, declared
from gitcron.render.xlsx_columns import MAX_COLUMN_WIDTH, Declared

WIDTH_SAMPLE = 100  # rows read ahead to size the columns and pick number formats
MAX_GENERAL_INT = 10**11  # Excel's General format shows integers up to 11 digits
MAX_EXACT_INT = 10**15  # Excel keeps 15 significant digits; bigger integers are written as text
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
EPOCH = datetime(1899, 12, 30)  # Excel's day 0 for every serial from 1900-03-01 (day 61) on
FIRST_PLAIN_SERIAL = 61  # earlier days carry Excel's 1900 leap-year bug: xlsxwriter handles them
DAY = timedelta(days=1)
DATE_FORMAT, DATETIME_FORMAT, INT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "0"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Put = Callable[[int, int, Any], Any]


def sheet_title(spec: RenderSpec) -> str:
    """`report.xlsx.sheet`, else the dataset's name, made acceptable to Excel."""
    options = spec.options if isinstance(spec.options, XlsxOptions) else None
    title = _BAD_SHEET_CHARS.sub("_", (options and options.sheet) or spec.dataset)
    return title.strip("'")[:31] or "Sheet1"


def write_xlsx(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: RunScope,
) -> int:
    """One sheet: bold frozen header, autofilter over the data, widths and formats from the top."""
    import xlsxwriter

    iterator = iter(rows)
    head = list(itertools.islice(iterator, WIDTH_SAMPLE))
    labels = column_labels(columns, spec)
    formats = Declared(declared(columns, spec), head, spec.locale, ctx)
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True, "tmpdir": str(out.parent)})
    book.set_properties(_properties(spec, ctx))
    sheet = book.add_worksheet(sheet_title(spec))
    for index, width in enumerate(formats.widths(_widths(labels, head, ctx))):
        sheet.set_column(index, index, width)  # before any row: constant_memory writes as it goes
    sheet.freeze_panes(1, 0)
    bold = book.add_format({"bold": True})
    for index, label in enumerate(labels):
        sheet.write_string(0, index, label, bold)
    cells = _Cells(book, sheet, ctx, _float_formats(len(columns), head), formats.codes)
    count = cells.write_all(itertools.chain(head, iterator))
    sheet.autofilter(0, 0, count, max(len(columns), 1) - 1)
    book.close()
    return count


def _properties(spec: RenderSpec, ctx: RunScope) -> dict[str, Any]:
    """File > Properties: what the workbook is, who sent it and which run made it when (fixed
    by the run's first attempt, so a retry's workbook matches)."""
    return {
        "title": spec.title,
        "subject": spec.subject or spec.title,
        "author": spec.author,
        "company": spec.author,
        "comments": f"run {ctx.run.run_id}",
        "created": generated(ctx).astimezone(UTC).replace(tzinfo=None),  # UTC
    }


class _Cells:
    """Writes each value as the right kind of cell, by a table on its exact type (no isinstance)."""

    def __init__(
        self, book: Any, sheet: Any, ctx: RunScope, floats: list[str], declared: list[str | None]
    ) -> None:
        """`floats`: each column's format for floats; `declared`: the Excel format of each column
        that declares one in gitcron.yaml, for all its numbers, dates and datetimes."""
        self.sheet, self.ctx, self.zone = sheet, ctx, ctx.run.zone
        self.int_format = book.add_format({"num_format": INT_FORMAT})
        date_format = book.add_format({"num_format": DATE_FORMAT})
        datetime_format = book.add_format({"num_format": DATETIME_FORMAT})
        width = max(len(floats), len(declared))
        own = [book.add_format({"num_format": code}) if code else None for code in declared]
        own += [None] * (width - len(own))
        floats = floats + [""] * (width - len(floats))
        self.float_formats = [
            mine or (book.add_format({"num_format": f}) if f else None)
            for mine, f in zip(own, floats, strict=True)
        ]
        self.int_formats = own
        self.date_formats = [mine or date_format for mine in own]
        self.datetime_formats = [mine or datetime_format for mine in own]
        self.date_format, self.datetime_format = date_format, datetime_format
        self.put: dict[type, Put] = {
            str: self.text,
            int: self.integer,
            float: self.real,
            bool: sheet.write_boolean,
            date: self.day,
            datetime: self.moment,
            Decimal: self.decimal,
            type(None): _nothing,
        }

    def write_all(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Rows 1.. under the header; more than Excel holds is an error, never a cut file."""
        put: dict[type, Put] = self.put
        other: Put = self.other
        count = 0
        for count, row in enumerate(rows, start=1):
            if count > MAX_ROWS:
                raise JobError(
                    f"the report has more than {MAX_ROWS:,} rows, more than an Excel sheet holds",
                    "use format: csv for data this large, or narrow the dataset's query",
                    permanent=True,
                )
            for column, value in enumerate(row):
                put.get(value.__class__, other)(count, column, value)
        return count

    def text(self, row: int, column: int, value: str) -> None:
        """Never a formula; characters XML cannot hold (other than tab, CR, LF) are dropped."""
        if not value.isprintable():
            value = _ILLEGAL_XML.sub("", value)
        if value:
            self.sheet.write_string(row, column, value)

    def integer(self, row: int, column: int, value: int) -> None:
        """General shows up to 11 digits; longer ids get `0`, never `1.23457E+11`."""
        if -MAX_GENERAL_INT < value < MAX_GENERAL_INT:
            self.sheet.write_number(row, column, value, self._int_format(column))
        elif -MAX_EXACT_INT < value < MAX_EXACT_INT:
            self.sheet.write_number(row, column, value, self._int_format(column) or self.int_format)
        else:
            self.text(row, column, str(value))

    def _int_format(self, column: int) -> Any:
        return self.int_formats[column] if column < len(self.int_formats) else None

    def real(self, row: int, column: int, value: float) -> None:
        if value - value == 0:  # finite: NaN and infinities are left empty
            formats = self.float_formats
            self.sheet.write_number(
                row, column, value, formats[column] if column < len(formats) else None
            )

    def decimal(self, row: int, column: int, value: Decimal) -> None:
        if value.is_finite():
            self.real(row, column, float(value))

    def day(self, row: int, column: int, value: date) -> None:
        serial = value.toordinal() - EPOCH.toordinal()
        formats = self.date_formats
        shown = formats[column] if column < len(formats) else self.date_format
        if serial < FIRST_PLAIN_SERIAL:
            self.sheet.write_datetime(row, column, value, shown)
        else:
            self.sheet.write_number(row, column, serial, shown)

    def moment(self, row: int, column: int, value: datetime) -> None:
        """In the run's timezone (a naive datetime is taken as local), as Excel has no zones."""
        if value.tzinfo is not None:
            value = value.astimezone(self.zone).replace(tzinfo=None)
        serial = (value - EPOCH) / DAY
        formats = self.datetime_formats
        shown = formats[column] if column < len(formats) else self.datetime_format
        if serial < FIRST_PLAIN_SERIAL:
            self.sheet.write_datetime(row, column, value, shown)
        else:
            self.sheet.write_number(row, column, serial, shown)

    def other(self, row: int, column: int, value: Any) -> None:
        """Subclasses of the types above go their way; anything else is written as text."""
        for kind in (bool, int, float, Decimal, datetime, date, str):
            if isinstance(value, kind):
                self.put[kind](row, column, value)
                return
        self.text(row, column, as_text(value, self.ctx))


def _nothing(row: int, column: int, value: None) -> None:
    """An empty cell is no cell at all."""


def _float_formats(width: int, head: list[tuple[Any, ...]]) -> list[str]:
    """`#,##0.00` for a column of prices (the most decimals its first floats show); else General."""
    formats = []
    for index in range(width):
        places = float_places(row[index] for row in head if index < len(row))
        formats.append(f"#,##0.{'0' * places}" if places else "")
    return formats


def _widths(columns: Sequence[str], rows: list[tuple[Any, ...]], ctx: RunScope) -> list[float]:
    widths = [len(str(name)) + 4 for name in columns]  # room for the filter button
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _shown_length(value, ctx) + 2)
    return [min(width, MAX_COLUMN_WIDTH) for width in widths]


def _shown_length(value: Any, ctx: RunScope) -> int:
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    if isinstance(value, float | Decimal):
        return len(f"{value:,.6f}".rstrip("0"))
    if isinstance(value, str):
        return max(map(len, value.splitlines() or [""]))
    return len(as_text(value, ctx))
