"""The PDF's geometry, computed before drawing: page size, column widths, rows per page."""

from __future__ import annotations

import math
from dataclasses import dataclass

PORTRAIT_COLUMNS = 6  # more columns than this turn the page (orientation: auto)
MARGIN, BAND, ROW_HEIGHT, PADDING = 36.0, 40.0, 14.0, 6.0
FRAME_PADDING = 6.0  # reportlab's Frame default, on every side


@dataclass(frozen=True, slots=True)
class Layout:
    page: tuple[float, float]
    margin: float
    band: float  # room for the title and interval above the table
    widths: list[float]
    row_height: float
    rows_per_page: int


def layout(header: list[str], cells: list[list[str]], orientation: str) -> Layout:
    """Portrait unless asked, or unless the columns are many or too wide to read standing up."""
    from reportlab.lib.pagesizes import A4, landscape

    natural = _natural_widths(header, cells[:200])
    portrait_room = A4[0] - 2 * (MARGIN + FRAME_PADDING)
    wide = len(header) > PORTRAIT_COLUMNS or sum(natural) > portrait_room
    turn = orientation == "landscape" or (orientation == "auto" and wide)
    page = landscape(A4) if turn else A4
    room = page[0] - 2 * (MARGIN + FRAME_PADDING)
    height = page[1] - 2 * MARGIN - BAND - 2 * FRAME_PADDING
    per_page = max(int(height // ROW_HEIGHT) - 1, 1)  # one row is the repeated header
    return Layout(page, MARGIN, BAND, fit_widths(natural, room), ROW_HEIGHT, per_page)


def _natural_widths(header: list[str], cells: list[list[str]]) -> list[float]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [stringWidth(text, "Helvetica-Bold", 8) + PADDING * 2 for text in header]
    for row in cells:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], stringWidth(text, "Helvetica", 8) + PADDING * 2)
    return widths


def fit_widths(natural: list[float], room: float) -> list[float]:
    """Narrow columns keep their width; the wide ones share what is left; spare room is spread."""
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
    spare = (room - sum(widths)) / len(widths)
    return [width + spare for width in widths]


def fit_text(text: str, width: float, font: str, size: float, padding: float = PADDING) -> str:
    """`text` on one line within `width` (less padding on both sides), cut with an ellipsis."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = " ".join(text.split())
    room = width - padding * 2 + 0.01  # a column sized to its text must keep all of it
    if stringWidth(text, font, size) <= room:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with "…"
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def page_ranges(count: int, per_page: int) -> list[tuple[int, int]]:
    """[start, stop) of each page's rows; an empty report still has one page."""
    pages = max(math.ceil(count / per_page), 1)
    return [(p * per_page, min((p + 1) * per_page, count)) for p in range(pages)]
