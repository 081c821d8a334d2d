"""`columns:` of a dataset in gitcron.yaml: what each column is called, holds and looks like.

Declared once by engineers, the columns are what templates may name (`columns.unit_price`) and
what validate rehearses a delivery with, since a pull request (from a fork, say) has no database
secrets to run the query with. Each column is one mapping, so what a customer's file shows of it
(its `label`, its `format`, its `width`) sits beside `name` and `type`, in this one model; the
renderers (`gitcron.render.formats`) turn a format into text and Excel number formats.

The format vocabulary, one word or a mapping of one key (docs/datasets.md has the full story):
`number` / `{number: 2}`, `{currency: EUR}`, `percent` / `{percent: 1}`, `date` / `{date: long}` /
`{date: "d MMM y"}`, `datetime` / `{datetime: short}` / `{datetime: "d MMM y HH:mm"}`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator

from gitcron.config.base import Strict, about
from gitcron.config.currencies import CURRENCIES
from gitcron.config.fields import bad
from gitcron.config.readable import readable
from gitcron.timing.words import listing

ColumnType = Literal["text", "integer", "number", "date", "datetime", "boolean"]
FormatKind = Literal["number", "currency", "percent", "date", "datetime"]

# A value of each type, as a sample row holds it when no data can be read (sql:, http:).
SAMPLE_VALUES: dict[str, Any] = {
    "text": "text",
    "integer": 1,
    "number": 1.5,
    "date": date(2026, 1, 31),
    "datetime": datetime(2026, 1, 31, 9, 30),
    "boolean": True,
}

KINDS: tuple[FormatKind, ...] = ("number", "currency", "percent", "date", "datetime")
STYLES = ("short", "medium", "long", "full")  # CLDR's named date styles
MAX_PLACES = 10
# The column types each format reads: a number format on a date column is a mistake.
FORMAT_TYPES: dict[str, tuple[str, ...]] = {
    "number": ("number", "integer"),
    "currency": ("number", "integer"),
    "percent": ("number", "integer"),
    "date": ("date", "datetime"),
    "datetime": ("datetime",),
}
# The letters of a CLDR date pattern a file may use: each has an Excel counterpart.
PATTERN_LETTERS = "yMLdEaHhms"
_QUOTED = re.compile(r"'[^']*'")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EXAMPLES = '`number`, `{number: 2}`, `{currency: EUR}`, `percent`, `date`, `{date: "d MMM y"}`'


class ColumnFormat(Strict):
    """A declared format, read from its short YAML form (`{currency: EUR}`) by `parse_format`."""

    kind: FormatKind
    places: int | None = None  # number, percent: digits after the point (None: as the data has)
    currency: str | None = None  # currency: its ISO 4217 code
    style: str | None = None  # date, datetime: short, medium, long, full or a CLDR pattern


def parse_format(value: Any) -> Any:
    """`percent`, `{number: 2}`, `{currency: EUR}`, `{date: "d MMM y"}` into a ColumnFormat."""
    if value is None or isinstance(value, ColumnFormat):
        return value
    if isinstance(value, str):
        if value not in KINDS or value == "currency":
            hint = "a currency names its ISO code: {currency: EUR}"
            raise bad(
                f"'{value}' is not a column format",
                hint if value == "currency" else f"use one of {_EXAMPLES}",
            )
        return ColumnFormat(kind=value)
    if not isinstance(value, dict) or len(value) != 1:
        raise bad("a column format is one word or a mapping of one key", f"use one of {_EXAMPLES}")
    ((kind, setting),) = value.items()
    if kind not in KINDS:
        raise bad(f"'{kind}' is not a column format", f"use one of {listing(KINDS, 'or')}")
    if kind in ("number", "percent"):
        return ColumnFormat(kind=kind, places=_places(kind, setting))
    if kind == "currency":
        return ColumnFormat(kind=kind, currency=_currency(setting))
    return ColumnFormat(kind=kind, style=_style(kind, setting))


def _places(kind: str, setting: Any) -> int:
    if type(setting) is not int or not 0 <= setting <= MAX_PLACES:
        raise bad(
            f"{kind}: {setting!r} is not a number of decimals",
            f"write the digits after the point, 0 to {MAX_PLACES}, e.g. {{{kind}: 2}}",
        )
    return setting


def _currency(setting: Any) -> str:
    if not isinstance(setting, str) or not _CURRENCY.match(setting):
        raise bad(
            f"currency: {setting!r} is not a currency code",
            "write its three-letter ISO 4217 code in capitals, e.g. {currency: EUR}",
        )
    if setting not in CURRENCIES:
        raise bad(f"currency: '{setting}' is not a known ISO 4217 code", "e.g. EUR, USD, GBP")
    return setting


def _style(kind: str, setting: Any) -> str:
    if not isinstance(setting, str) or not setting.strip():
        raise bad(
            f"{kind}: {setting!r} is neither a style nor a pattern",
            f'write {listing(STYLES, "or")}, or a pattern such as "d MMM y"',
        )
    if setting in STYLES:
        return setting
    letters = sorted({c for c in _QUOTED.sub("", setting) if c.isascii() and c.isalpha()})
    wrong = [c for c in letters if c not in PATTERN_LETTERS]
    if wrong:
        raise bad(
            f"{kind}: the pattern '{setting}' has {listing(wrong)}, which a file cannot show",
            f"use the letters {' '.join(PATTERN_LETTERS)} (CLDR: y year, M month, d day,"
            " E weekday, H or h hour, m minute, s second, a am/pm); quote text as 'at'",
        )
    if not letters:
        raise bad(f"{kind}: the pattern '{setting}' shows no part of a date", 'e.g. "d MMM y"')
    return setting


_FORMAT_KEYS: dict[str, dict[str, Any]] = {
    "number": {
        "type": "integer",
        "minimum": 0,
        "maximum": MAX_PLACES,
        "description": "a grouped number with this many decimals: {number: 2} shows 1,234.50",
    },
    "percent": {
        "type": "integer",
        "minimum": 0,
        "maximum": MAX_PLACES,
        "description": "a fraction as a percentage with this many decimals: 0.125 → 12.5%",
    },
    "currency": {
        "type": "string",
        "pattern": _CURRENCY.pattern,
        "description": "the ISO 4217 code: its symbol and decimals, placed as the locale does",
    },
    "date": {
        "type": "string",
        "minLength": 1,
        "description": "short, medium, long, full, or a CLDR pattern such as 'd MMM y'",
    },
    "datetime": {
        "type": "string",
        "minLength": 1,
        "description": "short, medium, long, full, or a CLDR pattern such as 'd MMM y HH:mm'",
    },
}
FORMAT_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "null"},
        {"enum": ["number", "percent", "date", "datetime"]},
        *(
            {
                "type": "object",
                "additionalProperties": False,
                "required": [kind],
                "properties": {kind: schema},
            }
            for kind, schema in _FORMAT_KEYS.items()
        ),
    ],
    "examples": [{"number": 2}, {"currency": "EUR"}, "percent", {"date": "d MMM y"}],
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
    label: Annotated[
        str | None,
        Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$"),
        about("the header a customer reads (default: the name in words, Unit price)", "Price"),
    ] = None
    format: Annotated[
        ColumnFormat | None,
        BeforeValidator(parse_format),
        WithJsonSchema(FORMAT_SCHEMA),
        about(
            "how values are shown in xlsx and pdf, in the customer's locale: number, {number: 2},"
            " {currency: EUR}, percent, date, {date: long}, {date: 'd MMM y'}, datetime",
            {"currency": "EUR"},
        ),
    ] = None
    width: Annotated[
        int | None,
        Field(ge=1, le=255),
        about("the column's width in characters (xlsx; its share of the page in pdf)", 12),
    ] = None

    @model_validator(mode="after")
    def _format_fits_type(self) -> Column:
        if self.format is not None and self.type not in FORMAT_TYPES[self.format.kind]:
            fits = FORMAT_TYPES[self.format.kind]
            raise bad(
                f"the column '{self.name}' holds {self.type}, and a {self.format.kind} format"
                f" shows {listing(fits, 'or')} values",
                f"declare its type: {fits[0]}, or drop the format",
            )
        return self


def _unique(columns: list[Column]) -> list[Column]:
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            raise bad(f"the column '{column.name}' is declared twice", "keep one of them")
        seen.add(column.name)
    return columns


ColumnList = Annotated[list[Column], AfterValidator(_unique)]


def template_columns(columns: list[Column] | None) -> dict[str, dict[str, Any]]:
    """`columns` in templates: each declared column by name, with all it declares; its `label`
    is the header files show (the name in words when it declares none)."""
    return {
        column.name: {**column.model_dump(), "label": column.label or readable(column.name)}
        for column in columns or ()
    }
