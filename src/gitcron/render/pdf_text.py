"""Text in the PDF's table: cell values as text, fast widths, and wrapping within a column.

Widths of ASCII text are summed from the standard font's own table: reportlab's `stringWidth` is
pure Python without its optional C accelerator and was most of the time on large reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from gitcron.core.run import RunScope
from gitcron.render.base import as_text, local
from gitcron.render.formats import Show

ELLIPSIS = "…"  # in WinAnsi, so the standard fonts draw it


class Metrics:
    """Widths of text in one of the standard fonts (Helvetica...) at one size."""

    def __init__(self, font: str, size: float) -> None:
        from reportlab.pdfbase.pdfmetrics import getFont

        self.font, self.size = font, size
        scale = size / 1000
        self.ascii = [width * scale for width in getFont(font).widths[:128]]  # WinAnsi = ASCII
        self.widest = max(self.ascii[32:127])
        self.space = self.ascii[32]

    def width(self, text: str) -> float:
        if text.isascii():
            return sum(map(self.ascii.__getitem__, text.encode()))
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text, self.font, self.size)


def wrap(text: str, room: float, metrics: Metrics, max_lines: int) -> list[str]:
    """`text` in lines no wider than `room`, words kept whole when they fit; at most `max_lines`,
    the last ending in "…" when the text goes on."""
    if len(text) * metrics.widest <= room and text.isprintable():
        return [text]  # surely fits: most cells never need measuring
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += _paragraph(" ".join(paragraph.split()), room, metrics)
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _with_ellipsis(lines[-1], room, metrics)
    return lines


def _paragraph(text: str, room: float, metrics: Metrics) -> list[str]:
    """Greedy filling: each line takes as many words as fit; a word wider than a line is split."""
    lines: list[str] = []
    line, used = "", 0.0
    for word in text.split(" "):
        width = metrics.width(word)
        if line and used + metrics.space + width <= room:
            line, used = f"{line} {word}", used + metrics.space + width
            continue
        if line:
            lines.append(line)
        pieces = _split_word(word, room, metrics) if width > room else [word]
        lines += pieces[:-1]
        line = pieces[-1]
        used = metrics.width(line)
    lines.append(line)
    return lines


def _split_word(word: str, room: float, metrics: Metrics) -> list[str]:
    pieces, start, used = [], 0, 0.0
    for index, char in enumerate(word):
        width = metrics.width(char)
        if used + width > room and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += width
    pieces.append(word[start:])
    return pieces


def _with_ellipsis(line: str, room: float, metrics: Metrics) -> str:
    room -= metrics.width(ELLIPSIS)
    while line and metrics.width(line) > room:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


class CellText:
    """How each value reads in the PDF: prices to a column's decimals, times in the run's zone."""

    def __init__(
        self,
        ctx: RunScope,
        places: list[int],
        shown: Sequence[Show | None] = (),
        separators: dict[int, str] | None = None,
    ) -> None:
        """`shown`: a column's text function where it declares a format (`render.formats`);
        `separators`: the locale's point and grouping for other numbers (str.translate)."""
        self.ctx, self.places, self.separators = ctx, places, separators
        self.shown = list(shown) if any(shown) else None
        self.table: dict[type, Callable[[Any, int], str]] = {
            str: _same,
            int: _integer,
            float: self.real,
            Decimal: self.decimal,
            date: _day,
            datetime: self.moment,
            type(None): _empty,
        }

    def row(self, values: tuple[Any, ...]) -> list[str]:
        get, other = self.table.get, self.other
        if self.shown is None:
            return [get(v.__class__, other)(v, i) for i, v in enumerate(values)]
        shown, width = self.shown, len(self.shown)
        return [
            show(v) if i < width and (show := shown[i]) else get(v.__class__, other)(v, i)
            for i, v in enumerate(values)
        ]

    def real(self, value: float, column: int) -> str:
        if value - value != 0:  # NaN, infinities
            return ""
        text = f"{value:,.{self.places[column] if column < len(self.places) else 6}f}"
        return text if self.separators is None else text.translate(self.separators)

    def decimal(self, value: Decimal, column: int) -> str:
        return self.real(float(value), column) if value.is_finite() else ""

    def moment(self, value: datetime, column: int) -> str:
        shown = local(value, self.ctx)
        return shown.strftime("%Y-%m-%d %H:%M:%S" if shown.second else "%Y-%m-%d %H:%M")

    def other(self, value: Any, column: int) -> str:
        """Booleans and subclasses by their base type; anything else as plain text."""
        if isinstance(value, bool):
            return as_text(value, self.ctx)
        for kind in (str, int, float, Decimal, datetime, date):
            if isinstance(value, kind):
                return self.table[kind](value, column)
        return as_text(value, self.ctx)


def _same(value: str, column: int) -> str:
    return value


def _integer(value: int, column: int) -> str:
    return str(value)


def _day(value: date, column: int) -> str:
    return value.isoformat()


def _empty(value: None, column: int) -> str:
    return ""
