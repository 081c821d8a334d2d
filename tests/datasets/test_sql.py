"""`sql:` datasets on real SQLite files: bound params, run values, errors, streaming, the sample."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from gitcron.config.settings import Dataset
from gitcron.datasets.registry import open_dataset
from gitcron.jobs.base import JobError
from gitcron.samples import make_products_db
from jobs.helpers import FIRE, START, job_ctx

RUN = {"interval_start": START, "interval_end": FIRE, "fire": FIRE}
# START is 2026-11-16 14:00 UTC and FIRE 2026-11-23 14:00 UTC (see jobs/helpers.py)
ORDERS = [
    (1, "acme", 10.5, "2026-11-16 13:59:59"),  # before the interval
    (2, "acme", 20.0, "2026-11-16 14:00:00"),  # at its start: belongs to the previous run
    (3, "acme", 30.0, "2026-11-20 08:00:00"),
    (4, "globex", 40.0, "2026-11-21 09:30:00"),
    (5, "acme", 50.0, "2026-11-23 14:00:00"),  # at the fire: included
    (6, "acme", 60.0, "2026-11-23 14:00:01"),  # after the fire
]


def orders_db(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE orders (id INTEGER, customer TEXT, amount REAL, created_at TEXT)"
        )
        connection.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", ORDERS)
    connection.close()
    return path


def read(
    tmp_path: Path,
    sql: str,
    params: dict[str, Any] | None = None,
    database: str | None = "sqlite:///orders.db",
    env: dict[str, str] | None = None,
    declared: tuple[str, ...] = ("customer",),
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    if not (tmp_path / "orders.db").exists():
        orders_db(tmp_path / "orders.db")
    spec = Dataset.model_validate({"sql": sql, "database": database, "params": list(declared)})
    ctx = dataclasses.replace(job_ctx(tmp_path), env=env or {})
    with open_dataset("orders", spec, {**RUN, **(params or {})}, ctx) as rows:
        return rows.columns, list(rows)


def failure(tmp_path: Path, sql: str, **kwargs: Any) -> JobError:
    with pytest.raises(JobError) as caught:
        read(tmp_path, sql, **kwargs)
    return caught.value


def test_the_interval_selects_the_rows_of_this_run(tmp_path: Path) -> None:
    columns, rows = read(
        tmp_path,
        "SELECT id, amount FROM orders WHERE created_at > :interval_start"
        " AND created_at <= :interval_end AND customer = :customer ORDER BY id",
        {"customer": "acme"},
    )
    assert columns == ("id", "amount")
    assert rows == [(3, 30.0), (5, 50.0)]


def test_a_first_run_has_no_interval_start(tmp_path: Path) -> None:
    _, rows = read(
        tmp_path,
        "SELECT id FROM orders WHERE (:interval_start IS NULL OR created_at > :interval_start)"
        " AND created_at <= :fire ORDER BY id",
        {"interval_start": None},
    )
    assert rows == [(1,), (2,), (3,), (4,), (5,)]


def test_instants_and_dates_are_bound_as_sqlite_text(tmp_path: Path) -> None:
    columns, rows = read(
        tmp_path,
        "SELECT :fire AS fire, :interval_start AS start, :since AS since,"
        " :fire = datetime('2026-11-23 09:00', '+5 hours') AS same",
        {"since": date(2026, 11, 20)},
        declared=("since",),
    )
    assert columns == ("fire", "start", "since", "same")
    assert rows == [("2026-11-23 14:00:00", "2026-11-16 14:00:00", "2026-11-20", 1)]


def test_only_the_params_the_query_names_are_bound(tmp_path: Path) -> None:
    _, rows = read(tmp_path, "SELECT count(*) FROM orders", {"customer": "acme", "region": "x"})
    assert rows == [(6,)]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("acme' OR '1'='1", id="always true"),
        pytest.param("acme'; DROP TABLE orders; --", id="second statement"),
        pytest.param(":interval_start", id="a parameter name"),
    ],
)
def test_a_param_value_stays_data(tmp_path: Path, value: str) -> None:
    sql = "SELECT id FROM orders WHERE customer = :customer"
    assert read(tmp_path, sql, {"customer": value}) == (("id",), [])
    _, rows = read(tmp_path, "SELECT count(*) FROM orders")
    assert rows == [(6,)]


def test_an_unknown_param_in_the_query_is_named(tmp_path: Path) -> None:
    error = failure(tmp_path, "SELECT id FROM orders WHERE customer = :client")
    assert error.permanent
    assert ":client" in error.message
    assert "dataset 'orders'" in error.message
    assert error.hint is not None
    assert "customer, interval_start, interval_end, fire" in error.hint


def test_the_url_can_come_from_an_env_var(tmp_path: Path) -> None:
    url = f"sqlite:///{orders_db(tmp_path / 'elsewhere' / 'o.db')}"
    _, rows = read(
        tmp_path, "SELECT count(*) FROM orders", database="ORDERS_DB", env={"ORDERS_DB": url}
    )
    assert rows == [(6,)]


def test_a_missing_env_var_says_which_to_set(tmp_path: Path) -> None:
    error = failure(tmp_path, "SELECT 1", database="ORDERS_DB")
    assert error.permanent
    assert "ORDERS_DB" in error.message
    assert error.hint is not None
    assert error.hint.startswith("set ORDERS_DB")


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    error = failure(tmp_path, "SELECT 1", database="sqlite:///data/missing.db")
    assert error.permanent
    assert "'data/missing.db'" in error.message
    assert not (tmp_path / "data").exists()


def test_a_statement_without_rows_changes_nothing(tmp_path: Path) -> None:
    error = failure(tmp_path, "UPDATE orders SET amount = 0")
    assert error.permanent
    assert "returns no rows" in error.message
    _, rows = read(tmp_path, "SELECT min(amount) FROM orders")
    assert rows == [(10.5,)]  # the update was rolled back when the connection closed


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        pytest.param("SELEC id FROM orders", 'near "SELEC": syntax error', id="syntax"),
        pytest.param("SELECT id FROM order_lines", "no such table: order_lines", id="table"),
        pytest.param("SELECT nope FROM orders", "no such column: nope", id="column"),
    ],
)
def test_bad_sql_is_permanent_with_the_databases_words(
    tmp_path: Path, sql: str, words: str
) -> None:
    error = failure(tmp_path, sql)
    assert error.permanent
    assert error.message == f"the query of dataset 'orders' failed: {words}"


def test_a_database_that_cannot_be_opened_is_tried_again(tmp_path: Path) -> None:
    url = f"sqlite:///file:{tmp_path / 'gone.db'}?mode=ro&uri=true"
    error = failure(tmp_path, "SELECT 1", database="ORDERS_DB", env={"ORDERS_DB": url})
    assert not error.permanent
    assert error.message.startswith("could not connect to the database of dataset 'orders'")


def test_a_password_never_reaches_a_message(tmp_path: Path) -> None:
    url = "nosuchdb+nodriver://reports:hunter2-secret@db.example.com/shop"
    error = failure(tmp_path, "SELECT 1", database="ORDERS_DB", env={"ORDERS_DB": url})
    assert error.permanent
    assert "nosuchdb+nodriver" in error.message
    assert "hunter2" not in str(error)
    assert error.__cause__ is None


def big_db(path: Path, count: int) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE numbers (n INTEGER, label TEXT)")
        connection.execute(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?)"
            " INSERT INTO numbers SELECT n, 'row ' || n FROM c",
            (count,),
        )
    connection.close()


def can_write(path: Path) -> bool:
    """Whether another connection can commit now: not while a reader's statement is open."""
    connection = sqlite3.connect(path, timeout=0)
    try:
        with connection:
            connection.execute("INSERT INTO numbers VALUES (0, 'writer')")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    finally:
        connection.close()
    return True


