"""The quiet tick as the tick workflow runs it: `gitcron run --commit --push` on a fresh sparse
checkout of a real origin, with the cache folder carried from the previous tick's runner.

Two origins tick at the same instants, one with the quiet path off (`GITCRON_QUIET=0`): every
tick prints the same, exits the same and pushes the same commit (message and state), and the
quiet ones among them open and keep the history days as a full tick does.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import yaml

from cli.hook_repo import ENV, point_webhook_at
from gitcron.engine import quiet
from gitops.gitrepo import env, git, seed_origin, state_files
from support import REPO

FIRST = "2026-11-23T03:00:00Z"
# Nothing is due until customer-004's 06:00 fires. Its webhook's receiver refuses, so the run's
# retries follow (backoff 5m, doubling): quiet ticks come between them, with a retry pending,
# until the last one fails for good (exit 1, the same on both paths).
INSTANTS = (
    "2026-11-23T03:15:00Z",
    "2026-11-23T03:30:00Z",
    "2026-11-23T05:59:59Z",
    "2026-11-23T06:00:00Z",
    "2026-11-23T06:04:00Z",
    "2026-11-23T06:10:00Z",
    "2026-11-23T06:40:00Z",
    "2026-11-23T06:55:00Z",
    "2026-11-23T06:58:00Z",
    "2026-11-23T07:10:00Z",
)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _origin(tmp: Path, port: int) -> Path:
    seed = tmp / "seed"
    seed.mkdir(parents=True)
    shutil.copy(REPO / "gitcron.yaml", seed / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", seed / "schedules")
    (seed / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    (seed / ".gitattributes").write_text("state/history/*.jsonl merge=union\n")
    point_webhook_at(seed, port)
    origin = seed_origin(tmp, seed, None)
    git(origin, "config", "uploadpack.allowFilter", "true")
    return origin


def _checkout(origin: Path, dest: Path) -> Path:
    """A checkout as tick.yml's makes it: blobless, without state/history/."""
    flow = yaml.safe_load((REPO / ".github/workflows/tick.yml").read_text())
    steps = flow["jobs"]["tick"]["steps"]
    step = next(s["with"] for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    git(origin.parent, "clone", "-q", f"--filter={step['filter']}", "--no-checkout",
        f"file://{origin}", str(dest))  # fmt: skip
    git(dest, "sparse-checkout", "set", "--no-cone", *step["sparse-checkout"].split())
    git(dest, "checkout", "-q", "main")
    return dest


def _tick(
    origin: Path, work: Path, cache: Path, at: str, extra: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], bool]:
    """One runner: check out, restore the cache, tick and push, save the cache."""
    _checkout(origin, work)
    if cache.exists():
        shutil.copytree(cache, work / ".gitcron-cache")
    variables = {**env(work), **{k: v for k, v in ENV.items() if v}, **extra}
    done = subprocess.run(
        [sys.executable, "-m", "gitcron", "--repo", str(work), "run", "--at", at, "--commit",
         "--push"],
        capture_output=True, text=True, env=variables, timeout=120, check=False,
    )  # fmt: skip
    record = quiet.read(work)
    shutil.rmtree(cache, ignore_errors=True)
    if (work / ".gitcron-cache").exists():
        shutil.copytree(work / ".gitcron-cache", cache)
    quiet_path = record is not None and record.at.isoformat() != at.replace("Z", "+00:00")
    return done, quiet_path


def _pushed(origin: Path, tmp: Path) -> tuple[str, dict[str, bytes]]:
    look = tmp / "look"
    shutil.rmtree(look, ignore_errors=True)
    git(origin.parent, "clone", "-q", str(origin), str(look))
    return git(look, "log", "-1", "--format=%s", "--name-only"), state_files(look)


def test_tick_workflow_ticks_push_the_same_with_and_without_the_quiet_path(
    tmp_path: Path,
) -> None:
    port = _closed_port()
    origins = {name: _origin(tmp_path / name, port) for name in ("quiet", "full")}
    switch = {"quiet": {}, "full": {"GITCRON_QUIET": "0"}}
    quiet_ticks = []
    for n, at in enumerate((FIRST, *INSTANTS)):
        said = {}
        for name, origin in origins.items():
            base = tmp_path / name
            done, was_quiet = _tick(origin, base / f"tick-{n}", base / "cache", at, switch[name])
            said[name] = (done.returncode, done.stdout, done.stderr, _pushed(origin, base))
            if name == "quiet" and was_quiet:
                quiet_ticks.append(at)
        assert said["quiet"] == said["full"], at
    assert quiet_ticks == ["2026-11-23T03:30:00Z", "2026-11-23T05:59:59Z", "2026-11-23T06:58:00Z"]
