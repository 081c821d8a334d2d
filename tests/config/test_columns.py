"""`columns:` of a dataset in gitcron.yaml: names and types now, one mapping per column, and the
one-source rule of datasets, in the model and in the published schema alike."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from gitcron.config.columns import template_columns
from gitcron.config.settings import Dataset, Settings
from support import REPO

SCHEMA = json.loads((REPO / "schema/settings.schema.json").read_text(encoding="utf-8"))


def schema_accepts(datasets: dict[str, Any]) -> bool:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return validator.is_valid({"datasets": datasets})


def test_columns_have_a_name_and_a_type_text_by_default() -> None:
    spec = Dataset.model_validate(
        {
            "sample": "products",
            "columns": [{"name": "sku"}, {"name": "unit_price", "type": "number"}],
        }
    )
    assert template_columns(spec.columns) == {
        "sku": {"name": "sku", "type": "text"},
        "unit_price": {"name": "unit_price", "type": "number"},
    }


@pytest.mark.parametrize(
    ("columns", "words"),
    [
        pytest.param(
            [{"name": "sku"}, {"name": "sku"}], "the column 'sku' is declared twice", id="twice"
        ),
        pytest.param([{"name": "unit price"}], "should match pattern", id="space"),
        pytest.param([{"name": "sku", "type": "money"}], "'text', 'integer'", id="unknown-type"),
        pytest.param([{"name": "sku", "label": "SKU"}], "Extra inputs", id="not-yet"),
    ],
)
def test_bad_columns_are_refused(columns: list[dict[str, Any]], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Settings.model_validate({"datasets": {"d": {"sample": "products", "columns": columns}}})


def test_the_schema_says_columns_as_the_model_does() -> None:
    assert schema_accepts({"d": {"sample": "products", "columns": [{"name": "sku"}]}})
    assert not schema_accepts({"d": {"sample": "products", "columns": [{"name": "a b"}]}})
    assert not schema_accepts({"d": {"sample": "products", "columns": [{"type": "text"}]}})


def test_the_schema_says_a_dataset_has_exactly_one_source() -> None:
    assert schema_accepts({"d": {"file": "data/x.csv"}})
    assert not schema_accepts({"d": {"file": "data/x.csv", "sample": "products"}})
    assert not schema_accepts({"d": {"description": "no source"}})
    for model in ({"file": "data/x.csv", "sample": "products"}, {"description": "no source"}):
        with pytest.raises(ValidationError, match="a dataset has one source"):
            Dataset.model_validate(model)
