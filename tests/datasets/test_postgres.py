"""`sql:` datasets on a real PostgreSQL server: types, bound interval, streaming, the timeout.

The server is started once for the session by the `postgres` fixture (tests/datasets/conftest.py)
on 127.0.0.1, from Debian's postgresql package; these tests are skipped only when it is absent.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gitcron.config.settings import Dataset
from gitcron.datasets.registry import open_dataset
from gitcron.jobs.base import JobError
from gitcron.render.base import RenderSpec
from gitcron.render.csv import write_csv
from gitcron.render.xlsx import write_xlsx
from jobs.helpers import FIRE, START, job_ctx

from .postgres_server import Server

RUN = {"interval_start": START, "interval_end": FIRE, "fire": FIRE}
ENV = "ORDERS_DB_URL"  # the address with its password lives in the environment, as documented


@pytest.fixture(scope="module")
def shop(postgres: Server) -> Server:
    """An `orders` table: one row per type a report meets, around this run's interval."""
    import psycopg

    with psycopg.connect(postgres.dsn(), autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS orders")
        db.execute(
            "CREATE TABLE orders (id bigint, customer text, amount numeric(12, 2),"
            " ratio double precision, paid boolean, placed_on date, placed_at timestamptz,"
            " note text)"
        )
        rows = [
            (1, "acme", "10.50", 0.5, True, "2026-11-16", "2026-11-16 13:59:59+00", None),
            (2, "acme", "20.00", 0.25, False, "2026-11-16", "2026-11-16 14:00:00+00", "edge"),
            (3, "acme", "1234.25", 1.5, True, "2026-11-20", "2026-11-20 08:00:00+00", "=cmd"),
            (4, "globex", "40.00", 2.0, True, "2026-11-21", "2026-11-21 09:30:00+00", None),
            (5, "acme", "50.00", 0.1, True, "2026-11-23", "2026-11-23 14:00:00+00", "ünïcode"),
            (6, "acme", "60.00", 0.2, True, "2026-11-23", "2026-11-23 14:00:01+00", None),
        ]
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO orders VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", rows)
    return postgres


def read(
    server: Server, tmp_path: Path, sql: str, params: dict[str, Any] | None = None, **spec: Any
) -> tuple[tuple[str, ...], list[tuple[Any, ...]], bool]:
    dataset = Dataset.model_validate({"sql": sql, "database": ENV, "params": ["customer"], **spec})
    ctx = dataclasses.replace(job_ctx(tmp_path), env={ENV: server.url()})
    with open_dataset("orders", dataset, {**RUN, **(params or {})}, ctx) as rows:
        return rows.columns, list(rows), rows.interval


def test_types_arrive_as_python_values(shop: Server, tmp_path: Path) -> None:
    columns, rows, _ = read(shop, tmp_path, "SELECT * FROM orders WHERE id = 3")
    assert columns == (
        "id",
        "customer",
        "amount",
        "ratio",
        "paid",
        "placed_on",
        "placed_at",
        "note",
    )
    assert rows == [
        (
            3,
            "acme",
            Decimal("1234.25"),
            1.5,
            True,
            date(2026, 11, 20),
            datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            "=cmd",
        )
    ]


def test_the_interval_is_bound_as_timestamps(shop: Server, tmp_path: Path) -> None:
    sql = (
        "SELECT id FROM orders WHERE customer = :customer"
        " AND placed_at > :interval_start AND placed_at <= :interval_end ORDER BY id"
    )
    _, rows, interval = read(shop, tmp_path, sql, {"customer": "acme"})
    assert rows == [(3,), (5,)]  # (start, end]: 2 is the previous run's, 6 the next one's
    assert interval  # the file will say which period it covers


def test_a_value_stays_data(shop: Server, tmp_path: Path) -> None:
    sql = "SELECT count(*) AS n FROM orders WHERE customer = :customer"
    _, rows, interval = read(shop, tmp_path, sql, {"customer": "acme' OR '1'='1"})
    assert rows == [(0,)]
    assert not interval


def test_a_report_opens_as_a_customer_would(shop: Server, tmp_path: Path) -> None:
    """The PostgreSQL types written into xlsx as typed cells under readable headers."""
    sql = "SELECT id, amount, paid, placed_on, placed_at, note FROM orders ORDER BY id"
    dataset = Dataset.model_validate({"sql": sql, "database": ENV})
    ctx = dataclasses.replace(job_ctx(tmp_path), env={ENV: shop.url()})
    out = tmp_path / "orders.xlsx"
    with open_dataset("orders", dataset, RUN, ctx) as rows:
        count = write_xlsx(rows.columns, rows, out, RenderSpec("orders", "Orders", None), ctx)
    assert count == 6
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[1]] == ["ID", "Amount", "Paid", "Placed on", "Placed at", "Note"]
    assert sheet["B4"].value == 1234.25
    assert sheet["C4"].value is True
    assert sheet["D4"].is_date
    assert sheet["E4"].value == datetime(2026, 11, 20, 3, 0)  # 08:00 UTC in New York
    assert sheet["F4"].value == "=cmd"
    assert sheet["F4"].data_type == "s"  # text, never a formula


