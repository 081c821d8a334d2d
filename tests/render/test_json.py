"""JSON: an array of objects or JSON Lines, numbers as numbers, never NaN."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from gitcron.config.job import JsonOptions

from .helpers import render

ROWS = [("A1", 2.5, date(2026, 1, 31), None), ("B2", float("inf"), date(2026, 2, 1), True)]
COLUMNS = ["sku", "price", "day", "flag"]
OBJECTS = [
    {"sku": "A1", "price": 2.5, "day": "2026-01-31", "flag": None},
    {"sku": "B2", "price": None, "day": "2026-02-01", "flag": True},
]


def test_array_round_trip(tmp_path: Path) -> None:
    out, count = render(tmp_path, "json", COLUMNS, ROWS)
    assert count == 2
    assert json.loads(out.read_text(encoding="utf-8")) == OBJECTS


def test_lines_round_trip(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "json", COLUMNS, ROWS, JsonOptions(lines=True))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == OBJECTS


@pytest.mark.parametrize(
    ("options", "text"),
    [
        pytest.param(None, "[]\n", id="array"),
        pytest.param(JsonOptions(lines=True), "", id="lines"),
    ],
)
def test_empty(tmp_path: Path, options: JsonOptions | None, text: str) -> None:
    out, count = render(tmp_path, "json", COLUMNS, [], options)
    assert count == 0
    assert out.read_text() == text


def test_unicode_is_written_as_is(tmp_path: Path) -> None:
    out, _ = render(tmp_path, "json", ["name"], [("Crème brûlée 東京",)])
    assert "Crème brûlée 東京" in out.read_text(encoding="utf-8")
