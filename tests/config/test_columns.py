"""`columns:` of a dataset in gitcron.yaml: name, type, label, format and width, one mapping per
column, and the one-source rule of datasets, in the model and in the published schema alike; a
bad declaration is reported at its line and column with a fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from gitcron.catalog.load import load_settings
from gitcron.config.columns import Column, template_columns
from gitcron.config.currencies import CURRENCIES
from gitcron.config.problems import format_text
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
        "sku": {"name": "sku", "type": "text", "label": "SKU", "format": None, "width": None},
        "unit_price": {
            "name": "unit_price",
            "type": "number",
            "label": "Unit price",  # the header files show
            "format": None,
            "width": None,
        },
    }


@pytest.mark.parametrize(
    ("columns", "words"),
    [
        pytest.param(
            [{"name": "sku"}, {"name": "sku"}], "the column 'sku' is declared twice", id="twice"
        ),
        pytest.param([{"name": "unit price"}], "should match pattern", id="space"),
        pytest.param([{"name": "sku", "type": "money"}], "'text', 'integer'", id="unknown-type"),
        pytest.param([{"name": "sku", "colour": "red"}], "Extra inputs", id="unknown-key"),
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


@pytest.mark.parametrize(
    ("written", "kind", "places", "currency", "style"),
    [
        pytest.param("number", "number", None, None, None, id="number"),
        pytest.param({"number": 2}, "number", 2, None, None, id="number-2"),
        pytest.param({"currency": "EUR"}, "currency", None, "EUR", None, id="currency"),
        pytest.param("percent", "percent", None, None, None, id="percent"),
        pytest.param({"percent": 1}, "percent", 1, None, None, id="percent-1"),
        pytest.param("date", "date", None, None, None, id="date"),
        pytest.param({"date": "long"}, "date", None, None, "long", id="date-style"),
        pytest.param({"date": "d MMM y"}, "date", None, None, "d MMM y", id="date-pattern"),
        pytest.param(
            {"datetime": "d MMM y 'at' HH:mm"}, "datetime", None, None, "d MMM y 'at' HH:mm",
            id="datetime-quoted",
        ),
    ],
)  # fmt: skip
def test_the_format_vocabulary(
    written: Any, kind: str, places: int | None, currency: str | None, style: str | None
) -> None:
    column_type = "datetime" if kind in ("date", "datetime") else "number"
    column = Column.model_validate({"name": "c", "type": column_type, "format": written})
    assert column.format is not None
    assert (column.format.kind, column.format.places) == (kind, places)
    assert (column.format.currency, column.format.style) == (currency, style)
    assert schema_accepts({"d": {"sample": "products", "columns": [column_json(written)]}})


def column_json(written: Any) -> dict[str, Any]:
    return {"name": "c", "type": "number", "format": written}


def test_labels_and_widths_are_declared_beside_the_name() -> None:
    column = Column.model_validate({"name": "unit_price", "label": "Price", "width": 12})
    assert (column.label, column.width) == ("Price", 12)
    assert schema_accepts({"d": {"sample": "products", "columns": [{"name": "a", "width": 9}]}})
    assert not schema_accepts({"d": {"sample": "products", "columns": [{"name": "a", "width": 0}]}})


GOOD = "datasets:\n  d:\n    sample: products\n    columns:\n      - {name: sku}\n"


@pytest.mark.parametrize(
    ("line", "where", "message", "fix"),
    [
        pytest.param(
            "{name: p, type: number, format: {currency: euro}}",
            "{currency: euro}",
            "currency: 'euro' is not a currency code",
            "three-letter ISO 4217 code",
            id="currency-spelled",
        ),
        pytest.param(
            "{name: p, type: number, format: {currency: XYZ}}",
            "{currency: XYZ}",
            "currency: 'XYZ' is not a known ISO 4217 code",
            "EUR",
            id="currency-unknown",
        ),
        pytest.param(
            "{name: p, type: number, format: currency}",
            "currency}",
            "'currency' is not a column format",
            "{currency: EUR}",
            id="currency-without-code",
        ),
        pytest.param(
            "{name: p, type: number, format: {number: 12}}",
            "{number: 12}",
            "number: 12 is not a number of decimals",
            "0 to 10",
            id="too-many-places",
        ),
        pytest.param(
            "{name: p, type: number, format: money}",
            "money}",
            "'money' is not a column format",
            "{currency: EUR}",
            id="unknown-word",
        ),
        pytest.param(
            "{name: p, type: date, format: {date: 'd MMM y Q'}}",
            "{date:",
            "date: the pattern 'd MMM y Q' has Q, which a file cannot show",
            "y M L d E a H h m s",
            id="pattern-letter",
        ),
        pytest.param(
            "{name: p, format: {number: 2}}",
            "{name",
            "the column 'p' holds text, and a number format shows number or integer values",
            "declare its type: number",
            id="format-of-another-type",
        ),
        pytest.param(
            "{name: p, width: 300}",
            "300",
            "width",
            "255",
            id="too-wide",
        ),
    ],
)
def test_a_bad_declaration_is_reported_on_its_line(
    tmp_path: Path, line: str, where: str, message: str, fix: str
) -> None:
    """`where`: the text the error points at, on the column's line (line 6)."""
    (tmp_path / "gitcron.yaml").write_text(GOOD + f"      - {line}\n", encoding="utf-8")
    _, problems = load_settings(tmp_path)
    shown = format_text(problems[0])
    column = len("      - ") + line.index(where) + 1
    assert shown.startswith(f"gitcron.yaml:6:{column}: error: "), shown
    said, _, hint = shown.partition("\n    fix: ")
    assert message in said, shown
    assert fix in hint, shown


def test_every_currency_a_format_may_name_is_one_the_files_can_show() -> None:
    from babel.numbers import get_currency_precision, list_currencies

    assert "EUR" in CURRENCIES
    assert CURRENCIES.issubset(list_currencies())
    assert all(get_currency_precision(code) in range(5) for code in CURRENCIES)
