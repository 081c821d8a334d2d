"""`gitcron history-archive` against real git and real storage: a folder root and S3 (moto).

Old months leave the tree only once their archive is stored, read back and checked; the archive
holds the day files' lines byte for byte; an undeclared target is refused; a rerun is a no-op;
a crash between storing and removing leaves history whole and a rerun finishes.
"""

from __future__ import annotations

import gzip
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.gitops.archive import archive, default_before
from gitcron.state.archive import read_manifest
from gitcron.state.history import HISTORY_DIR, day_files
from gitcron.state.store import StateStore
from gitops.gitrepo import command, env, git
from support import REPO, record, utc

NOW = utc("2026-05-10T12:00")
FIRST, LAST = date(2026, 1, 20), date(2026, 5, 9)  # Jan 20 .. May 9: four months and a bit
YAML = (REPO / "gitcron.yaml").read_text()


def days() -> list[date]:
    return [FIRST + timedelta(n) for n in range((LAST - FIRST).days + 1)]


def make_repo(tmp: Path, archive_to: str | None, roots: list[str]) -> Path:
    """A git repo with the example settings, history on every day from FIRST to LAST."""
    root = tmp / "repo"
    (root / "schedules").mkdir(parents=True)
    data = yaml.safe_load(YAML)
    data["channels"]["storage"] = {"roots": roots}
    if archive_to is not None:
        data["history"] = {"keep_months": 13, "archive": {"to": archive_to, "after_months": 2}}
    (root / "gitcron.yaml").write_text(yaml.safe_dump(data))
    store = StateStore(root)
    for day in days():
        for hour in (3, 9):
            at = f"{day.isoformat()}T{hour:02d}:00"
            store.append_history([record(at, at + ":04", schedule=f"acme/r{hour}")])
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "history")
    return root


def settings(root: Path) -> Settings:
    return Settings.model_validate(yaml.safe_load((root / "gitcron.yaml").read_text()))


def tracked_days(root: Path) -> list[str]:
    return git(root, "ls-files", HISTORY_DIR).split()


def run_archive(root: Path, before: date = date(2026, 3, 1), to: str | None = None) -> object:
    return archive(root, settings(root), before, NOW, env(root), to, True, lambda _: None)


def test_old_months_go_to_a_local_root_whole_and_leave_the_tree(tmp_path: Path) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}/history", ["exports", str(store)])
    before = {d: p.read_bytes() for d, p in day_files(root)}
    run_archive(root)
    jan = store / "history/history-2026-01.jsonl.gz"
    feb = store / "history/history-2026-02.jsonl.gz"
    assert sorted(p.name for p in (store / "history").iterdir()) == [jan.name, feb.name]
    january = b"".join(raw for d, raw in before.items() if d.month == 1)
    assert gzip.decompress(jan.read_bytes()) == january  # the lines, byte for byte
    assert gzip.decompress(feb.read_bytes()).count(b"\n") == 28 * 2
    left = tracked_days(root)
    assert left[0] == f"{HISTORY_DIR}/2026-03-01.jsonl"
    assert len(left) == len([d for d in days() if d >= date(2026, 3, 1)])
    assert git(root, "status", "--porcelain") == ""  # removed and committed, nothing left over
    assert "archived" in git(root, "log", "-1", "--format=%s")
    shown = git(root, "show", "--stat", "--format=", "HEAD")
    assert "state/archive.json" in shown
    assert "2026-03-01" not in shown  # archiving deletes whole days and rewrites none
    months = read_manifest(root)
    assert [(m.month, m.days, m.lines) for m in months] == [
        ("2026-01", 12, 24),
        ("2026-02", 28, 56),
    ]
    assert months[0].where == f"{store}/history/history-2026-01.jsonl.gz"


def test_a_rerun_that_finds_nothing_to_archive_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    run_archive(root)
    head = git(root, "rev-parse", "HEAD")
    said: list[str] = []
    done = archive(root, settings(root), date(2026, 3, 1), NOW, env(root), None, True, said.append)
    assert (done.months, done.removed, done.committed) == ([], [], False)
    assert said == ["nothing to archive: no history before 2026-03 in state/history/"]
    assert git(root, "rev-parse", "HEAD") == head


