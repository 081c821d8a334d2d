"""`gitcron history-archive` through the CLI, and `gitcron history` over an archived period.

A period archived to a local folder is read from its archive; one archived to a bucket is
named, with where it is, never silently left out.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from gitcron.state import ScheduleState, StateStore, iter_records
from gitcron.state.archive import months_before, note_archived, pack
from gitcron.state.summaries import Summary, folded
from gitops.gitrepo import env, git
from gitops.test_history_archive import make_repo
from support import Run, invoke, utc

AT = "2026-05-10T12:00:00Z"


def gitcron(root: Path, *args: str) -> Run:
    return invoke(["--repo", str(root), *args, "--at", AT], {"HOME": env(root)["HOME"]})


def test_archive_then_read_the_archived_period_from_the_local_archive(tmp_path: Path) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "user.name", "Test")
    before = gitcron(root, "history", "acme/r3", "--since", "2026-02-26", "--format", "json")
    run = gitcron(root, "history-archive", "--before", "2026-03")
    assert run.code == 0, run.both
    assert "history-2026-02.jsonl.gz: 28 day(s), 56 line(s)" in run.out
    assert "archived 2 month(s); 40 day file(s) removed from state/history/" in run.out
    after = gitcron(root, "history", "acme/r3", "--since", "2026-02-26", "--format", "json")
    assert (after.code, after.err) == (0, "")
    assert after.json() == before.json()  # Feb 26 to 28 now come from the archive
    assert [r["started"][:10] for r in after.json()][:4] == [
        "2026-02-26",
        "2026-02-27",
        "2026-02-28",
        "2026-03-01",
    ]
    stats = gitcron(root, "history", "--stats", "--since", "2026-01-01", "--format", "json")
    assert {s["schedule"]: s["runs"] for s in stats.json()} == {"acme/r3": 110, "acme/r9": 110}


def test_a_period_archived_to_a_bucket_is_named_with_where_it_is(tmp_path: Path) -> None:
    root = make_repo(tmp_path, "s3://ourco-gitcron/history", ["exports"])
    months = months_before(root, date(2026, 3, 1))
    note_archived(root, [(pack(m, d), f"s3://ourco-gitcron/history/history-{m:%Y-%m}.jsonl.gz")
                         for m, d in months.items()])  # fmt: skip
    for days in months.values():
        for path in days:
            path.unlink()
    run = gitcron(root, "history", "acme/r9", "--since", "2026-02-20", "--format", "json")
    assert run.code == 0
    assert json.loads(run.out)[0]["started"].startswith("2026-03-01")
    assert run.err.splitlines() == [
        "gitcron: warning: history of 2026-02 is archived (gitcron history-archive) and not read"
        " here; it is at:",
        "  s3://ourco-gitcron/history/history-2026-02.jsonl.gz (56 lines)",
        "  hint: read one with `zcat FILE | grep ID` (state/archive.json lists them)",
    ]


def test_an_undeclared_target_and_a_bad_month_are_refused(tmp_path: Path) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    other = gitcron(root, "history-archive", "--to", "s3://somewhere-else/history")
    assert other.code == 1
    lines = (root / "gitcron.yaml").read_text().splitlines()
    to = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("to: file://"))
    said = f"--to s3://somewhere-else/history: not the archive target gitcron.yaml:{to} declares"
    assert said in other.err
    assert "hint:" in other.err
    bad = gitcron(root, "history-archive", "--before", "2026-13")
    assert bad.code == 2
    assert "--before 2026-13: not a month" in bad.err
    assert not store.exists()


def test_the_newest_records_reach_into_an_archived_month(tmp_path: Path) -> None:
    """A schedule's summary names the days of its newest records; archived ones are read from
    the archive, not left out of the listing."""
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    state = ScheduleState("f" * 16, utc("2026-01-01T00:00"), summary=Summary())
    for found in iter_records(root, schedule="acme/r3"):
        state = folded(state, found)
    StateStore(root).save_customer("acme", {"r3": state})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "state")
    before = gitcron(root, "history", "acme/r3", "--format", "json", "--limit", "20")
    assert gitcron(root, "history-archive", "--before", "2026-05").code == 0
    after = gitcron(root, "history", "acme/r3", "--format", "json", "--limit", "20")
    assert (after.code, after.err) == (0, "")
    assert after.json() == before.json()
    assert after.json()[0]["started"].startswith("2026-04-20")  # 11 of the 20 are archived


def test_stats_of_a_summary_that_started_late_count_the_archived_runs(tmp_path: Path) -> None:
    """A summary from an older release counts from `since`; the runs before it are in the
    archive now, and --stats still counts them."""
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    state = ScheduleState("f" * 16, utc("2026-01-01T00:00"), summary=Summary())
    for found in iter_records(root, schedule="acme/r3"):
        if found.day >= date(2026, 2, 15):
            state = folded(state, found)
    assert state.summary is not None
    state = replace(state, summary=replace(state.summary, since=utc("2026-02-15T00:00")))
    StateStore(root).save_customer("acme", {"r3": state})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "state")
    assert gitcron(root, "history-archive", "--before", "2026-03").code == 0
    stats = gitcron(root, "history", "acme/r3", "--stats", "--format", "json")
    assert [s["runs"] for s in stats.json()] == [110]  # Jan 20 to May 9, 40 days archived
