"""CSV: RFC 4180 round trip, formula injection neutralised, BOM and delimiter options."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gitcron.config.job import CsvOptions

from .helpers import render


def parsed(path: Path, delimiter: str = ",") -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_round_trip_with_quotes_commas_and_newlines(tmp_path: Path) -> None:
    rows = [("A1", 'Say "hi", twice', 2.5, 3), ("B2", "two\nlines", None, True)]
    out, count = render(tmp_path, "csv", ["sku", "name", "price", "qty"], rows)
    assert count == 2
    assert out.read_bytes().startswith(b"SKU,Name,Price,Qty\r\n")  # readable labels
    assert parsed(out) == [
        ["SKU", "Name", "Price", "Qty"],
        ["A1", 'Say "hi", twice', "2.5", "3"],
        ["B2", "two\nlines", "", "true"],
    ]


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        pytest.param("=SUM(A1:A2)", b'"\'=SUM(A1:A2)"', id="equals"),
        pytest.param("+1+2", b'"\'+1+2"', id="plus"),
        pytest.param("-2+3+cmd|' /C calc'!A0", b"\"'-2+3+cmd|' /C calc'!A0\"", id="minus dde"),
        pytest.param("-5", b'"\'-5"', id="negative number as text"),
        pytest.param("@SUM(1)", b'"\'@SUM(1)"', id="at"),
        pytest.param("\t=1", b'"\'\t=1"', id="tab"),
        pytest.param("\r=1", b'"\'\r=1"', id="carriage return"),
        pytest.param("\n=1", b'"\'\n=1"', id="line feed"),
        pytest.param('=HYPERLINK("x")', b'"\'=HYPERLINK(""x"")"', id="quotes doubled"),
        pytest.param("a=b", b'"a=b"', id="equals inside"),
        pytest.param(-5, b"-5", id="negative int stays a number"),
        pytest.param(-2.5, b"-2.5", id="negative float stays a number"),
        pytest.param(Decimal("-3.10"), b"-3.10", id="negative decimal stays a number"),
        pytest.param("", b'""', id="empty"),
    ],
)
def test_formula_injection(tmp_path: Path, cell: Any, field: bytes) -> None:
    """Prefix and quote (OWASP) for text that starts like a formula; numbers stay bare."""
    out, _ = render(tmp_path, "csv", ["value"], [(cell,)])
    assert out.read_bytes() == b"Value\r\n" + field + b"\r\n"
    assert parsed(out)[1] == [field.decode().strip('"').replace('""', '"')]


def test_header_is_neutralised_too(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["=cmd"], [])
    assert parsed(out) == [["'=cmd"]]


def test_bom_and_delimiter(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["a", "b"], [("x;y", 1)], CsvOptions(delimiter=";", bom=True))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfA;B\r\n")
    assert parsed(out, ";")[0] == ["\ufeffA", "B"]  # the BOM is for Excel, which skips it
    assert data.decode("utf-8-sig").splitlines() == ["A;B", '"x;y";1']


def test_no_bom_by_default(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["a"], [("é",)])
    assert out.read_bytes() == 'A\r\n"é"\r\n'.encode()


def test_dates_and_times(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    out, _ = render(tmp_path, "csv", ["day", "at"], [(date(2026, 1, 31), moment)])
    assert parsed(out)[1] == ["2026-01-31", "2026-11-23T09:00:00-05:00"]  # the run's zone


@pytest.mark.parametrize(
    ("value", "field"),
    [
        pytest.param(float("nan"), b'""', id="nan is empty"),
        pytest.param(float("inf"), b'""', id="infinity is empty"),
        pytest.param(Decimal("NaN"), b'""', id="decimal nan is empty"),
        pytest.param(None, b'""', id="none is empty"),
        pytest.param(True, b'"true"', id="boolean"),
        pytest.param(12345678901234567890, b"12345678901234567890", id="big int"),
        pytest.param(0.1, b"0.1", id="shortest float"),
        pytest.param(Path("=x"), b'"\'=x"', id="other types are neutralised text"),
    ],
)
def test_awkward_values(tmp_path: Path, value: Any, field: bytes) -> None:
    out, _ = render(tmp_path, "csv", ["v"], [(value,)])
    assert out.read_bytes() == b"V\r\n" + field + b"\r\n"


def test_subclasses_go_their_type_s_way(tmp_path: Path) -> None:
    class Code(str):
        pass

    class Flag(int):
        pass

    out, _ = render(tmp_path, "csv", ["a", "b"], [(Code("@x"), Flag(3))])
    assert out.read_bytes().endswith(b'"\'@x",3\r\n')


def test_many_rows_are_counted(tmp_path: Path) -> None:
    out, count = render(tmp_path, "csv", ["n"], ((i,) for i in range(1000)))
    assert count == 1000
    assert len(parsed(out)) == 1001


def test_headers_are_readable_labels(tmp_path: Path) -> None:
    columns = ["unit_price", "in_stock", "orderId", "sku", "Total due", "2026"]
    out, _ = render(tmp_path, "csv", columns, [])
    assert parsed(out) == [["Unit price", "In stock", "Order ID", "SKU", "Total due", "2026"]]


def test_header_names_keeps_the_dataset_s_names_for_programs(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["unit_price", "=x"], [], CsvOptions(header="names"))
    assert parsed(out) == [["unit_price", "'=x"]]


def test_columns_checked_a_batch_at_a_time_still_convert_every_odd_cell(tmp_path: Path) -> None:
    """Rows are converted a column at a time, many rows at once: a formula, a NaN, a bool or an
    aware instant anywhere in a column, and a ragged row, must still be caught where they are."""
    moment = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    rows: list[tuple[Any, ...]] = [
        (i, f"x{i}", 0.5, datetime(2026, 1, 1, 8, 0)) for i in range(5000)
    ]
    rows[10] = (10, "=cmd", float("nan"), moment)  # aware among naive: shown in the run's zone
    rows[2047] = (True, "+1", 1.5, datetime(2026, 1, 1, 8, 0))  # the last row of a batch
    rows[2048] = (7, "@x", float("inf"), moment)  # the first of the next
    rows[4999] = ("text in an int column", "-2", 2.5, None)
    out, count = render(tmp_path, "csv", ["n", "s", "f", "at"], [*rows, (1, "ragged")])
    assert count == 5001
    lines = parsed(out)
    assert lines[11] == ["10", "'=cmd", "", "2026-11-23T09:00:00-05:00"]
    assert lines[2048] == ["true", "'+1", "1.5", "2026-01-01T08:00:00"]
    assert lines[2049] == ["7", "'@x", "", "2026-11-23T09:00:00-05:00"]
    assert lines[5000] == ["text in an int column", "'-2", "2.5", ""]
    assert lines[5001] == ["1", "ragged"]
    assert lines[1] == ["0", "x0", "0.5", "2026-01-01T08:00:00"]
    assert out.read_bytes().count(b'"\'=cmd"') == 1
