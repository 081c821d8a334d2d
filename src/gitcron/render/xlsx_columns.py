"""What a workbook takes from the columns gitcron.yaml declares: Excel formats and widths.

A declared format becomes the column's Excel number format (`render.excel_formats`), so the cell
keeps its number or date and the customer's spreadsheet can sum and sort it; a declared width is
the column's width in characters. A formatted column without a declared width is sized by its
values as the locale shows them (`1.234,50 €` is wider than `1234.5`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gitcron.config.cldr import babel_locale
from gitcron.config.columns import Column
from gitcron.core.run import RunScope
from gitcron.render.base import float_places
from gitcron.render.excel_formats import excel_format
from gitcron.render.formats import resolve, shower

MAX_COLUMN_WIDTH = 60


class Declared:
    """The declared columns of one workbook, resolved once in the customer's locale."""

    def __init__(
        self,
        columns: list[Column | None],
        head: list[tuple[Any, ...]],
        locale_name: str | None,
        ctx: RunScope,
    ) -> None:
        self.columns = columns
        self.codes: list[str | None] = [None] * len(columns)
        self.shown_widths: list[int | None] = [None] * len(columns)
        if not any(column and column.format for column in columns):
            return
        locale = babel_locale(locale_name)
        for index, column in enumerate(columns):
            if column is None or column.format is None:
                continue
            values = [row[index] for row in head if index < len(row)]
            resolved = resolve(column.format, locale, float_places(values))
            self.codes[index] = excel_format(resolved, locale_name)
            show = shower(resolved, locale, ctx)
            self.shown_widths[index] = max((len(show(v)) + 2 for v in values), default=0)

    def widths(self, measured: Sequence[float]) -> list[float]:
        """Each column's width: declared, else the widest of its header and shown values."""
        widths = list(measured)
        for index, column in enumerate(self.columns[: len(widths)]):
            shown = self.shown_widths[index]
            if column is not None and column.width is not None:
                widths[index] = column.width
            elif shown is not None:
                widths[index] = min(max(widths[index], shown), MAX_COLUMN_WIDTH)
        return widths
