"""A printable PDF table: title, interval and header row on every page, zebra rows, page N of M.

Rows are wrapped and measured as they are read, then cut into pages here, so the page count is
known before drawing and every page is drawn on its own straight onto the canvas: time grows
linearly with the rows (one platypus LongTable for thousands of rows does not). reportlab is
imported lazily.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gitcron.config.job import PdfOptions
from gitcron.core.artifact import JobError
from gitcron.core.run import RunScope
from gitcron.render.base import RenderSpec, float_places, generated, is_number
from gitcron.render.formats import column_showers, separators, shows_numbers
from gitcron.render.labels import column_labels, declared
from gitcron.render.pdf_layout import (
    LEADING,
    PADDING,
    SAMPLE,
    VPADDING,
    Layout,
    layout,
    paginate,
    row_height,
)
from gitcron.render.pdf_text import CellText, Metrics, wrap

DEFAULT_MAX_ROWS = 5000
FONT, BOLD, SIZE = "Helvetica", "Helvetica-Bold", 8
MAX_LINES, HEADER_LINES = 8, 3  # a cell's text beyond this many lines ends in "…"
BASELINE = 2.6  # from the bottom of a line's box to the text's baseline
HEADER_BLUE, ZEBRA, RULE, GREY = "#1f3a5f", "#eef2f7", "#c9d3e0", "#555555"


@dataclass(frozen=True, slots=True)
class Table:
    """Every cell already wrapped (lines joined by newlines), with each row's height."""

    header: list[str]
    header_height: float
    rows: list[list[str]]
    heights: list[float]
    numeric: list[bool]  # right-aligned columns


def write_pdf(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: RunScope,
) -> int:
    """Up to `report.pdf.max_rows` rows (5000 by default); more is an error that suggests xlsx."""
    options = spec.options if isinstance(spec.options, PdfOptions) else PdfOptions()
    header = column_labels(columns, spec)
    columns_declared = declared(columns, spec)
    iterator = iter(rows)
    head = list(itertools.islice(iterator, SAMPLE))
    places = [float_places(_column(head, i)) for i in range(len(header))]
    shown = column_showers(columns_declared, places, spec.locale, ctx)
    texts = CellText(ctx, places, shown, separators(spec.locale).table())
    head_cells = [texts.row(row) for row in head]
    bold, plain = Metrics(BOLD, SIZE), Metrics(FONT, SIZE)
    numeric = [
        any(map(is_number, _column(head, i))) or shows_numbers(columns_declared[i])
        for i in range(len(header))
    ]
    widths = [column.width if column else None for column in columns_declared]
    plan = layout(header, head_cells, numeric, options.orientation, bold, plain, widths)
    body = itertools.chain(head_cells, (texts.row(row) for row in iterator))
    table = _wrap_table(header, _capped(body, options.max_rows or DEFAULT_MAX_ROWS), plan, numeric)
    _draw(out, table, plan, spec, ctx)
    return len(table.rows)


def _column(rows: list[tuple[Any, ...]], index: int) -> Iterator[Any]:
    return (row[index] for row in rows if index < len(row))


def _capped(rows: Iterable[list[str]], limit: int) -> Iterator[list[str]]:
    """The rows, or an error as soon as there is one more than `limit`: never a cut report."""
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise JobError(
                f"the report has more than {limit:,} rows, too many for a readable PDF",
                "use format: xlsx or csv for large data, or raise report.pdf.max_rows",
                permanent=True,
            )
        yield row


def _wrap_table(
    header: list[str], rows: Iterable[list[str]], plan: Layout, numeric: list[bool]
) -> Table:
    bold, plain = Metrics(BOLD, SIZE), Metrics(FONT, SIZE)
    rooms = [width - 2 * PADDING for width in plan.widths]
    wrapped_header, header_lines = _wrap_row(
        header, rooms, [False] * len(rooms), bold, HEADER_LINES
    )
    cells, heights = [], []
    for row in rows:
        wrapped, lines = _wrap_row(row, rooms, numeric, plain, MAX_LINES)
        cells.append(wrapped)
        heights.append(row_height(lines))
    return Table(wrapped_header, row_height(header_lines), cells, heights, numeric)


def _wrap_row(
    row: list[str], rooms: list[float], numeric: list[bool], metrics: Metrics, max_lines: int
) -> tuple[list[str], int]:
    """Each cell's lines joined by newlines, and the most lines of any cell. A number is never
    split: a rare one wider than its column runs into the padding on its left."""
    cells, most = [], 1
    for text, room, number in zip(row, rooms, numeric, strict=False):
        whole = number and " " not in text and "\n" not in text
        lines = [text] if whole else wrap(text, room, metrics, max_lines)
        most = max(most, len(lines))
        cells.append(lines[0] if len(lines) == 1 else "\n".join(lines))
    return cells, most


