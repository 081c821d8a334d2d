"""Send conditions through real ticks: on_unchanged against committed state, row thresholds.

Each test runs the tick on a repository whose dataset is a CSV file the test rewrites between
ticks; the mail goes to a real SMTP server on 127.0.0.1, and the records and state written are
what is asserted.
"""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest

from channels.mailserver import Inbox, serve
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.state import StateStore
from support import utc

SCHEDULE = """\
timezone: Europe/London
owner: am@ourco.example
schedule:
  daily: {{ at: "09:00" }}
report:
  dataset: stock
  format: csv
{extra}deliver:
  - email: {{ to: [buyer@acme.example] }}
"""
TICKS = ["2026-11-23T09:07", "2026-11-24T09:07", "2026-11-25T09:07"]


@pytest.fixture
def repo(empty_repo: Path) -> Path:
    settings = empty_repo / "gitcron.yaml"
    text = settings.read_text()
    text = text.replace("datasets:\n", "datasets:\n  stock:\n    file: data/stock.csv\n", 1)
    settings.write_text(text + 'network:\n  allow: ["127.0.0.1"]\n')
    (empty_repo / "data").mkdir()
    return empty_repo


def schedule(root: Path, extra: str) -> None:
    (root / "schedules/acme").mkdir(exist_ok=True)
    (root / "schedules/acme/daily.yaml").write_text(SCHEDULE.format(extra=extra))


def stock(root: Path, *rows: str) -> None:
    (root / "data/stock.csv").write_text("sku,units\n" + "".join(f"{r}\n" for r in rows))


def tick(root: Path, at: str, port: int):  # type: ignore[no-untyped-def]
    """The run of the tick at `at` (a first tick before it sees the new schedule)."""
    options = TickOptions(env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"}, sleep=lambda _: 0)
    if at == TICKS[0]:
        assert run_tick(root, utc("2026-11-23T08:52"), options).records == []
    [record] = run_tick(root, utc(at), options).records
    return record


def test_on_unchanged_skips_the_same_rows_and_sends_new_ones(repo: Path) -> None:
    schedule(repo, "  on_unchanged: skip\n")
    inbox = Inbox()
    with serve(inbox) as port:
        stock(repo, "A1,3", "B2,0")
        first = tick(repo, TICKS[0], port)
        same = tick(repo, TICKS[1], port)
        stock(repo, "A1,2", "B2,0")
        changed = tick(repo, TICKS[2], port)
    assert (first.status, same.status, changed.status) == ("succeeded", "skipped", "succeeded")
    assert same.note is not None
    assert "same as the last delivered run's" in same.note
    assert first.rows_sha256 == same.rows_sha256 != changed.rows_sha256
    assert len(inbox.received) == 2  # the unchanged day sent nothing
    state = StateStore(repo).load_customer("acme")["daily"]
    assert state.delivered_rows == changed.rows_sha256  # committed: the next tick compares to it


def test_without_on_unchanged_the_same_rows_are_sent_again(repo: Path) -> None:
    schedule(repo, "")
    inbox = Inbox()
    with serve(inbox) as port:
        stock(repo, "A1,3")
        records = [tick(repo, at, port) for at in TICKS[:2]]
    assert [r.status for r in records] == ["succeeded", "succeeded"]
    assert all(r.rows_sha256 is None for r in records)  # no digest kept when none is asked for
    assert len(inbox.received) == 2


def test_too_few_rows_fail_the_run_and_tell_the_owner(repo: Path) -> None:
    schedule(repo, "  min_rows: 2\n")
    inbox = Inbox()
    with serve(inbox) as port:
        stock(repo, "A1,3")
        record = tick(repo, TICKS[0], port)
    assert record.status == "failed"
    assert record.permanent
    assert record.error is not None
    assert "1 row, fewer than min_rows (2)" in record.error
    [envelope] = inbox.received  # not the report: the owner's notice
    assert envelope.rcpt_tos == ["am@ourco.example"]
    notice = email.message_from_bytes(envelope.content, policy=default)
    assert "fewer than min_rows (2)" in notice.get_content()


@pytest.mark.parametrize(
    ("extra", "status", "sent", "note"),
    [
        pytest.param(
            "  max_rows: 1\n  outside_rows: skip\n",
            "skipped",
            0,
            "2 rows, more than max_rows (1): nothing sent (outside_rows: skip)",
            id="skip",
        ),
        pytest.param(
            "  max_rows: 1\n  outside_rows: send\n",
            "succeeded",
            1,
            "2 rows, more than max_rows (1): sent anyway (outside_rows: send)",
            id="send",
        ),
        pytest.param("  min_rows: 1\n  max_rows: 2\n", "succeeded", 1, None, id="inside"),
    ],
)
def test_what_happens_outside_the_thresholds(
    repo: Path, extra: str, status: str, sent: int, note: str | None
) -> None:
    schedule(repo, extra)
    inbox = Inbox()
    with serve(inbox) as port:
        stock(repo, "A1,3", "B2,0")
        record = tick(repo, TICKS[0], port)
    assert (record.status, record.note) == (status, note)
    assert len(inbox.received) == sent


def test_min_rows_above_max_rows_is_refused_by_validate(repo: Path) -> None:
    from gitcron.catalog.load import load

    schedule(repo, "  min_rows: 5\n  max_rows: 2\n")
    [problem] = load(repo, utc(TICKS[0])).problems
    assert (problem.file, problem.line) == ("schedules/acme/daily.yaml", 6)  # report:
    assert "min_rows (5) is more than max_rows (2)" in problem.message
