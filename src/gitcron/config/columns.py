"""`columns:` of a dataset in gitcron.yaml: what each column is called and holds.

Declared once by engineers, the columns are what templates may name (`columns.unit_price`) and
what validate rehearses a delivery with, since a pull request (from a fork, say) has no database
secrets to run the query with. Each column is one mapping, so what a customer's file shows of it
(a label, a number format, a width) is added beside `name` and `type`, in this one model.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from gitcron.config.base import Strict, about
from gitcron.config.fields import bad

ColumnType = Literal["text", "integer", "number", "date", "datetime", "boolean"]

# A value of each type, as a sample row holds it when no data can be read (sql:, http:).
SAMPLE_VALUES: dict[str, Any] = {
    "text": "text",
    "integer": 1,
    "number": 1.5,
    "date": date(2026, 1, 31),
    "datetime": datetime(2026, 1, 31, 9, 30),
    "boolean": True,
}


class Column(Strict):
    name: Annotated[
        str,
        Field(min_length=1, max_length=100, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$"),
        about("the column's name as the data has it (letters, digits, '_')", "unit_price"),
    ]
    type: Annotated[
        ColumnType,
        about("what it holds: text, integer, number, date, datetime or boolean", "number"),
    ] = "text"


def _unique(columns: list[Column]) -> list[Column]:
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            raise bad(f"the column '{column.name}' is declared twice", "keep one of them")
        seen.add(column.name)
    return columns


ColumnList = Annotated[list[Column], AfterValidator(_unique)]


def template_columns(columns: list[Column] | None) -> dict[str, dict[str, Any]]:
    """`columns` in templates: each declared column by name, with all it declares."""
    return {column.name: column.model_dump() for column in columns or ()}
