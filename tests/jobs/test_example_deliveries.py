"""The example repository's deliveries, opened as their customers would open them.

Two ticks run on a copy of the repo (the README's main command): every email lands in the outbox
as the .eml that would have been sent. Each is parsed; its attachment is opened with what a
customer uses (openpyxl for xlsx, the csv module, poppler for the PDF: rendered to a PNG as a
viewer shows it, and its text and properties read). None shows an internal id, every time is
true, and every column has a readable header.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import openpyxl
import pytest

from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from support import utc

TICK = utc("2026-12-07T14:07:00Z")  # the README's second tick; the first one is at 05:52
INTERNAL = re.compile(r"customer-00\d|@20\d\d-|gitcron")  # folder ids, run ids, our tool
HEADERS = [  # labels declared in gitcron.yaml, readable names for the rest
    "SKU",
    "Product",
    "Category",
    "Unit price",
    "Currency",
    "In stock",
    "Warehouse",
    "Last updated",
]
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="poppler-utils is not installed (.ci/run installs it)",
)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EmailMessage]:
    """The customer folder → the message it was sent, from the example repo's two ticks."""
    root = tmp_path_factory.mktemp("example")
    repo = Path(__file__).resolve().parents[2]
    shutil.copy(repo / "gitcron.yaml", root / "gitcron.yaml")
    shutil.copytree(repo / "schedules", root / "schedules")
    options = TickOptions(sleep=lambda _: None)
    run_tick(root, utc("2026-12-07T05:52:00Z"), options)
    records = run_tick(root, TICK, options).records
    assert {r.status for r in records if r.status != "missed"} == {"succeeded"}
    found = {}
    for path in sorted((root / "outbox").rglob("*.eml")):
        if path.relative_to(root / "outbox").parts[0].startswith("_"):
            continue  # a notice to an owner (missed fires), not a delivery
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        found[path.parent.name] = message
    assert sorted(found) == ["customer-001", "customer-002", "customer-003", "customer-004"]
    return found


def attachment(message: EmailMessage) -> tuple[str, bytes]:
    [part] = list(message.iter_attachments())
    name = part.get_filename()
    data = part.get_payload(decode=True)
    assert isinstance(name, str)
    assert isinstance(data, bytes)
    return name, data


def test_what_the_customer_reads_shows_no_internal_id(delivered: dict[str, EmailMessage]) -> None:
    for folder, message in delivered.items():
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        name, _ = attachment(message)
        for text in (message["Subject"], message["From"], body.get_content(), name):
            assert not INTERNAL.search(text), f"{folder}: {text!r}"
        assert message["X-Gitcron-Run"].startswith(f"{folder}/")  # the id travels in headers


def test_the_customer_file_names_and_signs_the_mail(delivered: dict[str, EmailMessage]) -> None:
    northwind, harbour = delivered["customer-001"], delivered["customer-004"]
    assert northwind["From"] == "Our Co Reports <reports@ourco.example>"
    assert northwind["Reply-To"] == "jane.doe@ourco.example"
    assert harbour["Subject"] == "Products for Harbour Supply Co, 7 December 2026"  # en-GB
    body = harbour.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().replace("\r\n", "\n").rstrip().endswith("Kind regards,\nOur Co")


def test_each_subject_reads_as_a_person_would_write_it(delivered: dict[str, EmailMessage]) -> None:
    subjects = {folder: message["Subject"] for folder, message in delivered.items()}
    assert subjects == {
        # the schedule's own template, its day in words as the customer's en-US writes it
        "customer-001": "Your products workbook for December 7, 2026",
        "customer-002": "Products for Brightwell & Sons, 7 December 2026",  # en-GB
        "customer-003": "Products for Sakura Foods, 2026年12月7日",  # ja-JP
        "customer-004": "Products for Harbour Supply Co, 7 December 2026",  # en-GB
    }
    body = delivered["customer-002"].get_body(preferencelist=("plain",))
    assert body is not None
    assert (
        body.get_content()
        .replace("\r\n", "\n")
        .startswith(
            "Hello,\n\nplease find attached Products for Brightwell & Sons, 7 December 2026:"
            " brightwell-products-2026-12-07.pdf (100 rows).\n"
        )
    )


def test_date_is_when_it_was_sent(delivered: dict[str, EmailMessage]) -> None:
    for folder, message in delivered.items():
        sent = parsedate_to_datetime(message["Date"])
        fire = datetime.fromisoformat(message["X-Gitcron-Run"].split("@")[1])
        assert sent != fire, folder
        assert TICK <= sent < TICK + timedelta(minutes=5), folder  # the tick's clock, not 10:00
    london = delivered["customer-002"]["Date"]
    assert london.startswith("Mon, 07 Dec 2026 14:0")
    assert london.endswith("+0000")  # in the customer's zone
    chicago = delivered["customer-003"]["Date"]
    assert chicago.startswith("Mon, 07 Dec 2026 08:0")
    assert chicago.endswith("-0600")


def test_the_workbook_has_readable_headers_and_true_properties(
    delivered: dict[str, EmailMessage],
) -> None:
    name, data = attachment(delivered["customer-001"])
    assert name == "northwind-products-2026-12-07.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["D2"].data_type == "n"  # a price is a number
    assert sheet["D2"].number_format == '"$"#,##0.00'  # {currency: USD}, as en-US writes it
    assert sheet["H2"].number_format == "[$-409]mmm d, yyyy"  # date: en-US's medium date
    assert sheet.column_dimensions["B"].width == pytest.approx(28, abs=1)  # declared width
    assert book.properties.title == "Products for Northwind Traders"
    assert book.properties.creator == "Our Co"
    created = book.properties.created
    assert created is not None
    assert TICK.replace(tzinfo=None) <= created < (TICK + timedelta(minutes=5)).replace(tzinfo=None)


def test_the_csv_has_readable_headers(delivered: dict[str, EmailMessage]) -> None:
    name, data = attachment(delivered["customer-003"])
    assert name == "sakura-bakery-stock-2026-12-07.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert {row[2] for row in rows[1:]} == {"Bakery"}


@needs_poppler
def test_the_pdf_as_a_viewer_shows_it(delivered: dict[str, EmailMessage], tmp_path: Path) -> None:
    name, data = attachment(delivered["customer-002"])
    assert name == "brightwell-products-2026-12-07.pdf"
    pdf = tmp_path / name
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=120)  # fmt: skip
    png = (tmp_path / "page-1.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 10_000  # a drawn page, not a blank one
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout  # fmt: skip
    first = text.split("\f")[0]
    assert "Products for Brightwell & Sons" in first
    assert re.search(r"Generated 2026-12-07 14:0\d GMT", first)  # when it was made, in London
    assert "Data from" not in text  # the catalogue does not depend on the run's interval
    assert re.search(r"SKU\s+Product\s+Category\s+Unit price", first)
    assert "US$2.27" in first  # {currency: USD} as en-GB writes it
    assert "19 Jun 2026" in first  # date: en-GB's medium date
    assert "100 rows · Our Co" in text
    assert not INTERNAL.search(text)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=120).stdout  # fmt: skip
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Title"].strip() == "Products for Brightwell & Sons"
    assert fields["Author"].strip() == "Our Co"
    created = datetime.strptime(fields["CreationDate"].strip(), "%a %b %d %H:%M:%S %Y %Z")
    assert TICK <= created.replace(tzinfo=UTC) < TICK + timedelta(minutes=5)
