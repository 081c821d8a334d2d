"""XLSX: real cells for numbers and dates, text that never becomes a formula, a usable header."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from gitcron.config.job import XlsxOptions
from gitcron.jobs.base import JobError
from gitcron.render import xlsx
from gitcron.render.base import RenderSpec
from gitcron.render.xlsx import write_xlsx
from jobs.helpers import job_ctx
from jobs.helpers import run_info as job_run

from .helpers import render

COLUMNS = ["sku", "name", "price", "qty", "day"]
ROWS = [
    ("A1", "Bread", 2.5, 3, date(2026, 1, 31)),
    ("B2", '=HYPERLINK("http://evil.example")', 1.25, None, date(2026, 2, 1)),
    ("C3", "#N/A", Decimal("3.10"), -4, None),
]


def sheet(path: Path) -> Worksheet:
    workbook = openpyxl.load_workbook(path)
    active = workbook.worksheets[0]
    assert isinstance(active, Worksheet)
    return active


def test_values_and_types(tmp_path: Path) -> None:
    out, count = render(tmp_path, "xlsx", COLUMNS, ROWS)
    assert count == 3
    ws = sheet(out)
    assert [c.value for c in ws[1]] == ["SKU", "Name", "Price", "Qty", "Day"]  # readable labels
    assert ws["A2"].value == "A1"
    assert ws["C2"].value == 2.5
    assert ws["C2"].data_type == "n"
    assert ws["D2"].value == 3
    assert ws["E2"].value == datetime(2026, 1, 31)
    assert ws["E2"].is_date
    assert ws["D3"].value is None
    assert ws["C4"].value == pytest.approx(3.1)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('=HYPERLINK("http://evil.example")', id="formula"),
        pytest.param("=1+1", id="arithmetic"),
        pytest.param("#N/A", id="error code"),
        pytest.param("+1", id="plus"),
        pytest.param("", id="empty string"),
    ],
)
def test_text_stays_text(tmp_path: Path, text: str) -> None:
    out, _ = render(tmp_path, "xlsx", ["value"], [(text,)])
    cell = sheet(out)["A2"]
    if text:
        assert cell.data_type == "s"
        assert cell.value == text
    else:
        assert cell.value is None


def test_header_is_bold_frozen_and_filtered(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "xlsx", COLUMNS, ROWS)
    ws = sheet(out)
    assert all(cell.font.b for cell in ws[1])
    assert not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E4"


def test_widths_follow_the_first_rows(tmp_path: Path) -> None:
    rows = [("x" * 30, "y" * 500, 1)]
    out, _ = render(tmp_path, "xlsx", ["a", "b", "c"], rows)
    ws = sheet(out)
    # Excel stores widths in its own units: xlsxwriter adds the cell padding (about 0.71)
    assert ws.column_dimensions["A"].width == pytest.approx(32, abs=1)
    assert ws.column_dimensions["B"].width == pytest.approx(60, abs=1)  # capped
    assert ws.column_dimensions["C"].width == pytest.approx(5, abs=1)  # header and filter button


@pytest.mark.parametrize(
    ("options", "title"),
    [
        pytest.param(None, "products", id="dataset name"),
        pytest.param(XlsxOptions(sheet="Stock: 2026/11"), "Stock_ 2026_11", id="cleaned"),
    ],
)
def test_sheet_title(tmp_path: Path, options: XlsxOptions | None, title: str) -> None:
    out, _ = render(tmp_path, "xlsx", ["a"], [(1,)], options)
    assert sheet(out).title == title


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param(
            datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
            datetime(2026, 11, 23, 9, 0),
            id="aware datetime in the run's zone",
        ),
        pytest.param(12345678901234567, "12345678901234567", id="big int as text"),
        pytest.param(float("nan"), None, id="nan is empty"),
        pytest.param("bell\x07 tab\t", "bell tab\t", id="control characters dropped"),
        pytest.param("\x07", None, id="only control characters"),
        pytest.param(Decimal("NaN"), None, id="decimal nan is empty"),
        pytest.param(float("-inf"), None, id="infinity is empty"),
        pytest.param(-(10**15) + 1, -(10**15) + 1, id="biggest exact int"),
        pytest.param(True, True, id="boolean"),
    ],
)
def test_awkward_values(tmp_path: Path, value: Any, stored: Any) -> None:
    out, _ = render(tmp_path, "xlsx", ["v"], [(value,)])
    assert sheet(out)["A2"].value == stored


def test_empty_report_has_a_header(tmp_path: Path) -> None:
    out, count = render(tmp_path, "xlsx", COLUMNS, [])
    ws = sheet(out)
    assert count == 0
    assert ws.max_row == 1
    assert ws.auto_filter.ref == "A1:E1"


def test_more_rows_than_the_width_sample(tmp_path: Path) -> None:
    rows = ((f"SKU-{i:04}", i) for i in range(250))
    out, count = render(tmp_path, "xlsx", ["sku", "n"], rows)
    ws = sheet(out)
    assert count == 250
    assert ws["A251"].value == "SKU-0249"
    assert ws["B251"].value == 249


def test_number_and_date_formats(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    rows = [("A1", 2.5, 3, date(2026, 1, 31), moment), ("B2", 10.125, 123456789012, None, None)]
    out, _ = render(tmp_path, "xlsx", ["sku", "price", "qty", "day", "at"], rows)
    ws = sheet(out)
    assert ws["B2"].number_format == "#,##0.000"  # the most decimals in the column's first rows
    assert ws["B3"].number_format == "#,##0.000"
    assert ws["C2"].number_format == "General"
    assert ws["C3"].number_format == "0"  # 12 digits: General would show 1.23457E+11
    assert ws["D2"].number_format == "yyyy-mm-dd"
    assert ws["E2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws["E2"].value == datetime(2026, 11, 23, 9, 30)  # New York time
    assert [ws.cell(2, c).data_type for c in range(1, 6)] == ["s", "n", "n", "d", "d"]


def test_whole_floats_keep_the_general_format(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "xlsx", ["n"], [(2.0,), (3.0,)])
    assert sheet(out)["A2"].number_format == "General"


def test_dates_before_march_1900(tmp_path: Path) -> None:
    """Excel counts a 29 February 1900 that never was; days before it are one serial lower."""
    rows = [(date(1900, 1, 1), datetime(1900, 2, 28, 12)), (date(1900, 3, 1), datetime(2000, 1, 1))]
    out, _ = render(tmp_path, "xlsx", ["day", "at"], rows)
    ws = sheet(out)
    assert ws["A2"].value == datetime(1900, 1, 1)
    assert ws["B2"].value == datetime(1900, 2, 28, 12)
    assert ws["A3"].value == datetime(1900, 3, 1)
    assert ws["B3"].value == datetime(2000, 1, 1)


def test_document_properties(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "xlsx", ["a"], [(1,)], title="Products for acme")
    props = openpyxl.load_workbook(out).properties
    assert props.title == "Products for acme"
    assert not props.creator  # no company in gitcron.yaml: no author, rather than a program
    assert props.subject == "Products for acme"
    assert props.created == datetime(2026, 11, 23, 14, 0)  # no first attempt known: the fire, UTC


def test_properties_name_the_company_and_when_the_first_attempt_made_it(tmp_path: Path) -> None:
    made = datetime(2026, 11, 23, 14, 7, 12, tzinfo=UTC)
    spec = RenderSpec("products", "Products", None, author="Our Co", subject="Weekly products")
    out = tmp_path / "out.xlsx"
    write_xlsx(
        ["unit_price"],
        [(2.5,)],
        out,
        spec,
        job_ctx(tmp_path, run=replace(job_run(), generated=made)),
    )
    book = openpyxl.load_workbook(out)
    assert book.properties.creator == "Our Co"
    assert book.properties.subject == "Weekly products"
    assert book.properties.created == datetime(2026, 11, 23, 14, 7, 12)
    assert book.worksheets[0]["A1"].value == "Unit price"


def test_same_input_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = render(tmp_path / "a", "xlsx", COLUMNS, ROWS)
    again, _ = render(tmp_path / "b", "xlsx", COLUMNS, ROWS)
    assert first.read_bytes() == again.read_bytes()  # a retry sends the same file


def test_subclasses_and_other_types(tmp_path: Path) -> None:
    class Code(str):
        pass

    class Count(int):
        pass

    out, _ = render(tmp_path, "xlsx", ["a", "b", "c"], [(Code("=1"), Count(4), Path("x.txt"))])
    ws = sheet(out)
    assert (ws["A2"].value, ws["A2"].data_type) == ("=1", "s")
    assert (ws["B2"].value, ws["B2"].data_type) == (4, "n")
    assert ws["C2"].value == "x.txt"


def test_more_rows_than_excel_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    with pytest.raises(JobError, match="more than 3 rows") as caught:
        render(tmp_path, "xlsx", ["n"], [(i,) for i in range(4)])
    assert caught.value.permanent
    assert "format: csv" in (caught.value.hint or "")
