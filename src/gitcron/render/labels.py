"""Column headers people read: `unit_price` → `Unit price`, in every format, from one function.

A dataset's columns are named for programs (`unit_price`, `inStock`, `order-id`); a customer
opening the file should read words. `column_labels` is the one place a header is decided: the
`label` a column declares in gitcron.yaml, else the readable form of its name, for xlsx, pdf and
csv alike. `declared` pairs the data's columns with their declarations, for formats and widths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gitcron.config.columns import Column
from gitcron.render.base import RenderSpec

ACRONYMS = frozenset({"id", "sku", "url", "vat", "utc", "ean", "upc", "iso", "api", "csv", "pdf"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[_\-.\s]+")


def column_labels(columns: Sequence[str], spec: RenderSpec) -> list[str]:
    """The header of each column, in order: its declared label, else a readable form of its name."""
    return [
        column.label if column is not None and column.label else readable(str(name))
        for name, column in zip(columns, declared(columns, spec), strict=True)
    ]


def declared(columns: Sequence[str], spec: RenderSpec) -> list[Column | None]:
    """Each of the data's columns' declaration in gitcron.yaml, by name; None where it has none
    (a column the data has that the dataset does not declare keeps the defaults)."""
    if not spec.columns:
        return [None] * len(columns)
    by_name = {column.name: column for column in spec.columns}
    return [by_name.get(str(name)) for name in columns]


def readable(name: str) -> str:
    """`unit_price` → `Unit price`, `inStock` → `In stock`, `order_id` → `Order ID`.

    A name already written for people (with a capital or a space and no `_`) is kept as is,
    and so is a name that has no letters."""
    if not any(c.isalpha() for c in name):
        return name
    if "_" not in name and "-" not in name and (" " in name or name[:1].isupper()):
        return name
    words = [w for w in _SEPARATORS.split(_CAMEL.sub(" ", name)) if w]
    if not words:
        return name
    shown = [w.upper() if w.lower() in ACRONYMS else w.lower() for w in words]
    first = shown[0]
    shown[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(shown)
