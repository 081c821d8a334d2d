"""`sample: products`: the bundled product catalogue, so a fresh fork sends real-looking files."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.core.run import RunScope
from gitcron.datasets.base import Row, Rows
from gitcron.datasets.values import csv_header, csv_rows

SAMPLES = {"products": "products.csv"}


def open_sample(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: RunScope) -> Rows:
    """The sample's rows, only those of `params["category"]` when it is given."""
    assert spec.sample is not None
    file = SAMPLES[spec.sample]
    handle = resources.files("gitcron.samples").joinpath(file).open("r", encoding="utf-8")
    try:
        columns = csv_header(handle, f"sample {file}")
    except BaseException:
        handle.close()
        raise
    rows = csv_rows(handle, len(columns), f"sample {file}")
    category = params.get("category")
    if category is not None and "category" in columns:
        rows = _in_category(rows, columns.index("category"), str(category))
    return Rows(columns, rows, handle.close)


def _in_category(rows: Iterator[Row], index: int, category: str) -> Iterator[Row]:
    wanted = category.strip().casefold()
    return (row for row in rows if str(row[index]).casefold() == wanted)
