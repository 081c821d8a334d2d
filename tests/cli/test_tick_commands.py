"""plan, run and trigger through the real entry point: output, JSON and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from support import Run

NO_SMTP = {"GITCRON_SMTP_URL": None}


def test_plan_lists_runs_and_misses_with_reasons(gitcron: Callable[..., Run]) -> None:
    assert gitcron("run", "--at", "2026-12-07T05:52:00Z", env=NO_SMTP).code == 0
    run = gitcron("plan", "--at", "2026-12-07T14:07:00Z")
    assert run.code == 0, run.both
    lines = run.out.splitlines()
    assert lines[0] == "plan at 2026-12-07 14:07 UTC (last tick: 2026-12-07 05:52 UTC)"
    assert (
        "  run    customer-001/weekly-products  2026-12-07 09:00 EST (14:00 UTC)  (scheduled)"
        in lines
    )
    assert (
        "  miss   customer-004/stock-event  2026-12-07 06:00 UTC  more than 6h late (max_delay)"
        in lines
    )


def test_plan_json(gitcron: Callable[..., Run]) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=NO_SMTP)
    data = json.loads(gitcron("plan", "--format", "json", "--at", "2026-12-07T14:07:00Z").out)
    assert data["last_tick"] == "2026-12-07T05:52:00Z"
    weekly = next(r for r in data["runs"] if r["schedule"] == "customer-001/weekly-products")
    assert weekly == {
        "run_id": "customer-001/weekly-products@2026-12-07T14:00:00Z",
        "schedule": "customer-001/weekly-products",
        "fire": "2026-12-07T14:00:00Z",
        "fire_local": "2026-12-07T09:00:00-05:00",
        "interval_start": "2026-11-30T14:00:00Z",
        "trigger": "scheduled",
        "attempt": 1,
        "targets": None,
    }
    assert {r["status"] for r in data["records"]} == {"missed"}
    assert data["invalid"] == []


def test_plan_on_a_fresh_repo_says_it_is_the_first_tick(gitcron: Callable[..., Run]) -> None:
    run = gitcron("plan", "--at", "2026-12-07T05:52:00Z")
    assert "last tick: none: this would be the repo's first tick" in run.out
    assert "nothing is due" in run.out


def test_run_exits_1_when_a_delivery_fails(gitcron: Callable[..., Run], repo: Path) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=NO_SMTP)
    down = {"GITCRON_SMTP_URL": "smtp://reports:hunter2secret@127.0.0.1:9"}
    run = gitcron("run", "--at", "2026-12-07T14:07:00Z", env=down)
    assert run.code == 1
    assert "4 runs (4 failed), 2 missed" in run.out
    assert "hunter2secret" not in run.both  # the password never reaches the output
    history = "".join(p.read_text() for p in (repo / "state/history").glob("*.jsonl"))
    assert "hunter2secret" not in history
    assert '"status":"failed"' in history


def test_dry_run_says_so_and_writes_no_state(gitcron: Callable[..., Run], repo: Path) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=NO_SMTP)
    tick = (repo / "state/tick.json").read_bytes()
    run = gitcron("run", "--dry-run", "--at", "2026-12-07T14:07:00Z", env=NO_SMTP)
    assert run.code == 0, run.both
    assert "dry run: nothing delivered, no state written; files are in outbox/" in run.out
    assert (repo / "state/tick.json").read_bytes() == tick
    assert (repo / "outbox/northwind-products-2026-12-07.xlsx").is_file()


def test_trigger_runs_now_by_hand(gitcron: Callable[..., Run]) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=NO_SMTP)
    run = gitcron(
        "trigger", "customer-003/daily-products", "--at", "2026-12-07T06:30:00Z", env=NO_SMTP
    )
    assert run.code == 0, run.both
    assert (
        "✓ succeeded customer-003/daily-products  2026-12-07 15:30 JST (06:30 UTC)  manual"
        in run.out
    )
    history = gitcron("history", "customer-003/daily-products", "--format", "json")
    [record] = json.loads(history.out)
    assert (record["trigger"], record["status"]) == ("manual", "succeeded")


def test_trigger_of_an_unknown_schedule(gitcron: Callable[..., Run]) -> None:
    run = gitcron("trigger", "nobody/nothing", "--at", "2026-12-07T06:30:00Z")
    assert run.code == 2  # an id that is not there is the command line's mistake
    assert "there is no schedule 'nobody/nothing'" in run.err


def test_an_outbox_that_cannot_be_written_is_a_usage_error(
    gitcron: Callable[..., Run], repo: Path
) -> None:
    """Checked before the tick: before, every delivery failed and was retried on later ticks."""
    blocker = repo / "not-a-folder"
    blocker.write_text("a file where the folder should go\n", "utf-8")
    assert gitcron("run", "--at", "2026-12-07T05:52:00Z").code == 0
    before = sorted(p.read_bytes() for p in (repo / "state").rglob("*") if p.is_file())
    tick = ["run", "--at", "2026-12-07T14:07:00Z"]
    for args in (tick, ["trigger", "customer-001/weekly-products"]):
        run = gitcron(*args, "--outbox", "not-a-folder/out")
        assert run.code == 2, run.both
        assert run.err.startswith("gitcron: --outbox not-a-folder/out: gitcron cannot write there")
        assert "hint: give a folder you can write to" in run.err
    after = sorted(p.read_bytes() for p in (repo / "state").rglob("*") if p.is_file())
    assert after == before  # no tick ran: nothing recorded, nothing to retry
