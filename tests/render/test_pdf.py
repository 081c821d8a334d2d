"""PDF: title and interval, a header on every page, page N of M, landscape for wide tables.

Text is read back with poppler's pdftotext when it is installed; the structure (pages, page size)
is read from the file itself, so those checks run everywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gitcron.config.job import PdfOptions
from gitcron.jobs.base import JobError
from gitcron.render.base import RenderSpec
from gitcron.render.pdf import write_pdf
from jobs.helpers import job_ctx
from jobs.helpers import run_info as job_run

from .helpers import render

COLUMNS = ["sku", "name", "price", "qty", "day"]
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler not installed")


def rows(count: int) -> list[tuple[object, ...]]:
    return [(f"SKU-{i:04}", f"Item {i}", 2.5 + i, i, date(2026, 1, 1)) for i in range(count)]


def pages(path: Path) -> list[tuple[float, float]]:
    """Each page's (width, height), from the page objects' MediaBox."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert len(boxes) == len(re.findall(rb"/Type /Page\b", data))
    return [(float(w), float(h)) for w, h in boxes]


def text(path: Path) -> list[str]:
    """The text of each page, laid out as on paper."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout.split("\f")[:-1]


def test_few_columns_fit_portrait_on_one_page(tmp_path: Path) -> None:
    out, count = render(tmp_path, "pdf", COLUMNS, rows(10))
    assert count == 10
    assert pages(out) == [(595.2756, 841.8898)]


def test_many_rows_make_pages_of_one_table_each(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "pdf", COLUMNS, rows(120))
    assert len(pages(out)) == 3  # 50 rows a page on A4 portrait


def test_many_columns_turn_the_page(tmp_path: Path) -> None:
    columns = [f"c{i}" for i in range(8)]
    out, _ = render(tmp_path, "pdf", columns, [tuple(range(8))])
    assert pages(out) == [(841.8898, 595.2756)]


@pytest.mark.parametrize(
    ("orientation", "size"),
    [
        pytest.param("landscape", (841.8898, 595.2756), id="landscape"),
        pytest.param("portrait", (595.2756, 841.8898), id="portrait"),
    ],
)
def test_orientation_option(tmp_path: Path, orientation: str, size: tuple[float, float]) -> None:
    columns = [f"c{i}" for i in range(8)]
    options = PdfOptions(orientation=orientation)  # type: ignore[arg-type]
    out, _ = render(tmp_path, "pdf", columns, [tuple(range(8))], options)
    assert pages(out) == [size]


def test_row_limit_suggests_another_format(tmp_path: Path) -> None:
    with pytest.raises(JobError, match="more than 20 rows") as caught:
        render(tmp_path, "pdf", COLUMNS, rows(21), PdfOptions(max_rows=20))
    assert caught.value.permanent
    assert "xlsx or csv" in (caught.value.hint or "")
    _, count = render(tmp_path, "pdf", COLUMNS, rows(20), PdfOptions(max_rows=20))
    assert count == 20


def test_same_input_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = render(tmp_path / "a", "pdf", COLUMNS, rows(3))
    again, _ = render(tmp_path / "b", "pdf", COLUMNS, rows(3))
    assert first.read_bytes() == again.read_bytes()  # a retry sends the same file


@needs_pdftotext
def test_every_page_has_title_interval_header_and_number(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "pdf", COLUMNS, rows(120), interval=True)
    texts = text(out)
    assert len(texts) == 3
    for number, page in enumerate(texts, start=1):
        assert "Products for acme" in page
        # the run's interval in New York time: 14:00 UTC is 09:00 EST
        assert "Data from 2026-11-16 09:00 to 2026-11-23 09:00 (America/New_York)" in page
        assert "generated 2026-11-23 09:00 EST" in page
        assert re.search(r"SKU\s+Name\s+Price\s+Qty\s+Day", page)  # readable labels
        assert f"page {number} of 3" in page
        assert "120 rows" in page
    assert "SKU-0000" in texts[0]
    assert "SKU-0050" in texts[1]
    assert "SKU-0119" in texts[2]


@needs_pdftotext
def test_floats_line_up(tmp_path: Path) -> None:
    data = [("A", "bread", 2.5, 1, None), ("B", "short", 1234.25, 2, None)]
    out, _ = render(tmp_path, "pdf", COLUMNS, data)
    lines = text(out)[0].splitlines()
    first = next(line for line in lines if " 2.50" in line)
    second = next(line for line in lines if "1,234.25" in line)
    assert first.index("2.50") + 4 == second.index("1,234.25") + 8  # right-aligned, same places


@needs_pdftotext
def test_long_text_is_wrapped_not_cut(tmp_path: Path) -> None:
    words = " ".join(f"word{i:03}" for i in range(30))
    data = [("A", words, 2.5, 1, None), ("B", "x" * 3000, 1.0, 2, None)]
    out, _ = render(tmp_path, "pdf", COLUMNS, data)
    page = text(out)[0]
    shown = re.findall(r"word\d{3}", page)
    assert shown == [f"word{i:03}" for i in range(30)]  # every word, in order, on many lines
    assert len([line for line in page.splitlines() if "word" in line]) > 2
    assert "…" in page  # only a cell longer than MAX_LINES lines is cut, and says so


@needs_pdftotext
def test_datetimes_in_the_run_s_zone(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    out, _ = render(tmp_path, "pdf", ["at", "flag", "gone"], [(moment, True, float("nan"))])
    assert re.search(r"2026-11-23 09:30\s+true", text(out)[0])


def test_row_heights_fill_pages(tmp_path: Path) -> None:
    """Tall wrapped rows take more room, so the same rows need more pages."""
    tall = [(f"SKU-{i}", "long words " * 60, 1.0, i, None) for i in range(120)]
    out, _ = render(tmp_path, "pdf", COLUMNS, tall)
    assert len(pages(out)) > 3


@needs_pdftotext
def test_empty_report_says_so(tmp_path: Path) -> None:
    out, count = render(tmp_path, "pdf", COLUMNS, [])
    assert count == 0
    page = text(out)[0]
    assert "No rows for this period." in page
    assert "page 1 of 1" in page


@needs_pdftotext
def test_no_interval_line_when_the_dataset_ignores_the_interval(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "pdf", ["unit_price"], [(2.5,)])
    page = text(out)[0]
    assert "Data from" not in page
    assert "Generated 2026-11-23 09:00 EST" in page
    assert "Unit price" in page
    assert "acme/weekly-products" not in page  # ids travel in metadata, never on the page


def test_metadata_title_author_subject_and_creation_date(tmp_path: Path) -> None:
    made = datetime(2026, 11, 23, 14, 7, 12, tzinfo=UTC)
    spec = RenderSpec("products", "Products", None, author="Our Co", subject="Weekly products")
    out = tmp_path / "out.pdf"
    write_pdf(["a"], [(1,)], out, spec, job_ctx(tmp_path, run=replace(job_run(), generated=made)))
    data = out.read_bytes()
    assert b"/Author (Our Co)" in data
    assert b"/Title (Products)" in data
    assert b"/Subject (Weekly products)" in data
    assert b"/CreationDate (D:20261123140712+00'00')" in data
    assert b"2000" not in data.split(b"/CreationDate", 1)[1][:30]
