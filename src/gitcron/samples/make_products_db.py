"""Rebuild `products.sqlite` from `products.csv`: `python -m gitcron.samples.make_products_db`.

The database is the default of `sql:` datasets without `database:`, so a fresh fork can try a
query at once. Columns get real SQLite types; dates are `YYYY-MM-DD` text, SQLite's date form.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
COLUMNS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "sku": ("TEXT PRIMARY KEY", str),
    "name": ("TEXT NOT NULL", str),
    "category": ("TEXT NOT NULL", str),
    "unit_price": ("REAL NOT NULL", float),
    "currency": ("TEXT NOT NULL", str),
    "in_stock": ("INTEGER NOT NULL", int),
    "warehouse": ("TEXT NOT NULL", str),
    "updated_on": ("DATE NOT NULL", str),
}


def rows(csv_path: Path) -> Iterator[tuple[Any, ...]]:
    """The CSV's records, each cell converted to its column's type."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != tuple(COLUMNS):
            raise SystemExit(f"{csv_path}: the columns are not {', '.join(COLUMNS)}")
        for record in reader:
            yield tuple(convert(record[column]) for column, (_, convert) in COLUMNS.items())


def build(csv_path: Path, db_path: Path) -> None:
    """Write the database next to its final place, then move it there in one step."""
    partial = db_path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    declared = ", ".join(f"{column} {kind}" for column, (kind, _) in COLUMNS.items())
    marks = ", ".join("?" for _ in COLUMNS)
    connection = sqlite3.connect(partial)
    try:
        with connection:
            connection.execute(f"CREATE TABLE products ({declared})")
            connection.execute("CREATE INDEX products_category ON products (category)")
            connection.executemany(f"INSERT INTO products VALUES ({marks})", rows(csv_path))
        connection.execute("VACUUM")
    finally:
        connection.close()
    os.replace(partial, db_path)


def main(argv: list[str]) -> int:
    """Build from the CSV beside this file, or from and to the paths given."""
    csv_path = Path(argv[0]) if argv else HERE / "products.csv"
    db_path = Path(argv[1]) if len(argv) > 1 else HERE / "products.sqlite"
    build(csv_path, db_path)
    print(f"wrote {db_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
