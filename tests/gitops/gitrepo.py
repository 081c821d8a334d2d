"""Real git for the commit-back tests: a bare origin, clones of it, gitcron run in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gitcron.state import Record, iter_records
from support import REPO

FIRST = "2026-12-07T05:52:00Z"  # the repo's first tick: anchors every schedule
TICK = "2026-12-07T14:07:00Z"  # then 4 runs, 2 missed (tests/engine/test_tick.py)
VOLATILE = ("duration_ms",)


def env(home: Path) -> dict[str, str]:
    """A clean environment: no user git config, no SMTP (mail goes to the outbox).

    PYTHONPATH is kept: `python -m gitcron` then runs the gitcron under test, not another install.
    """
    kept = {k: v for k, v in os.environ.items() if k == "PYTHONPATH"}
    return {
        **kept,
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }


def git(path: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=path, capture_output=True, text=True, env=env(path), check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def origin_with_examples(tmp: Path, first_tick: str | None = FIRST) -> Path:
    """A bare origin holding the repo's examples (and their first tick, pushed)."""
    seed = tmp / "seed"
    seed.mkdir()
    shutil.copy(REPO / "gitcron.yaml", seed / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", seed / "schedules")
    (seed / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    (seed / ".gitattributes").write_text("state/history/*.jsonl merge=union\n")
    return seed_origin(tmp, seed, first_tick)


def seed_origin(tmp: Path, seed: Path, first_tick: str | None) -> Path:
    """Commit `seed`, make it the bare origin, and run the first tick from a clone of it."""
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "examples")
    origin = tmp / "origin.git"
    git(tmp, "clone", "-q", "--bare", str(seed), str(origin))
    if first_tick is not None:
        first = clone(origin, tmp / "first")
        done = gitcron(first, "run", "--at", first_tick, "--push")
        assert done.returncode == 0, done.stdout + done.stderr
    return origin


def clone(origin: Path, dest: Path) -> Path:
    git(origin.parent, "clone", "-q", str(origin), str(dest))
    return dest


def shallow(origin: Path, dest: Path) -> Path:
    """A clone as actions/checkout makes it: one commit deep, on the branch, with upstream."""
    git(origin.parent, "clone", "-q", "--depth", "1", "--branch", "main",
        f"file://{origin}", str(dest))  # fmt: skip
    return dest


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "gitcron", "--repo", str(root), *args]


def gitcron(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(root, *args), capture_output=True, text=True, env=env(root), timeout=120
    )


def popen(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(root, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env(root),
    )


def fresh(origin: Path, tmp: Path, name: str = "check") -> Path:
    """A new clone of origin as it is now, to read what was pushed."""
    dest = tmp / name
    if dest.exists():
        shutil.rmtree(dest)
    return clone(origin, dest)


def records(root: Path) -> list[Record]:
    return list(iter_records(root))


def comparable(found: list[Record]) -> list[tuple[object, ...]]:
    """Records as sortable tuples, without the fields that differ between equal runs."""
    from dataclasses import asdict

    rows = []
    for r in found:
        data = {k: v for k, v in asdict(r).items() if k not in VOLATILE}
        rows.append(tuple(sorted((k, repr(v)) for k, v in data.items())))
    return sorted(rows)


def state_files(root: Path) -> dict[str, bytes]:
    """tick.json and every customer file: what must equal the sequential result (a summary's
    durations are measured, like a record's, so they are left out of the comparison)."""
    folder = root / "state"
    return {
        p.relative_to(root).as_posix(): _without_durations(p.read_bytes())
        for p in sorted(folder.rglob("*.json"))
        if p.is_file()
    }


def _without_durations(raw: bytes) -> bytes:
    import json

    data = json.loads(raw)
    for state in (data.get("schedules") or {}).values():
        summary = state.get("summary") if isinstance(state, dict) else None
        if isinstance(summary, dict):
            summary.pop("duration_ms", None)
            summary.pop("durations", None)
    return json.dumps(data, indent=2, sort_keys=True).encode()


def ran_fires(found: list[Record]) -> list[str]:
    return sorted(r.run_id for r in found if r.status == "succeeded")
