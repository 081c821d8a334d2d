"""Column headers people read: `unit_price` → `Unit price`, in every format, from one function.

A dataset's columns are named for programs (`unit_price`, `inStock`, `order-id`); a customer
opening the file should read words. `column_labels` is the one place a header is decided: the
`label` a column declares in gitcron.yaml, else the readable form of its name, for xlsx, pdf and
csv alike. `declared` pairs the data's columns with their declarations, for formats and widths.
"""

from __future__ import annotations

from collections.abc import Sequence

from gitcron.config.columns import Column
from gitcron.config.readable import readable
from gitcron.render.base import RenderSpec


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
