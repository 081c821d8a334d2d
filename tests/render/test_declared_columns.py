"""Declared columns (gitcron.yaml `columns:`) in the files a customer opens: labels, formats in
the customer's locale, widths. Each file is opened as its reader would: the workbook with
openpyxl, the PDF's text with poppler's pdftotext, the csv as text."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, get_args

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from gitcron.config.columns import Column
from gitcron.config.customer import LocaleName
from gitcron.render.base import RenderSpec
from gitcron.render.excel_formats import LCIDS
from gitcron.render.registry import RENDERERS
from jobs.helpers import job_ctx

NAMES = ["sku", "unit_price", "discount", "launched", "updated_at", "qty", "in_stock"]
DECLARED = (
    Column(name="sku", label="Article", width=14),
    Column(name="unit_price", type="number", label="Price", format={"currency": "EUR"}),
    Column(name="discount", type="number", format={"percent": 1}),
    Column(name="launched", type="date", format={"date": "d MMMM y"}),
    Column(name="updated_at", type="datetime", format="datetime"),
    Column(name="qty", type="integer", format={"number": 0}, width=9),
)
ROWS: list[tuple[Any, ...]] = [
    ("A-1", 1234.5, 0.125, date(2026, 12, 7), datetime(2026, 12, 7, 13, 5, tzinfo=UTC), 12000, 3),
    ("B-2", 2.25, 0.5, date(2026, 3, 1), datetime(2026, 3, 1, 8, 0, tzinfo=UTC), 7, 0),
]
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler not installed")


def render(tmp_path: Path, fmt: str, locale: str | None = None) -> Path:
    out = tmp_path / f"out.{fmt}"
    spec = RenderSpec("products", "Products", None, columns=DECLARED, locale=locale)
    assert RENDERERS[fmt](NAMES, ROWS, out, spec, job_ctx(tmp_path)) == len(ROWS)
    return out


def sheet(path: Path) -> Worksheet:
    active = openpyxl.load_workbook(path).worksheets[0]
    assert isinstance(active, Worksheet)
    return active


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_workbook_has_the_labels_formats_and_widths_declared(tmp_path: Path) -> None:
    ws = sheet(render(tmp_path, "xlsx", "de-DE"))
    assert [c.value for c in ws[1]] == [
        "Article",  # declared labels
        "Price",
        "Discount",  # undeclared labels stay readable
        "Launched",
        "Updated at",
        "Qty",
        "In stock",
    ]
    price, discount, launched, updated, qty, stock = (ws.cell(2, i) for i in range(2, 8))
    assert (price.value, price.number_format) == (1234.5, '#,##0.00"\u00a0€"')
    assert (discount.value, discount.number_format) == (0.125, '#,##0.0"\u00a0"%')
    assert launched.value == datetime(2026, 12, 7)  # still a date the sheet can sort
    assert launched.number_format == "[$-407]d mmmm yyyy"  # month names in German
    assert updated.number_format == "dd.mm.yyyy, hh:mm"
    assert updated.value == datetime(2026, 12, 7, 8, 5)  # in the run's zone (New York)
    assert (qty.value, qty.number_format) == (12000, "#,##0")
    assert stock.number_format == "General"  # nothing declared: as before
    assert ws.column_dimensions["A"].width == pytest.approx(14, abs=1)  # declared characters
    assert ws.column_dimensions["F"].width == pytest.approx(9, abs=1)
    assert ws.column_dimensions["B"].width >= len("1.234,50 €")  # sized as the locale shows it


def test_the_workbook_places_the_symbol_as_the_locale_does(tmp_path: Path) -> None:
    ws = sheet(render(tmp_path, "xlsx", "en-GB"))
    assert ws["B2"].number_format == '"€"#,##0.00'
    assert ws["D2"].number_format == "[$-809]d mmmm yyyy"


@needs_pdftotext
def test_the_pdf_shows_labels_and_values_in_the_customers_locale(tmp_path: Path) -> None:
    page = pdf_text(render(tmp_path, "pdf", "de-DE"))
    assert all(label in page for label in ("Article", "Price", "Discount", "Updated at"))
    assert "1.234,50 €" in page.replace("\u00a0", " ")
    assert "12,5 %" in page.replace("\u00a0", " ")
    assert "7 Dezember 2026" in page  # the declared pattern, German month names
    assert "07.12.2026, 08:05" in page  # the locale's medium date and time, in the run's zone
    assert "12.000" in page  # {number: 0} groups thousands


@needs_pdftotext
def test_the_pdf_without_a_locale_writes_english(tmp_path: Path) -> None:
    page = pdf_text(render(tmp_path, "pdf"))
    assert "€1,234.50" in page
    assert "7 December 2026" in page


@needs_pdftotext
def test_undeclared_numbers_follow_the_locale_too(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    spec = RenderSpec("products", "Products", None, locale="de-DE")
    write = RENDERERS["pdf"]
    write(["price", "day"], [(1234.56, date(2026, 12, 7))], out, spec, job_ctx(tmp_path))
    page = pdf_text(out)
    assert "1.234,56" in page  # the locale's separators
    assert "2026-12-07" in page  # an undeclared date stays ISO, unambiguous everywhere


@needs_pdftotext
def test_french_groups_with_a_space_the_pdf_font_has(tmp_path: Path) -> None:
    page = pdf_text(render(tmp_path, "pdf", "fr-FR"))
    assert "1 234,50 €" in page.replace("\u00a0", " ")  # not a missing glyph


def test_the_csv_header_uses_labels_and_its_values_stay_raw(tmp_path: Path) -> None:
    lines = render(tmp_path, "csv", "de-DE").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Article,Price,Discount,Launched,Updated at,Qty,In stock"
    assert lines[1].startswith('"A-1",1234.5,0.125,"2026-12-07","2026-12-07T08:05:00-05:00",12000')


def test_every_customer_locale_has_an_excel_locale_id() -> None:
    assert set(get_args(LocaleName)) == set(LCIDS)


def test_a_declared_width_sets_the_pdf_column_proportions(tmp_path: Path) -> None:
    from gitcron.render.pdf_layout import layout
    from gitcron.render.pdf_text import Metrics

    bold, plain = Metrics("Helvetica-Bold", 8), Metrics("Helvetica", 8)
    header, cells = ["A", "B"], [["x", "y"]]
    plan = layout(header, cells, [False, False], "portrait", bold, plain, [40, 10])
    assert plan.widths[0] == pytest.approx(4 * plan.widths[1], rel=0.15)


@needs_pdftotext
def test_a_symbol_the_pdf_fonts_cannot_draw_is_written_as_its_code(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    price = Column(name="price", type="number", format={"currency": "PLN"})
    spec = RenderSpec("products", "Products", None, columns=(price,), locale="pl-PL")
    RENDERERS["pdf"](["price"], [(1234.5,)], out, spec, job_ctx(tmp_path))
    assert "1 234,50 PLN" in pdf_text(out).replace("\u00a0", " ")  # not `zł` as a black box
    workbook = tmp_path / "out.xlsx"
    RENDERERS["xlsx"](["price"], [(1234.5,)], workbook, spec, job_ctx(tmp_path))
    assert sheet(workbook)["A2"].number_format == '#,##0.00"\u00a0zł"'  # Excel's fonts have it
