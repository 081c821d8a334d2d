"""Excel workbooks, streamed (openpyxl write-only), with a header people can filter and scroll.

Text is always written as text: a cell `=HYPERLINK(...)` from a dataset shows as typed and never
becomes a formula. openpyxl is imported inside the renderer, so other commands start fast.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from gitcron.config.schedule import XlsxOptions
from gitcron.jobs.base import JobContext
from gitcron.render.base import RenderSpec, as_text, local

WIDTH_SAMPLE = 100  # rows read ahead to size the columns
MAX_COLUMN_WIDTH = 60
MAX_EXACT_INT = 10**15  # Excel keeps 15 significant digits; bigger integers are written as text
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl refuses these characters


def sheet_title(spec: RenderSpec) -> str:
    """`report.xlsx.sheet`, else the dataset's name, made acceptable to Excel."""
    options = spec.options if isinstance(spec.options, XlsxOptions) else None
    title = _BAD_SHEET_CHARS.sub("_", (options and options.sheet) or spec.dataset)
    return title.strip("'")[:31] or "Sheet1"


def excel_value(value: Any, ctx: JobContext) -> Any:
    """Numbers, dates and booleans as real cells; anything else as text (cleaned for the XML)."""
    if value is None or isinstance(value, bool | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value if abs(value) < MAX_EXACT_INT else str(value)
    if isinstance(value, datetime):
        return local(value, ctx).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return _ILLEGAL_XML.sub("", value if isinstance(value, str) else as_text(value, ctx))


def write_xlsx(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: JobContext,
) -> int:
    """One sheet: bold frozen header, autofilter over the data, widths from the first rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, Cell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(spec))
    sheet.freeze_panes = "A2"  # written with the sheet's header, so it must come before any row
    iterator = iter(rows)
    head = [[excel_value(v, ctx) for v in row] for row in itertools.islice(iterator, WIDTH_SAMPLE)]
    for index, width in enumerate(_widths(columns, head), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    def text_cell(value: str, bold: bool = False) -> Cell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
        if bold:
            cell.font = Font(bold=True)
        return cell

    def cell(value: Any) -> Any:  # other text is already typed as text by openpyxl
        retype = isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES)
        return text_cell(value) if retype else value

    sheet.append([text_cell(str(name), bold=True) for name in columns])
    count = 0
    rest = ([excel_value(v, ctx) for v in row] for row in iterator)
    for values in itertools.chain(head, rest):
        sheet.append([cell(v) for v in values])
        count += 1
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(out)
    return count


def _widths(columns: Sequence[str], rows: list[list[Any]]) -> list[float]:
    widths = [len(str(name)) + 4 for name in columns]  # room for the filter button
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            shown = 10 if isinstance(value, date) else len(str(value or ""))
            widths[index] = max(widths[index], shown + 2)
    return [min(width, MAX_COLUMN_WIDTH) for width in widths]
