"""`gitcron state check|repair`: broken files named by line, restored from a real git HEAD."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitcron.state import Record, ScheduleState, StateStore, make_run_id
from support import Run, invoke, utc

GIT = ("git", "-c", "user.name=Test", "-c", "user.email=test@example.com")
GIT += ("-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")
TICK = "state/tick.json"
ACME = "state/schedules/acme.json"
GAMMA = "state/schedules/gamma.json"
DAY = "state/history/2026-11-22.jsonl"
HINT = (
    "  hint: restore the last committed version with `gitcron state repair` (or `git checkout --"
    " {0}`), or delete {0} to re-anchor its schedules from now"
)
TORN = b'{"run_id":"acme/weekly@2026-11-22T11:00:00Z","sched'


def git(root: Path, *args: str) -> str:
    done = subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True)
    return done.stdout.decode()


def state(root: Path, *args: str) -> Run:
    return invoke(["--repo", str(root), "state", *args])  # now: 2026-11-22T12:00:00Z


def write_state(root: Path) -> None:
    store = StateStore(root)
    store.save_tick(utc("2026-11-22T11:00:00"))
    seen = utc("2026-11-01T00:00:00")
    store.save_customer("acme", {"weekly": ScheduleState("f1", seen)})
    store.save_customer("beta", {"daily": ScheduleState("f2", seen)})
    fire = utc("2026-11-22T11:00:00")
    store.append_history(
        [Record(make_run_id("acme/weekly", fire), "acme/weekly", fire, "scheduled", "succeeded", 1,
                utc("2026-11-22T11:00:02"))]
    )  # fmt: skip


@pytest.fixture
def committed(empty_repo: Path) -> Path:
    """A git repo whose state is committed in HEAD."""
    write_state(empty_repo)
    git(empty_repo, "init", "-q")
    git(empty_repo, "add", "-A")
    git(empty_repo, "commit", "-q", "-m", "state")
    return empty_repo


def break_files(root: Path) -> dict[str, bytes]:
    """Truncate acme, add a trailing comma to the tick, add a broken uncommitted customer and a
    torn history line; the bytes each file had before."""
    before = {rel: (root / rel).read_bytes() for rel in (TICK, ACME, DAY)}
    (root / ACME).write_bytes(b"".join(before[ACME].splitlines(keepends=True)[:3]))
    (root / TICK).write_bytes(before[TICK].replace(b'Z"\n}', b'Z",\n}'))
    (root / GAMMA).write_bytes(b'{"format": 1, "schedules": {},}\n')
    (root / DAY).write_bytes(before[DAY] + TORN)
    return before


PROBLEMS = [
    f"{TICK}:3:38: corrupt state file: trailing comma before '}}' (JSON allows none)",
    HINT.format(TICK),
    f"{ACME}:4:1: corrupt state file: the file ends too early (truncated?): Expecting property"
    " name enclosed in double quotes",
    HINT.format(ACME),
    f"{GAMMA}:1:30: corrupt state file: trailing comma before '}}' (JSON allows none)",
    HINT.format(GAMMA),
    f"{DAY}:2: not a complete JSON line: Unterminated string starting at",
    f"  hint: readers skip this line; `gitcron state repair` moves it to {DAY}.rejected",
]


def test_check_repair_check(committed: Path) -> None:
    before = break_files(committed)
    checked = state(committed, "check")
    checked.assert_clean_failure(1)
    assert checked.out.splitlines() == [*PROBLEMS, "4 problems in 5 state files checked"]

    repaired = state(committed, "repair")
    assert (repaired.code, repaired.err) == (0, "")
    assert repaired.out.splitlines() == [
        PROBLEMS[0],
        "  restored the version committed in HEAD",
        PROBLEMS[2],
        "  restored the version committed in HEAD",
        PROBLEMS[4],
        f"  moved aside to {GAMMA}.corrupt-20261122T120000Z (git has no copy);"
        " its schedules re-anchor from now on the next tick",
        f"{DAY}: removed 1 unreadable line (2); kept it in {DAY}.rejected",
    ]
    assert {rel: (committed / rel).read_bytes() for rel in before} == before
    assert not (committed / GAMMA).exists()
    aside = committed / f"{GAMMA}.corrupt-20261122T120000Z"
    assert aside.read_bytes() == b'{"format": 1, "schedules": {},}\n'
    assert (committed / f"{DAY}.rejected").read_bytes() == TORN + b"\n"
    assert git(committed, "status", "--porcelain").splitlines() == [
        f"?? {DAY}.rejected",  # untracked, so `git status` shows them to a person
        f"?? {GAMMA}.corrupt-20261122T120000Z",
    ]

    again = state(committed, "check")
    assert (again.code, again.out) == (0, "state is fine: 4 files read\n")
    assert state(committed, "repair").out == "nothing to repair: every state file loads\n"


def test_dry_run_changes_nothing(committed: Path) -> None:
    break_files(committed)
    files = {
        p: p.read_bytes() for p in committed.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    run = state(committed, "repair", "--dry-run")
    assert run.code == 0
    assert run.out.splitlines()[1::2][:3] == [
        "  would restore the version committed in HEAD",
        "  would restore the version committed in HEAD",
        f"  would move it aside to {GAMMA}.corrupt-20261122T120000Z (git has no copy);"
        " its schedules re-anchor from now on the next tick",
    ]
    assert run.out.splitlines()[-1] == (
        f"{DAY}: would remove 1 unreadable line (2) and keep it in {DAY}.rejected"
    )
    after = {
        p: p.read_bytes() for p in committed.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert after == files


def test_outside_git_a_broken_file_is_moved_aside(empty_repo: Path) -> None:
    write_state(empty_repo)
    (empty_repo / TICK).write_bytes(b"")
    run = invoke(["state", "repair", "--repo", str(empty_repo), "--at", "2026-12-01T08:30:00Z"])
    assert run.out.splitlines() == [
        f"{TICK}:1:1: corrupt state file: the file is empty",
        f"  moved aside to {TICK}.corrupt-20261201T083000Z (git has no copy);"
        " the next tick writes a new one",
    ]
    assert (empty_repo / f"{TICK}.corrupt-20261201T083000Z").read_bytes() == b""
    assert state(empty_repo, "check").code == 0


def test_a_broken_head_is_not_restored(committed: Path) -> None:
    (committed / ACME).write_bytes(b'{"format": 1, "schedules": {"weekly": 3}}\n')
    git(committed, "commit", "-q", "-am", "a bad hand edit")
    run = state(committed, "repair")
    assert run.out.splitlines() == [
        f"{ACME}: schedules.weekly: expected an object, found 3",
        f"  moved aside to {ACME}.corrupt-20261122T120000Z (HEAD has no version of it that"
        " loads); its schedules re-anchor from now on the next tick",
    ]


def test_a_file_from_a_newer_gitcron_is_left_alone(committed: Path) -> None:
    newer = b'{"format": 99, "schedules": {}}\n'
    (committed / ACME).write_bytes(newer)
    checked = state(committed, "check")
    checked.assert_clean_failure(1)
    assert checked.out.startswith(f"{ACME}: written by a newer gitcron (state format 99;")
    run = state(committed, "repair")
    run.assert_clean_failure(1)
    assert (
        run.out.splitlines()[1] == "  left alone: a newer gitcron wrote it; upgrade gitcron instead"
    )
    assert (committed / ACME).read_bytes() == newer


def test_many_bad_history_lines_are_counted(empty_repo: Path) -> None:
    write_state(empty_repo)
    good = (empty_repo / DAY).read_bytes()
    bad = [b"oops", b"\xff\xfe not utf-8", b"{}", b"[1]", b"null", b'{"a"', b"x", b"y"]
    (empty_repo / DAY).write_bytes(good + b"\n".join(bad) + b"\n\n")
    run = state(empty_repo, "check")
    lines = run.out.splitlines()
    assert lines[0] == f"{DAY}:2: not a complete JSON line: Expecting value"
    assert lines[2] == f"{DAY}:3: not UTF-8 text"
    assert lines[4] == f"{DAY}:4: run_id: missing"
    assert lines[-2:] == [
        f"{DAY}: and 3 more unreadable lines",
        "8 problems in 4 state files checked",
    ]
    repaired = state(empty_repo, "repair")
    assert repaired.out == (
        f"{DAY}: removed 8 unreadable lines (2, 3, 4, 5, 6, ...); kept them in {DAY}.rejected\n"
    )
    assert (empty_repo / DAY).read_bytes() == good
    assert (empty_repo / f"{DAY}.rejected").read_bytes() == b"\n".join(bad) + b"\n"


def test_no_state_yet(empty_repo: Path) -> None:
    assert (state(empty_repo, "check").code, state(empty_repo, "check").out) == (
        0,
        "no state yet\n",
    )
