"""Sample rows for validate's rehearsal: the bundled sample or the committed file, else rows made
from the declared columns; never a query."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gitcron.config.settings import Dataset
from gitcron.datasets.samples import sample_rows

PRICES = [{"name": "sku"}, {"name": "unit_price", "type": "number"}]


def test_the_bundled_sample_gives_its_first_rows() -> None:
    columns, rows = sample_rows(Dataset(sample="products"))
    assert columns[:3] == ("sku", "name", "category")
    assert len(rows) == 5
    assert rows[0][0] == "SKU-0001"


def test_a_committed_file_gives_its_first_rows_under_the_declared_names(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/prices.csv").write_text("sku,unit_price\nA,1.5\nB,2\n", encoding="utf-8")
    spec = Dataset.model_validate({"file": "data/prices.csv", "columns": PRICES})
    assert sample_rows(spec, tmp_path) == (("sku", "unit_price"), (("A", 1.5), ("B", 2)))


def test_a_query_is_never_run_its_declared_columns_make_a_row() -> None:
    query = {"sql": "SELECT * FROM orders", "database": "ORDERS_DB_URL"}
    spec = Dataset.model_validate({**query, "columns": [*PRICES, {"name": "on", "type": "date"}]})
    assert sample_rows(spec) == (("sku", "unit_price", "on"), (("text", 1.5, date(2026, 1, 31)),))
    assert sample_rows(Dataset.model_validate(query)) == ((), ())


def test_a_file_that_cannot_be_read_falls_back_to_the_declared_columns(tmp_path: Path) -> None:
    spec = Dataset.model_validate({"file": "data/missing.csv", "columns": PRICES})
    assert sample_rows(spec, tmp_path) == (("sku", "unit_price"), (("text", 1.5),))
