"""`sample: products`: the bundled catalogue, typed, filtered by category."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gitcron.datasets.registry import open_dataset
from jobs.helpers import job_ctx, settings

COLUMNS = (
    "sku",
    "name",
    "category",
    "unit_price",
    "currency",
    "in_stock",
    "warehouse",
    "updated_on",
)


def test_products_are_typed(tmp_path: Path) -> None:
    spec = settings().datasets["products"]
    with open_dataset("products", spec, {}, job_ctx(tmp_path)) as rows:
        assert rows.columns == COLUMNS
        data = list(rows)
    assert len(data) == 100
    first = data[0]
    assert first[0] == "SKU-0001"
    assert first[1] == "Sparkling Water, 1 l"
    assert isinstance(first[3], float)
    assert isinstance(first[5], int)
    assert isinstance(first[7], date)


def test_category_filter_ignores_case_and_spaces(tmp_path: Path) -> None:
    spec = settings().datasets["products"]
    with open_dataset("products", spec, {"category": " bakery "}, job_ctx(tmp_path)) as rows:
        data = list(rows)
    assert data
    assert {row[2] for row in data} == {"Bakery"}


def test_unknown_category_gives_no_rows(tmp_path: Path) -> None:
    spec = settings().datasets["products"]
    with open_dataset("products", spec, {"category": "Spaceships"}, job_ctx(tmp_path)) as rows:
        assert rows.columns == COLUMNS
        assert list(rows) == []


def test_no_category_param_means_all_rows(tmp_path: Path) -> None:
    spec = settings().datasets["products"]
    with open_dataset("products", spec, {"category": None}, job_ctx(tmp_path)) as rows:
        assert sum(1 for _ in rows) == 100
