"""A printable PDF table: title and data interval on each page, one Table per page, page N of M.

Pages are cut here, not by reportlab, so every page's table is small (one LongTable for thousands of
rows is slow) and the page count is known before drawing. reportlab is imported lazily.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gitcron.config.schedule import PdfOptions
from gitcron.jobs.base import JobContext, JobError
from gitcron.render.base import RenderSpec, as_text, is_number
from gitcron.render.pdf_layout import Layout, fit_text, layout, page_ranges

DEFAULT_MAX_ROWS = 5000
FONT, BOLD, SIZE = "Helvetica", "Helvetica-Bold", 8
HEADER_BLUE, ZEBRA = "#1f3a5f", "#eef2f7"


def write_pdf(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: JobContext,
) -> int:
    """Up to `report.pdf.max_rows` rows (5000 by default); more is an error that suggests xlsx."""
    options = spec.options if isinstance(spec.options, PdfOptions) else PdfOptions()
    limit = options.max_rows or DEFAULT_MAX_ROWS
    data = list(itertools.islice(rows, limit + 1))
    if len(data) > limit:
        raise JobError(
            f"the report has more than {limit:,} rows, too many for a readable PDF",
            "use format: xlsx or csv for large data, or raise report.pdf.max_rows",
            permanent=True,
        )
    header = [as_text(name, ctx) for name in columns]
    decimals = [
        max((_decimals(row[i]) for row in data[:200]), default=0) for i in range(len(header))
    ]
    cells = [
        [_text(value, places, ctx) for value, places in zip(row, decimals, strict=True)]
        for row in data
    ]
    numeric = [any(is_number(row[i]) for row in data[:50]) for i in range(len(header))]
    plan = layout(header, cells, options.orientation)
    _build(out, header, cells, numeric, plan, spec, ctx)
    return len(data)


def _build(
    out: Path,
    header: list[str],
    cells: list[list[str]],
    numeric: list[bool],
    plan: Layout,
    spec: RenderSpec,
    ctx: JobContext,
) -> None:
    from reportlab.lib import colors
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.flowables import Flowable

    pages = page_ranges(len(cells), plan.rows_per_page)
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), BOLD, SIZE),
            ("FONT", (0, 1), (-1, -1), FONT, SIZE),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BLUE)),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(ZEBRA)]),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor(HEADER_BLUE)),
            *[("ALIGN", (i, 0), (i, -1), "RIGHT") for i, flag in enumerate(numeric) if flag],
        ]
    )
    fitted_header = [fit_text(t, w, BOLD, SIZE) for t, w in zip(header, plan.widths, strict=True)]
    story: list[Flowable] = []
    for number, (start, stop) in enumerate(pages):
        body = [
            [fit_text(t, w, FONT, SIZE) for t, w in zip(row, plan.widths, strict=True)]
            for row in cells[start:stop]
        ]
        table = Table([fitted_header, *body], colWidths=plan.widths, rowHeights=plan.row_height)
        table.setStyle(style)
        story.append(table)
        if not cells:
            story += [Spacer(1, 8), Paragraph("No rows for this period.")]
        if number < len(pages) - 1:
            story.append(PageBreak())
    subtitle = _interval(ctx)

    def decorate(canvas: Any, doc: Any) -> None:
        width, height = plan.page
        canvas.saveState()
        canvas.setFont(BOLD, 13)
        title = fit_text(spec.title, width - 2 * plan.margin, BOLD, 13, padding=0)
        canvas.drawString(plan.margin, height - plan.margin - 12, title)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(plan.margin, height - plan.margin - 26, subtitle)
        foot = plan.margin - 14
        canvas.drawRightString(width - plan.margin, foot, f"page {doc.page} of {len(pages)}")
        canvas.drawString(plan.margin, foot, f"{len(cells):,} rows · {ctx.run.schedule_id}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(out),
        pagesize=plan.page,
        leftMargin=plan.margin,
        rightMargin=plan.margin,
        topMargin=plan.margin + plan.band,
        bottomMargin=plan.margin,
        title=spec.title,
        author="gitcron",
        invariant=True,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def _decimals(value: Any) -> int:
    """Digits after the point in a float's shortest form, so a column's prices line up."""
    if not isinstance(value, float) or not math.isfinite(value):
        return 0
    text = repr(value)
    return 0 if "e" in text else min(len(text.partition(".")[2]), 6)


def _text(value: Any, places: int, ctx: JobContext) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.{places}f}"
    return as_text(value, ctx)


def _interval(ctx: JobContext) -> str:
    zone, fire = ctx.run.zone, ctx.run.local_fire.strftime("%Y-%m-%d %H:%M")
    if ctx.run.interval_start is None:
        return f"Data up to {fire} ({zone.key})"
    start = ctx.run.interval_start.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return f"Data from {start} to {fire} ({zone.key})"
