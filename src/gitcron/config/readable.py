"""A column's name in words for people: `unit_price` → `Unit price`, `order_id` → `Order ID`.

The header of an undeclared column in every file (`gitcron.render.labels`) and the `label` a
template sees for a column that declares none (`columns.unit_price.label`): one rule for both.
"""

from __future__ import annotations

import re

ACRONYMS = frozenset({"id", "sku", "url", "vat", "utc", "ean", "upc", "iso", "api", "csv", "pdf"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[_\-.\s]+")


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
