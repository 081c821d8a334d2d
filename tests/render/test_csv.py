"""CSV: RFC 4180 round trip, formula injection neutralised, BOM and delimiter options."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from gitcron.config.schedule import CsvOptions

from .helpers import render


def parsed(path: Path, delimiter: str = ",") -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_round_trip_with_quotes_commas_and_newlines(tmp_path: Path) -> None:
    rows = [("A1", 'Say "hi", twice', 2.5, 3), ("B2", "two\nlines", None, True)]
    out, count = render(tmp_path, "csv", ["sku", "name", "price", "qty"], rows)
    assert count == 2
    assert out.read_bytes().startswith(b"sku,name,price,qty\r\n")
    assert parsed(out) == [
        ["sku", "name", "price", "qty"],
        ["A1", 'Say "hi", twice', "2.5", "3"],
        ["B2", "two\nlines", "", "true"],
    ]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        pytest.param("=SUM(A1:A2)", "'=SUM(A1:A2)", id="equals"),
        pytest.param("+1+2", "'+1+2", id="plus"),
        pytest.param("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0", id="minus dde"),
        pytest.param("@SUM(1)", "'@SUM(1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("\r=1", "'\r=1", id="carriage return"),
        pytest.param("\n=1", "'\n=1", id="line feed"),
        pytest.param("a=b", "a=b", id="equals inside"),
        pytest.param(-5, "-5", id="negative int stays a number"),
        pytest.param(-2.5, "-2.5", id="negative float stays a number"),
        pytest.param("", "", id="empty"),
    ],
)
def test_formula_injection(tmp_path: Path, cell: Any, written: str) -> None:
    out, _ = render(tmp_path, "csv", ["value"], [(cell,)])
    assert parsed(out)[1] == [written]


def test_header_is_neutralised_too(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["=cmd"], [])
    assert parsed(out) == [["'=cmd"]]


def test_bom_and_delimiter(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["a", "b"], [("x;y", 1)], CsvOptions(delimiter=";", bom=True))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfa;b\r\n")
    assert parsed(out, ";")[0] == ["\ufeffa", "b"]
    assert data.endswith(b'"x;y";1\r\n')


def test_no_bom_by_default(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "csv", ["a"], [("é",)])
    assert out.read_bytes() == "a\r\né\r\n".encode()


def test_dates_and_times(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    out, _ = render(tmp_path, "csv", ["day", "at"], [(date(2026, 1, 31), moment)])
    assert parsed(out)[1] == ["2026-01-31", "2026-11-23T09:00:00-05:00"]  # the run's zone
