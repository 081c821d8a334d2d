"""The PDF's geometry, computed before drawing: page size, column widths, rows on each page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gitcron.render.pdf_text import Metrics

PORTRAIT_COLUMNS = 6  # more columns than this turn the page (orientation: auto)
MARGIN, BAND, FOOTER = 36.0, 42.0, 18.0  # page margin; room for title and footer lines
PADDING, VPADDING = 5.0, 2.6  # inside each cell, left/right and top/bottom
LEADING = 9.6  # one line of 8-point text
SAMPLE = 200  # rows read to size the columns
MAX_NATURAL = 260.0  # no column asks for more than this before wrapping
NUMBER_HEADROOM = 2  # digits more than the first rows' widest number: later ones grow too
HEADER_NATURAL = 90.0  # a longer header wraps between words rather than widen its column


@dataclass(frozen=True, slots=True)
class Layout:
    page: tuple[float, float]
    widths: list[float]
    top: float  # the table's top edge on every page
    bottom: float  # no row goes below this

    @property
    def left(self) -> float:
        return MARGIN

    @property
    def room(self) -> float:
        """The height a page has for the header row and the body rows."""
        return self.top - self.bottom


def layout(header: list[str], cells: Sequence[list[str]], numeric: list[bool], orientation: str,
           bold: Metrics, plain: Metrics,
           declared: Sequence[int | None] = ()) -> Layout:  # fmt: skip
    """Portrait unless asked, or unless the columns are many or too wide to read standing up.
    A column's declared width (characters, gitcron.yaml) stands for its measured one."""
    from reportlab.lib.pagesizes import A4, landscape

    natural = natural_widths(header, cells[:SAMPLE], numeric, bold, plain)
    digit = plain.width("0")
    for index, chars in enumerate(declared[: len(natural)]):
        if chars is not None:
            natural[index] = chars * digit + 2 * PADDING
    wide = len(header) > PORTRAIT_COLUMNS or sum(natural) > A4[0] - 2 * MARGIN
    turn = orientation == "landscape" or (orientation == "auto" and wide)
    page = landscape(A4) if turn else A4
    widths = fit_widths(natural, page[0] - 2 * MARGIN)
    return Layout(page, widths, page[1] - MARGIN - BAND, MARGIN + FOOTER)


def natural_widths(header: list[str], cells: Sequence[list[str]], numeric: list[bool],
                   bold: Metrics, plain: Metrics) -> list[float]:  # fmt: skip
    """What each column would take on one line: numbers their widest, text its 90th percentile
    (one long outlier wraps rather than widen the column), headers up to HEADER_NATURAL."""
    widths = []
    for index, name in enumerate(header):
        texts = sorted(plain.width(row[index]) for row in cells if index < len(row)) or [0.0]
        at = len(texts) - 1 if numeric[index] else (len(texts) - 1) * 9 // 10
        words = max(map(bold.width, name.split() or [""]))
        widest = texts[at] + (NUMBER_HEADROOM * plain.width("0") if numeric[index] else 0.0)
        shown = max(words, min(bold.width(name), HEADER_NATURAL), widest)
        widths.append(min(shown, MAX_NATURAL) + 2 * PADDING)
    return widths


def fit_widths(natural: list[float], room: float) -> list[float]:
    """Narrow columns keep their width; the wide ones share what is left; spare room is spread
    in proportion, so a column of three-letter codes stays narrow."""
    if not natural:
        return [room]
    widths = list(natural)
    left, open_columns = room, sorted(range(len(natural)), key=lambda i: natural[i])
    while open_columns:
        share = left / len(open_columns)
        if natural[open_columns[0]] > share:
            for i in open_columns:
                widths[i] = share
            return widths
        i = open_columns.pop(0)
        left -= natural[i]
    scale = room / sum(widths)
    return [width * scale for width in widths]


def row_height(lines: int) -> float:
    return lines * LEADING + 2 * VPADDING


def paginate(heights: Sequence[float], room: float) -> list[tuple[int, int]]:
    """[start, stop) of each page's rows, filling each page; an empty report still has one page."""
    pages, start, used = [], 0, 0.0
    for index, height in enumerate(heights):
        if used + height > room and index > start:
            pages.append((start, index))
            start, used = index, 0.0
        used += height
    pages.append((start, len(heights)))
    return pages
