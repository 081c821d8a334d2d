"""A report from an `sql:` dataset end to end: params and run values bound, the CSV's bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gitcron.jobs.report import ReportJob
from jobs.helpers import job_ctx, schedule, settings

from .test_sql import orders_db

ORDERS = {
    "sql": "SELECT id, customer, amount, created_at FROM orders WHERE customer = :customer"
    " AND created_at > :interval_start AND created_at <= :interval_end ORDER BY id",
    "database": "sqlite:///data/orders.db",
    "params": {"customer": {"required": True}},
}


def produce(tmp_path: Path, dataset: dict[str, Any], report: dict[str, Any]) -> Any:
    ctx = job_ctx(
        tmp_path,
        schedule({"dataset": "orders", "format": "csv", **report}),
        settings(datasets={"orders": dataset}),
    )
    return ReportJob().produce(ctx)


def test_a_csv_report_of_this_runs_orders(tmp_path: Path) -> None:
    orders_db(tmp_path / "data" / "orders.db")
    artifact = produce(
        tmp_path,
        ORDERS,
        {"params": {"customer": "acme"}, "filename": "{{ params.customer }}-{{ rows }}.csv"},
    )
    assert artifact.name == "acme-2.csv"
    assert artifact.rows == 2
    assert artifact.data() == (  # the driver's numbers stay numbers; text is quoted
        b"ID,Customer,Amount,Created at\r\n"
        b'3,"acme",30.0,"2026-11-20 08:00:00"\r\n'
        b'5,"acme",50.0,"2026-11-23 14:00:00"\r\n'
    )


def test_a_csv_report_from_the_sample_database(tmp_path: Path) -> None:
    dataset = {
        "sql": "SELECT category, count(*) AS products, round(sum(unit_price * in_stock), 2)"
        " AS stock_value FROM products GROUP BY category ORDER BY category LIMIT 3",
    }
    artifact = produce(tmp_path, dataset, {"filename": "stock.csv"})
    assert artifact.rows == 3
    lines = artifact.data().decode().splitlines()
    assert lines[0] == "Category,Products,Stock value"
    assert lines[1].startswith('"Bakery",')