def _draw(out: Path, table: Table, plan: Layout, spec: RenderSpec, ctx: RunScope) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(out), pagesize=plan.page, invariant=True, pageCompression=1)
    canvas.setTitle(spec.title)
    canvas.setAuthor(spec.author)
    canvas.setSubject(spec.subject or spec.title)
    canvas.setCreator("gitcron")
    canvas.setKeywords(f"run {ctx.run.run_id}")  # the run travels in metadata, never on the page
    stamp = pdf_date(generated(ctx))
    canvas.setDateFormatter(lambda *_: stamp)  # created and modified: when the run made it
    pages = paginate(table.heights, plan.room - table.header_height)
    for number, (start, stop) in enumerate(pages, start=1):
        _decorate(canvas, plan, spec, ctx, f"page {number} of {len(pages)}", len(table.rows))
        y = _draw_rows(canvas, plan, table, [table.header], [table.header_height], plan.top, True)
        _draw_rows(canvas, plan, table, table.rows[start:stop], table.heights[start:stop], y)
        _draw_grid(canvas, plan, y_top=plan.top, y_bottom=y - sum(table.heights[start:stop]))
        if not table.rows:
            canvas.setFont(FONT, 9)
            canvas.drawString(plan.left, y - 18, "No rows for this period.")
        canvas.showPage()
    canvas.save()


def _decorate(canvas: Any, plan: Layout, spec: RenderSpec, ctx: RunScope, page: str,
              count: int) -> None:  # fmt: skip
    """Title and data interval above the table; row count and page number below it."""
    from reportlab.lib import colors

    width, height = plan.page
    canvas.setFont(BOLD, 13)
    title = wrap(spec.title, width - 2 * plan.left, Metrics(BOLD, 13), 1)[0]
    canvas.drawString(plan.left, height - plan.left - 12, title)
    canvas.setFont(FONT, 9)
    canvas.setFillColor(colors.HexColor(GREY))
    canvas.drawString(plan.left, height - plan.left - 26, interval(ctx, spec.interval))
    foot = plan.bottom - 14
    canvas.drawRightString(width - plan.left, foot, page)
    rows = f"{count:,} row{'s' * (count != 1)}"
    canvas.drawString(plan.left, foot, f"{rows} · {spec.author}" if spec.author else rows)
    canvas.setFillColor(colors.black)


def _draw_rows(
    canvas: Any,
    plan: Layout,
    table: Table,
    rows: list[list[str]],
    heights: list[float],
    top: float,
    header: bool = False,
) -> float:
    """Backgrounds (header blue, every other row shaded), then all the text as one text object;
    returns the y below the last row."""
    from reportlab.lib import colors

    right = plan.left + sum(plan.widths)
    y = top
    canvas.setFillColor(colors.HexColor(HEADER_BLUE if header else ZEBRA))
    for index, height in enumerate(heights):
        if header or index % 2:
            canvas.rect(plan.left, y - height, right - plan.left, height, stroke=0, fill=1)
        y -= height
    text = canvas.beginText()
    text.setFont(BOLD if header else FONT, SIZE)
    text.setFillColor(colors.white if header else colors.black)
    metrics = Metrics(BOLD if header else FONT, SIZE)
    y = top
    for row, height in zip(rows, heights, strict=True):
        _row_text(text, row, y, plan, table.numeric, metrics)
        y -= height
    canvas.drawText(text)
    return y


def _row_text(text: Any, row: list[str], top: float, plan: Layout, numeric: list[bool],
              metrics: Metrics) -> None:  # fmt: skip
    x = plan.left
    for cell, width, right in zip(row, plan.widths, numeric, strict=False):
        baseline = top - VPADDING - LEADING + BASELINE
        for line in cell.split("\n"):
            shift = width - PADDING - metrics.width(line) if right else PADDING
            text.setTextOrigin(x + shift, baseline)
            text.textOut(line)
            baseline -= LEADING
        x += width


def _draw_grid(canvas: Any, plan: Layout, y_top: float, y_bottom: float) -> None:
    """A frame around the table and light rules between the columns."""
    from reportlab.lib import colors

    canvas.setLineWidth(0.5)
    canvas.setStrokeColor(colors.HexColor(RULE))
    x = plan.left
    for width in plan.widths[:-1]:
        x += width
        canvas.line(x, y_top, x, y_bottom)
    canvas.setStrokeColor(colors.HexColor(HEADER_BLUE))
    canvas.rect(plan.left, y_bottom, sum(plan.widths), y_top - y_bottom, stroke=1, fill=0)


def interval(ctx: RunScope, uses_interval: bool = True) -> str:
    """`Data from … to … (zone) · generated …` in the customer's timezone; only `Generated …`
    when the dataset does not read the interval (a catalogue is not "data from" any dates).

    "Generated" is when the run's first attempt made the file, so a retry sends the same bytes."""
    zone = ctx.run.zone
    made = generated(ctx).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    if not uses_interval:
        return f"Generated {made}"
    fire = ctx.run.local_fire.strftime("%Y-%m-%d %H:%M")
    if ctx.run.interval_start is None:
        return f"Data up to {fire} ({zone.key}) · generated {made}"
    start = ctx.run.interval_start.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return f"Data from {start} to {fire} ({zone.key}) · generated {made}"


def pdf_date(moment: datetime) -> str:
    """A PDF date (`D:20261207140700+00'00'`), in UTC."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