def test_rows_stream_and_close_releases_the_database(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    big_db(path, 200_000)
    spec = Dataset.model_validate(
        {"sql": "SELECT n, label FROM numbers", "database": f"sqlite:///{path}"}
    )
    rows = open_dataset("numbers", spec, RUN, job_ctx(tmp_path))
    iterator = iter(rows)
    assert iter(rows) is iterator  # one pass over a stream, not a list
    assert rows.columns == ("n", "label")
    assert next(iterator) == (1, "row 1")
    assert next(iterator) == (2, "row 2")
    assert not can_write(path)  # the query is still open: rows come as they are read
    rows.close()
    assert can_write(path)
    assert next(iterator, None) is None


def test_all_rows_of_a_big_table_arrive(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    big_db(path, 200_000)
    spec = Dataset.model_validate({"sql": "SELECT n FROM numbers", "database": f"sqlite:///{path}"})
    with open_dataset("numbers", spec, RUN, job_ctx(tmp_path)) as rows:
        total = count = 0
        for (n,) in rows:
            total += n
            count += 1
    assert (count, total) == (200_000, 200_000 * 200_001 // 2)


def sample(tmp_path: Path, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    spec = Dataset.model_validate({"sql": sql, "params": ["category"]})
    with open_dataset("products", spec, {**RUN, **(params or {})}, job_ctx(tmp_path)) as rows:
        return [rows.columns, *rows]


def test_without_a_database_the_sample_is_read(tmp_path: Path) -> None:
    columns, *rows = sample(
        tmp_path,
        "SELECT sku, unit_price, in_stock, updated_on FROM products"
        " WHERE category = :category ORDER BY sku LIMIT 2",
        {"category": "Beverages"},
    )
    assert columns == ("sku", "unit_price", "in_stock", "updated_on")
    assert rows == [("SKU-0001", 2.27, 548, "2026-06-19"), ("SKU-0002", 1.92, 519, "2026-01-03")]


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("UPDATE products SET unit_price = 0", id="update"),
        pytest.param("DELETE FROM products", id="delete"),
        pytest.param("CREATE TABLE mine (x)", id="create"),
    ],
)
def test_the_sample_cannot_be_changed(tmp_path: Path, sql: str) -> None:
    with pytest.raises(JobError, match="readonly database") as caught:
        sample(tmp_path, sql)
    assert caught.value.permanent
    assert sample(tmp_path, "SELECT count(*), sum(unit_price > 0) FROM products")[1] == (100, 100)


def test_the_sample_database_is_the_csv(tmp_path: Path) -> None:
    rebuilt = tmp_path / "products.sqlite"
    make_products_db.build(make_products_db.HERE / "products.csv", rebuilt)
    shipped = resources.files("gitcron.samples").joinpath("products.sqlite")
    with resources.as_file(shipped) as path:
        assert dump(path) == dump(rebuilt)
    assert len(dump(rebuilt)) > 100  # the schema, the index and every row


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()