def test_a_query_over_its_timeout_is_stopped_and_tried_again(shop: Server, tmp_path: Path) -> None:
    with pytest.raises(JobError) as caught:
        read(shop, tmp_path, "SELECT pg_sleep(5), 1 AS one", timeout="1s")
    assert "ran longer than 1s and the database stopped it" in caught.value.message
    assert "datasets.orders.timeout" in (caught.value.hint or "")
    assert not caught.value.permanent


def test_bad_sql_is_permanent_with_the_databases_words(shop: Server, tmp_path: Path) -> None:
    with pytest.raises(JobError) as caught:
        read(shop, tmp_path, "SELECT nope FROM orders")
    assert caught.value.permanent
    assert 'column "nope" does not exist' in caught.value.message


def test_a_wrong_password_never_shows(shop: Server, tmp_path: Path) -> None:
    dataset = Dataset.model_validate({"sql": "SELECT 1", "database": ENV})
    url = f"postgresql+psycopg://nobody:Sup3rSecret@127.0.0.1:{shop.port}/postgres"
    ctx = dataclasses.replace(job_ctx(tmp_path), env={ENV: url})
    with pytest.raises(JobError) as caught:
        open_dataset("orders", dataset, RUN, ctx)
    assert "Sup3rSecret" not in str(caught.value)
    assert not caught.value.permanent  # could not connect: tried again


@pytest.mark.slow
def test_one_million_rows_stream_through_a_server_side_cursor(shop: Server, tmp_path: Path) -> None:
    """In a fresh interpreter: 1M rows from generate_series into csv, its peak memory measured
    (VmHWM). A client-side cursor would hold every row (several hundred MB) before the first
    is written; the server-side one holds one batch."""
    script = textwrap.dedent(
        f"""
        import dataclasses, json, sys
        from pathlib import Path
        sys.path[:0] = {[str(Path(__file__).parents[1])]!r}
        from gitcron.config.settings import Dataset
        from gitcron.datasets.registry import open_dataset
        from gitcron.render.base import RenderSpec
        from gitcron.render.csv import write_csv
        from jobs.helpers import FIRE, START, job_ctx
        tmp = Path({str(tmp_path)!r})
        sql = ("SELECT g AS id, 'SKU-' || g AS sku, g * 0.25 AS price, now() AS at,"
               " repeat('x', 40) AS note FROM generate_series(1, 1000000) AS g")
        dataset = Dataset.model_validate({{"sql": sql, "database": "DB"}})
        ctx = dataclasses.replace(job_ctx(tmp), env={{"DB": {shop.url()!r}}})
        run = {{"interval_start": START, "interval_end": FIRE, "fire": FIRE}}
        spec = RenderSpec("big", "Big", None)
        with open_dataset("big", dataset, run, ctx) as rows:
            count = write_csv(rows.columns, rows, tmp / "big.csv", spec, ctx)
        peak = next(int(line.split()[1]) for line in open("/proc/self/status")
                    if line.startswith("VmHWM:")) / 1024
        print(json.dumps({{"rows": count, "peak_mb": peak}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"1,000,000 rows from PostgreSQL into csv: peak {result['peak_mb']:.0f} MB")  # with -s
    assert result["rows"] == 1_000_000
    assert (tmp_path / "big.csv").read_bytes().count(b"\n") == 1_000_001
    assert result["peak_mb"] < 200, result


def test_csv_of_postgres_types(shop: Server, tmp_path: Path) -> None:
    sql = "SELECT id, amount, paid, placed_at FROM orders WHERE id IN (1, 3) ORDER BY id"
    dataset = Dataset.model_validate({"sql": sql, "database": ENV})
    ctx = dataclasses.replace(job_ctx(tmp_path), env={ENV: shop.url()})
    out = tmp_path / "orders.csv"
    with open_dataset("orders", dataset, RUN, ctx) as rows:
        write_csv(rows.columns, rows, out, RenderSpec("orders", "Orders", None), ctx)
    assert out.read_text().splitlines() == [
        "ID,Amount,Paid,Placed at",
        '1,10.50,"true","2026-11-16T08:59:59-05:00"',
        '3,1234.25,"true","2026-11-20T03:00:00-05:00"',
    ]
