"""The `timeout:` of an `sql:` dataset on SQLite: real long-running queries, an injected clock.

SQLite has no server to stop a statement, so gitcron's progress handler does. The clock it reads
is replaced by one that moves only when SQLite works (or when a test moves it), so a query that
would run for minutes is stopped after a few thousand instructions and no test waits.
"""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from engine.helpers import utc
from gitcron.config.settings import Dataset
from gitcron.datasets import sql_deadline
from gitcron.datasets.registry import open_dataset
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.jobs.base import JobError
from gitcron.state import iter_records
from jobs.helpers import job_ctx

from .test_sql import RUN, orders_db

# counts to a billion: minutes of work for SQLite, unless something stops it
ENDLESS = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)"
    " SELECT count(*) AS numbers FROM n"
)
FIRST = utc("2026-12-07T05:52")  # the example repo's first tick
LATE = utc("2026-12-07T14:07")


class Clock:
    """Seconds that pass by `step` each time SQLite looks, plus what a test adds by hand."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step
        self.looks = 0

    def __call__(self) -> float:
        self.looks += 1
        self.now += self.step
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock(step=1.0)  # one second per look (every CHECK_EVERY instructions)
    monkeypatch.setattr(sql_deadline, "clock", found)
    return found


def dataset(sql: str, timeout: str | None) -> Dataset:
    return Dataset.model_validate(
        {"sql": sql, "database": "sqlite:///orders.db", "params": [], "timeout": timeout}
    )


def test_a_query_running_past_its_timeout_is_stopped_and_said_so(
    tmp_path: Path, clock: Clock
) -> None:
    orders_db(tmp_path / "orders.db")
    spec = dataset(ENDLESS, "30s")
    with (
        pytest.raises(JobError) as caught,
        open_dataset("counting", spec, RUN, job_ctx(tmp_path)) as rows,
    ):
        list(rows)
    error = caught.value
    assert error.permanent
    assert "the query of dataset 'counting' ran longer than its timeout of 30s" in str(error)
    assert "datasets.counting.timeout" in str(error)
    assert "datasets.counting.timeout" in (error.hint or "")
    assert 30 <= clock.looks <= 40  # stopped at the deadline, not before and not long after


def test_without_a_timeout_the_default_applies(tmp_path: Path, clock: Clock) -> None:
    orders_db(tmp_path / "orders.db")
    spec = dataset(ENDLESS, None)
    with (
        pytest.raises(JobError, match="timeout of 10m"),
        open_dataset("counting", spec, RUN, job_ctx(tmp_path)) as rows,
    ):
        list(rows)
    assert 600 <= clock.looks <= 610


def test_a_query_within_its_timeout_is_not_disturbed(tmp_path: Path, clock: Clock) -> None:
    orders_db(tmp_path / "orders.db")
    counted = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
    spec = dataset(counted + " SELECT count(*) AS numbers FROM n", "1m")
    with open_dataset("counting", spec, RUN, job_ctx(tmp_path)) as rows:
        assert list(rows) == [(2000,)]
    assert clock.looks > 0  # the handler did look, and let it finish


def test_the_time_between_fetches_is_not_the_querys(tmp_path: Path, clock: Clock) -> None:
    """Each fetch is bounded on its own, as a server's statement timeout bounds each fetch of
    a cursor: a slow reader (rendering a large file) does not use up the query's time."""
    orders_db(tmp_path / "orders.db")
    clock.step = 0.0  # SQLite's own work takes no time here; only the reader's does
    numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
    spec = dataset(numbers + " SELECT i FROM n", "1s")
    read = 0
    with open_dataset("numbers", spec, RUN, job_ctx(tmp_path)) as rows:
        for _ in rows:
            read += 1
            clock.now += 0.01  # 5000 rows read in 50 s, far over the 1 s timeout
    assert read == 5000


def test_a_tick_records_why_and_runs_the_other_schedules(repo: Path, clock: Clock) -> None:
    settings = (repo / "gitcron.yaml").read_text(encoding="utf-8")
    endless = ENDLESS.replace('"', '\\"')
    settings = settings.replace(
        "datasets:\n",
        f'datasets:\n  counting:\n    sql: "{endless}"\n    timeout: 2m\n',
        1,
    )
    (repo / "gitcron.yaml").write_text(settings, encoding="utf-8")
    (repo / "schedules/customer-001/counting.yaml").write_text(
        'timezone: UTC\nschedule:\n  daily: { at: "12:00" }\n'
        "report: { dataset: counting, format: csv }\n"
        "deliver:\n  - email: { to: [counts@customer1.example.com] }\n",
        encoding="utf-8",
    )
    options = TickOptions(env={})
    run_tick(repo, FIRST, options)
    result = run_tick(repo, LATE, options)
    by_schedule = {r.schedule: r for r in result.ran}
    counting = by_schedule.pop("customer-001/counting")
    assert counting.status == "failed"
    assert counting.permanent
    assert counting.error is not None
    assert "dataset 'counting' ran longer than its timeout of 2m" in counting.error
    assert "datasets.counting.timeout" in counting.error
    assert len(by_schedule) == 4  # the other schedules due at this tick
    assert all(r.status == "succeeded" for r in by_schedule.values())
    assert clock.now >= timedelta(minutes=2).total_seconds()
    outbox = repo / "outbox"
    delivered = [p for p in outbox.rglob("counting*") if "_notifications" not in p.parts]
    assert delivered == []  # no file went out; the owner is told why
    (told,) = (outbox / "_notifications/customer-001").glob("counting@*.failed.1.eml")
    letter = message_from_bytes(told.read_bytes(), policy=default)
    body = letter.get_body(("plain",))
    assert body is not None
    assert "datasets.counting.timeout" in " ".join(body.get_content().split())
    recorded = [r for r in iter_records(repo) if r.schedule == "customer-001/counting"]
    assert [r.error for r in recorded] == [counting.error]