@pytest.mark.parametrize(
    ("declared", "given", "message"),
    [
        (None, None, "history.archive is not declared"),
        ("file://{store}", "file:///tmp/elsewhere", r"not the archive target gitcron\.yaml:\d+ "),
        ("file://{outside}", None, r"gitcron\.yaml:\d+: history\.archive\.to: .* outside the"),
    ],
)
def test_a_target_engineers_did_not_declare_is_refused(
    tmp_path: Path, declared: str | None, given: str | None, message: str
) -> None:
    store, outside = tmp_path / "archive", tmp_path / "outside"
    to = None if declared is None else declared.format(store=store, outside=outside)
    root = make_repo(tmp_path, to, ["exports", str(store)])
    with pytest.raises(GitcronError, match=message):
        run_archive(root, to=given)
    assert not outside.exists()
    assert len(tracked_days(root)) == len(days())
    assert git(root, "status", "--porcelain") == ""


def test_the_default_month_keeps_after_months_whole_months_and_this_one(tmp_path: Path) -> None:
    root = make_repo(tmp_path, "s3://b/h", ["exports"])  # after_months: 2
    assert default_before(settings(root), date(2026, 5, 10)) == date(2026, 3, 1)
    assert default_before(settings(root), date(2026, 1, 31)) == date(2025, 11, 1)


def test_a_month_not_over_yet_is_not_archived(tmp_path: Path) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    with pytest.raises(GitcronError, match="has not begun"):
        run_archive(root, before=date(2026, 6, 1))


def test_a_crash_between_storing_and_removing_leaves_history_and_a_rerun_finishes(
    tmp_path: Path,
) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    args = ["history-archive", "--before", "2026-03", "--at", "2026-05-10T12:00:00Z"]
    killed = subprocess.run(
        command(root, *args),
        capture_output=True,
        text=True,
        env={**env(root), "GITCRON_TEST_KILL_AT": "after-archive-write"},
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    assert (store / "history-2026-02.jsonl.gz").is_file()  # stored ...
    assert len(tracked_days(root)) == len(days())  # ... and every day still here, unchanged
    assert git(root, "status", "--porcelain") == ""
    again = subprocess.run(
        command(root, *args), capture_output=True, text=True, env=env(root), timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert "archived 2 month(s); 40 day file(s) removed" in again.stdout
    assert tracked_days(root)[0].endswith("2026-03-01.jsonl")
    assert git(root, "status", "--porcelain") == ""


def test_a_different_archive_under_the_name_stops_before_anything_is_removed(
    tmp_path: Path,
) -> None:
    store = tmp_path / "archive"
    root = make_repo(tmp_path, f"file://{store}", [str(store)])
    store.mkdir()
    (store / "history-2026-01.jsonl.gz").write_bytes(gzip.compress(b'{"other": 1}\n'))
    with pytest.raises(GitcronError, match=r"history-2026-01\.jsonl\.gz could not be archived"):
        run_archive(root)
    assert len(tracked_days(root)) == len(days())
    assert not (root / "state/archive.json").exists()


def test_a_sparse_checkout_fetches_the_days_and_a_refused_push_archives_again_on_top(
    tmp_path: Path,
) -> None:
    """As tick.yml checks out (blob:none, no state/history/), while another tick pushes first."""
    from gitops.test_sparse_history import sparse_clone

    store = tmp_path / "archive"
    seed = make_repo(tmp_path, f"file://{store}", [str(store)])
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    git(origin, "config", "uploadpack.allowFilter", "true")
    work = sparse_clone(origin, tmp_path / "work")
    assert not (work / HISTORY_DIR).exists()
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(origin), str(other))
    StateStore(other).append_history([record("2026-05-10T03:00", "2026-05-10T03:00:04")])
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "gitcron: a tick")
    git(other, "push", "-q", "origin", "HEAD:main")  # origin moved on: the first push is refused

    args = ["history-archive", "--before", "2026-03", "--push", "--at", "2026-05-10T12:00:00Z"]
    done = subprocess.run(command(work, *args), capture_output=True, text=True, env=env(work))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "push 1/10 refused" in done.stdout
    pushed = tmp_path / "pushed"
    git(tmp_path, "clone", "-q", str(origin), str(pushed))
    left = tracked_days(pushed)
    assert left[0].endswith("2026-03-01.jsonl")
    assert left[-1].endswith("2026-05-10.jsonl")  # the other tick's day is there too
    assert [m.month for m in read_manifest(pushed)] == ["2026-01", "2026-02"]
    assert gzip.decompress((store / "history-2026-01.jsonl.gz").read_bytes()).count(b"\n") == 24
