"""The tick's job summary, through $GITHUB_STEP_SUMMARY as GitHub sets it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from channels.webserver import Receiver, Reply, serve
from cli.hook_repo import ENV, point_webhook_at
from gitcron.cli import summary
from support import Run

LIMIT = 1024 * 1024


@pytest.fixture
def receiver(repo: Path) -> Iterator[Receiver]:
    receiver = Receiver(Reply(503, b"busy <b>now</b> | try @later"))
    with serve(receiver) as port:
        point_webhook_at(repo, port)
        yield receiver


def tick(gitcron: Callable[..., Run], at: str, file: Path) -> Run:
    return gitcron("run", "--at", at, env={**ENV, "GITHUB_STEP_SUMMARY": str(file)})


def test_a_tick_appends_counts_attention_retries_and_every_record(
    gitcron: Callable[..., Run], receiver: Receiver, tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    assert tick(gitcron, "2026-12-07T05:52:00Z", file).code == 0
    run = tick(gitcron, "2026-12-07T06:07:00Z", file)
    assert run.code == 0, run.both
    text = file.read_text("utf-8")
    first, second = text.split("## gitcron tick at ")[1:]
    assert first.startswith("2026-12-07 05:52 UTC\n\n**0 runs** · exit 0\n")
    assert "Nothing was due." in first
    assert second.startswith(
        "2026-12-07 06:07 UTC\n\n**2 runs (1 succeeded, 1 failed)** · exit 0\n"
    )
    assert "| ✓ succeeded | 1 |" in second
    assert "| ✗ failed for good | 0 |" in second
    assert "| ↻ failed, retry scheduled | 1 |" in second
    assert "### Needs attention (1, most important first)" in second
    assert "### Retries due" in second
    assert (
        "| customer-004/stock-event | 2026-12-07 06:00 UTC | 2 of 4 | 2026-12-07 06:12 | "
        "webhook:http://127.0.0.1:" in second
    )
    rows = [line for line in second.splitlines() if line.startswith("| ")]
    runs = rows[rows.index("| outcome | schedule | fire | details |") + 1 :]
    assert runs[0].startswith("| ✗ failed, retried | customer-004/stock-event |")
    assert runs[1].startswith("| ✓ succeeded | customer-004/products-every-6h |")
    # the receiver's words cannot make HTML, break the table or mention anyone
    assert r"busy \<b\>now\</b\> \| try &#64;later" in runs[0]
    assert "<b>" not in text
    assert "@later" not in text


def test_a_final_failure_says_exit_1_and_how_to_fix_it(
    gitcron: Callable[..., Run], receiver: Receiver, tmp_path: Path
) -> None:
    receiver.replies = [Reply(401, b"who are you")]
    file = tmp_path / "summary.md"
    tick(gitcron, "2026-12-07T05:52:00Z", file)
    assert tick(gitcron, "2026-12-07T06:07:00Z", file).code == 1
    text = file.read_text("utf-8").split("## gitcron tick at ")[2]
    assert "· exit 1: needs attention" in text
    assert "| ✗ failed for good | 1 |" in text
    assert (
        "- ❌ error `schedules/customer-004/stock-event.yaml`: customer-004/stock-event: the run "
        "of 2026-12-07 06:00 UTC failed:" in text
    )
    assert "**Fix:** fix what the error says, then send it again with" in text
    assert "### Retries due" not in text


def test_without_the_variable_nothing_is_written(
    gitcron: Callable[..., Run], tmp_path: Path
) -> None:
    run = gitcron("run", "--at", "2026-12-07T05:52:00Z", env={"GITHUB_STEP_SUMMARY": None})
    assert run.code == 0
    assert list(tmp_path.glob("*.md")) == []


def test_a_summary_that_does_not_fit_is_cut_at_a_line_with_a_note(
    gitcron: Callable[..., Run], receiver: Receiver, tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    file.write_bytes(b"x" * (LIMIT - 1500) + b"\n")  # an earlier step left little room
    tick(gitcron, "2026-12-07T05:52:00Z", file)
    run = tick(gitcron, "2026-12-07T14:07:00Z", file)
    data = file.read_bytes()
    assert len(data) <= LIMIT
    added = data[LIMIT - 1500 + 1 :].decode("utf-8")  # whole characters: cut at a line
    assert added.startswith("## gitcron tick at 2026-12-07 05:52 UTC")
    assert "## gitcron tick at 2026-12-07 14:07 UTC" in added
    assert added.endswith(
        "did not fit, since a GitHub job summary holds 1,024 KiB. The tick's log has every "
        "record, and `gitcron history` lists them.\n"
    )
    assert "**Summary cut short**" in added
    assert run.code in (0, 1)


def test_a_full_summary_file_gets_nothing_and_a_warning(
    gitcron: Callable[..., Run], tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    file.write_bytes(b"x" * LIMIT)
    run = gitcron("run", "--at", "2026-12-07T05:52:00Z", env={"GITHUB_STEP_SUMMARY": str(file)})
    assert run.code == 0
    assert file.stat().st_size == LIMIT
    assert "GITHUB_STEP_SUMMARY is full (1 MiB): this tick's summary was not added" in run.err


def test_cutting_never_splits_a_character(tmp_path: Path) -> None:
    file = tmp_path / "summary.md"
    text = "".join(f"| ✓ row {n} with ünïcödé |\n" for n in range(2000))
    assert summary.append(file, text, limit=5000)
    data = file.read_bytes()
    assert len(data) <= 5000
    kept = data.decode("utf-8")  # raises if a character was split
    assert kept.splitlines()[-1].startswith("**Summary cut short**")
    assert all(line.endswith("|") for line in kept.splitlines()[:-2])


def test_a_trigger_appends_its_own_summary(
    gitcron: Callable[..., Run], receiver: Receiver, tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    assert gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV).code == 0
    env = {**ENV, "GITHUB_STEP_SUMMARY": str(file)}
    run = gitcron("--at", "2026-12-07T06:07:00Z", "trigger", "customer-004/stock-event", env=env)
    assert run.code == 1, run.both
    text = file.read_text("utf-8")
    assert text.startswith(
        "## gitcron trigger customer-004/stock-event at 2026-12-07 06:07 UTC\n\n"
        "**1 run (1 failed)** · exit 1: needs attention\n"
    ), text
    assert "| customer-004/stock-event | 2026-12-07 06:07 UTC |" in text
    assert r"busy \<b\>now\</b\> \| try &#64;later" in text


def test_a_dry_run_trigger_says_so_in_its_summary(
    gitcron: Callable[..., Run], tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    env = {**ENV, "GITHUB_STEP_SUMMARY": str(file)}
    args = ("--at", "2026-12-07T06:07:00Z", "trigger", "customer-004/products-every-6h")
    run = gitcron(*args, "--dry-run", env=env)
    assert run.code == 0, run.both
    text = file.read_text("utf-8")
    assert text.startswith(
        "## gitcron trigger customer-004/products-every-6h (dry run) at 2026-12-07 06:07 UTC"
    )
    assert "| ✓ succeeded | customer-004/products-every-6h |" in text


def test_the_commit_of_a_sharded_tick_appends_its_summary(
    gitcron: Callable[..., Run], tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    assert gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV).code == 0
    at = "2026-12-07T14:07:00Z"
    plan = gitcron("plan", "--at", at, "--shards", "2", "--format", "json", env=ENV)
    assert plan.code == 0, plan.both
    (tmp_path / "plan.json").write_text(plan.out, "utf-8")
    records = tmp_path / "records"
    ran = gitcron("run", "--runs", str(tmp_path / "plan.json"), "--shard", "0",
                  "--records-out", str(records), "--no-commit", env=ENV)  # fmt: skip
    assert ran.code in (0, 1), ran.both
    records.mkdir(exist_ok=True)
    env = {**ENV, "GITHUB_STEP_SUMMARY": str(file)}
    done = gitcron("--at", at, "commit", "--records", str(records), env=env)
    text = file.read_text("utf-8")
    assert text.startswith("## gitcron commit of a sharded tick at 2026-12-07 14:07 UTC\n\n")
    assert "| outcome | count |" in text
    shard_1 = plan.json()["shards"][1]
    assert shard_1  # shard 1 never reported: the summary names what is left for the next tick
    assert done.code == 1
    left = ", ".join(sorted(shard_1)).replace("@", "&#64;")
    assert f"planned run(s) have no record, left for the next tick: {left}." in text


def test_a_trigger_into_a_full_summary_file_warns_and_still_runs(
    gitcron: Callable[..., Run], tmp_path: Path
) -> None:
    file = tmp_path / "summary.md"
    file.write_bytes(b"x" * LIMIT)
    env = {**ENV, "GITHUB_STEP_SUMMARY": str(file)}
    args = ("--at", "2026-12-07T06:07:00Z", "trigger", "customer-004/products-every-6h")
    run = gitcron(*args, env=env)
    assert run.code == 0, run.both
    assert file.stat().st_size == LIMIT
    assert "GITHUB_STEP_SUMMARY is full (1 MiB): the trigger summary was not added" in run.err
