"""Hostile state files through a real tick: the damaged customer is reported, the others run.

A state file can be merged through a pull request like any other file. Whatever it holds, the
tick ends with exit 1 (never 3), names the file and what is wrong with the way out, runs every
other customer, leaves the damaged file as it is, and leaves the rest of state loadable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.helpers import utc
from gitcron.engine.phases import TickOptions
from gitcron.engine.replay import replay
from gitcron.engine.tick import run_tick
from gitcron.state import StateStore, iter_records
from gitcron.state.files import MAX_FILE_BYTES
from support import Run, invoke

FIRST = "2026-12-07T05:52:00Z"  # the repo's first tick
LATE = "2026-12-07T14:07:00Z"  # 8 h later: every customer has a run due
DAMAGED = "state/schedules/customer-002.json"
OTHERS = {
    "customer-001/weekly-products@2026-12-07T14:00:00Z",
    "customer-003/weekday-stock@2026-12-07T13:30:00Z",
    "customer-004/products-every-6h@2026-12-07T12:00:00Z",
}
MONTHLY = "customer-002/monthly-products@2026-12-07T10:00:00Z"
NO_SMTP = {"GITCRON_SMTP_URL": None}

Edit = Callable[[dict[str, Any]], None]


def tick(repo: Path, at: str) -> Run:
    return invoke(["--repo", str(repo), "run", "--at", at], NO_SMTP)


def ran(repo: Path) -> set[str]:
    return {r.run_id for r in iter_records(repo) if r.status == "succeeded"}


def monthly(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = data["schedules"]["monthly-products"]
    return entry


def retry_of(run_id: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        monthly(data)["pending_retry"] = {
            "run_id": run_id,
            "fire": "2026-12-07T05:00:00Z",
            "attempt": 1,
            "due": "2026-12-07T05:05:00Z",
            "failed_targets": ["email:customer2@example.com"],
        }

    return edit


def setter(key: str, value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        monthly(data)[key] = value

    return edit


def add_entry(name: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["schedules"][name] = dict(monthly(data))

    return edit


EDITS = [
    pytest.param(setter("runs", 10**30), "schedules.monthly-products.runs: ", id="huge-counter"),
    pytest.param(
        setter("fingerprint", "f" * 100_000),
        "schedules.monthly-products.fingerprint: ",
        id="long-text",
    ),
    pytest.param(
        setter("delivered", ["x"] * 20_000),
        "schedules.monthly-products.delivered: ",
        id="long-list",
    ),
    pytest.param(
        setter("last_fire", "2999-01-01T00:00:00Z"),
        "schedules.monthly-products.last_fire: ",
        id="year-2999",
    ),
    pytest.param(
        setter("last_fire", "2026-12-08T10:00:00Z"),
        "schedules.monthly-products.last_fire: 2026-12-08T10:00:00Z is later than this tick",
        id="last-fire-tomorrow",
    ),
    pytest.param(
        setter("anchor", "2026-12-07T15:00:00Z"),
        "schedules.monthly-products.anchor: 2026-12-07T15:00:00Z is later than this tick",
        id="anchor-in-an-hour",
    ),
    pytest.param(
        setter("first_seen", "2027-01-01T00:00:00Z"),
        "schedules.monthly-products.first_seen: 2027-01-01T00:00:00Z is later",
        id="first-seen-next-year",
    ),
    pytest.param(
        retry_of("customer-001/weekly-products@2026-12-07T05:00:00Z"),
        "schedules.monthly-products.pending_retry.run_id: expected "
        '"customer-002/monthly-products@2026-12-07T05:00:00Z"',
        id="retry-of-another-customer",
    ),
    pytest.param(
        add_entry("../escape"), 'schedules."../escape": expected a schedule name', id="key"
    ),
    pytest.param(add_entry(""), 'schedules."": expected a schedule name', id="empty-key"),
]


@pytest.mark.parametrize(("edit", "where"), EDITS)
def test_a_hostile_value_stops_only_its_customer(repo: Path, edit: Edit, where: str) -> None:
    assert tick(repo, FIRST).code == 0
    path = repo / DAMAGED
    data = json.loads(path.read_text())
    edit(data)
    text = json.dumps(data)
    path.write_text(text)
    assert_only_customer_002_stopped(repo, f"{DAMAGED}: {where}")
    assert path.read_text() == text  # never reset nor rewritten


@pytest.mark.parametrize(
    ("content", "what"),
    [
        pytest.param(
            "[" * 100_000, "objects and lists nested more than 16 levels deep", id="100k-brackets"
        ),
        pytest.param(
            '{"format": 1, "schedules": {"a": ' + "[" * 200 + "]" * 200 + "}}",
            "objects and lists nested more than 16 levels deep",
            id="200-levels-valid-json",
        ),
        pytest.param(
            '{"format": 1, "schedules": {}}' + " " * MAX_FILE_BYTES,
            "larger than 64 MiB",
            id="over-64-MiB",
        ),
    ],
)
def test_a_hostile_file_stops_only_its_customer(repo: Path, content: str, what: str) -> None:
    assert tick(repo, FIRST).code == 0
    (repo / DAMAGED).write_text(content)
    assert_only_customer_002_stopped(repo, f"{DAMAGED}: corrupt state file: {what}")
    assert (repo / DAMAGED).stat().st_size == len(content)


def assert_only_customer_002_stopped(repo: Path, problem: str) -> None:
    result = tick(repo, LATE)
    result.assert_clean_failure(1)
    assert f"  ✗ state     {problem}" in result.out, result.out
    assert "gitcron state repair" in result.out
    assert "(its customer's schedules did not run)" in result.out
    assert ran(repo) == OTHERS
    store = StateStore(repo)
    assert store.load_tick() == utc(LATE[:-1])
    for customer in ("customer-001", "customer-003", "customer-004"):
        assert store.load_customer(customer)


def test_the_way_out_of_a_future_fire(repo: Path) -> None:
    """`state check` names it, `state repair` sets the file aside, the customer runs again."""
    assert tick(repo, FIRST).code == 0
    path = repo / DAMAGED
    data = json.loads(path.read_text())
    monthly(data)["last_fire"] = "2026-12-31T10:00:00Z"
    path.write_text(json.dumps(data))
    assert tick(repo, LATE).code == 1
    checked = invoke(["--repo", str(repo), "state", "check", "--at", LATE])
    checked.assert_clean_failure(1)
    assert f"{DAMAGED}: schedules.monthly-products.last_fire: 2026-12-31T10:00:00Z is later" in (
        checked.out
    )
    repaired = invoke(["--repo", str(repo), "state", "repair", "--at", LATE])
    assert repaired.code == 0, repaired.both
    assert "moved aside to state/schedules/customer-002.json.corrupt-" in repaired.out
    later = tick(repo, "2027-01-04T10:07:00Z")  # the first Monday of January
    assert "✗ state" not in later.out
    assert "customer-002/monthly-products@2027-01-04T10:00:00Z" in ran(repo)


def test_a_future_tick_file_is_an_error_not_a_crash(repo: Path) -> None:
    assert tick(repo, FIRST).code == 0
    (repo / "state/tick.json").write_text('{"format": 1, "last_tick": "2030-01-01T00:00:00Z"}')
    result = tick(repo, LATE)
    result.assert_clean_failure(1)
    assert "state/tick.json: last_tick: 2030-01-01T00:00:00Z is later than this tick" in (
        result.both
    )


def test_clocks_may_disagree_by_a_few_minutes(repo: Path) -> None:
    assert tick(repo, FIRST).code == 0
    path = repo / DAMAGED
    data = json.loads(path.read_text())
    monthly(data)["last_manual"] = "2026-12-07T14:15:00Z"  # a trigger 8 min "ahead"
    path.write_text(json.dumps(data))
    result = tick(repo, LATE)
    assert result.code == 0, result.out
    assert ran(repo) == OTHERS | {MONTHLY}


def test_a_file_no_customer_can_have_is_not_state(repo: Path) -> None:
    assert tick(repo, FIRST).code == 0
    (repo / "state/schedules/..json").write_text("[" * 100_000)
    result = tick(repo, LATE)
    assert result.code == 0, result.both
    assert ran(repo) == OTHERS | {MONTHLY}
    assert invoke(["--repo", str(repo), "state", "check", "--at", LATE]).code == 0


def test_a_deeply_nested_history_line_is_skipped_not_a_crash(repo: Path) -> None:
    assert tick(repo, FIRST).code == 0
    day = repo / "state/history/2026-12-07.jsonl"
    day.parent.mkdir(parents=True, exist_ok=True)
    day.write_text("[" * 100_000 + "\n" + "{" * 20 + "\n")
    result = tick(repo, LATE)
    assert result.code == 0, result.both
    assert ran(repo) == OTHERS | {MONTHLY}
    checked = invoke(["--repo", str(repo), "state", "check", "--at", LATE])
    checked.assert_clean_failure(1)
    assert "state/history/2026-12-07.jsonl:1: not a record: objects and lists nested" in (
        checked.out
    )


def test_leftover_entries_stay_harmless(repo: Path) -> None:
    """A deleted schedule's entry, and one a nested schedule file could own, are not damage:
    a whole tick drops entries without a schedule file, as it always has."""
    assert tick(repo, FIRST).code == 0
    path = repo / DAMAGED
    data = json.loads(path.read_text())
    data["schedules"]["retired-report"] = monthly(data)
    data["schedules"]["customer-001/weekly-products"] = monthly(data)
    path.write_text(json.dumps(data))
    result = tick(repo, LATE)
    assert result.code == 0, result.out
    assert ran(repo) == OTHERS | {MONTHLY}
    assert set(StateStore(repo).load_customer("customer-002")) == {
        "monthly-products",
        "year-end-export",
    }


def test_a_replay_of_a_past_tick_does_not_judge_later_instants(repo: Path) -> None:
    """Records replayed at their tick's instant meet state that later ticks moved on by right."""
    assert tick(repo, FIRST).code == 0
    assert tick(repo, LATE).code == 0
    done = replay(repo, [], utc("2026-12-07T12:00"))
    assert done.result.state_problems == []
    assert run_tick(repo, utc("2026-12-07T14:07"), TickOptions(env={})).state_problems == []
