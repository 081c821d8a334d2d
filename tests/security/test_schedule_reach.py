"""A merged schedule reaches only what engineers granted it.

Two ways a schedule's author reached further, each tried here as they would try it:
  - a symbolic link under schedules/ to a file on the runner: validate read it and echoed its
    text (a token) into annotations anyone can read on the pull request; a pipe hung validate;
  - a storage delivery aimed at state/: the tick wrote files there, which it then commits.
Pipes are tested in a child process with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gitcron
from gitcron.state.history import parse_line
from support import GOOD, NOW, invoke

TOKEN = "ghp_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St"  # a fake GitHub token, shaped like one
SRC = Path(gitcron.__file__).resolve().parents[1]  # the code under test, for the child too
SECONDS = 30  # validate of a handful of files takes about a second


def child(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`gitcron --repo ROOT ARGS` in a fresh interpreter, killed after SECONDS."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SRC), "GITCRON_NOW": NOW}
    return subprocess.run(
        [sys.executable, "-m", "gitcron", "--repo", str(root), *args],
        env={**env, "HOME": str(root)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_validate_never_reads_what_a_link_points_to(
    empty_repo: Path, tmp_path: Path, fmt: str
) -> None:
    secret = tmp_path / "runner-secrets.yaml"
    secret.write_text(f"owner: '{TOKEN}'\n")
    (empty_repo / "schedules/x").mkdir()
    os.symlink(secret, empty_repo / "schedules/x/creds.yaml")

    run = invoke(["--repo", str(empty_repo), "validate", "--format", fmt])

    assert run.code == 1
    assert TOKEN not in run.both
    assert "ghp_" not in run.both
    assert "owner" not in run.both
    assert "schedules/x/creds.yaml is a symbolic link" in run.out


def test_validate_finishes_on_a_pipe_and_names_it(empty_repo: Path) -> None:
    (empty_repo / "schedules/x").mkdir()
    (empty_repo / "schedules/x/ok.yaml").write_text(GOOD)
    os.mkfifo(empty_repo / "schedules/x/creds.yaml")

    done = child(empty_repo, "validate")

    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "schedules/x/creds.yaml: error: schedules/x/creds.yaml is a named pipe (FIFO);"
        " gitcron reads only regular files"
    ) in done.stdout
    assert "1 error, 0 warnings in 1 of 2 schedule files." in done.stdout


def test_validate_finishes_on_a_pipe_named_gitcron_yaml(empty_repo: Path) -> None:
    (empty_repo / "gitcron.yaml").unlink()
    os.mkfifo(empty_repo / "gitcron.yaml")
    done = child(empty_repo, "validate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gitcron.yaml is a named pipe (FIFO)" in done.stdout


def test_the_tick_finishes_on_a_pipe_and_runs_the_rest(repo: Path) -> None:
    os.mkfifo(repo / "schedules/customer-001/pipe.yaml")
    done = child(repo, "run", "--at", "2026-12-07T05:52:00Z")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "schedules/customer-001/pipe.yaml" in done.stdout
    assert "state: " in done.stdout  # the tick got to the end and recorded its state


# The next day's history file, planted by a storage delivery: the tick would commit it, and the
# day after, read 100 lines of CSV as its history.
PLANT = GOOD + '  - storage: { path: state/history, key: "2026-11-24.jsonl" }\n'


def test_a_schedule_cannot_plant_files_in_the_ticks_state(empty_repo: Path) -> None:
    (empty_repo / "schedules/acme").mkdir()
    (empty_repo / "schedules/acme/daily.yaml").write_text(GOOD)
    (empty_repo / "schedules/acme/plant.yaml").write_text(PLANT)

    checked = invoke(["--repo", str(empty_repo), "validate"])
    assert checked.code == 1
    [problem] = checked.headlines()
    assert (problem.file, problem.line) == ("schedules/acme/plant.yaml", 12)
    assert "storage path 'state/history' is inside state/" in problem.rest
    for at in ("2026-11-23T07:52:00Z", "2026-11-23T08:07:00Z"):  # the first tick, then 08:00's
        invoke(["--repo", str(empty_repo), "run", "--at", at])

    history = empty_repo / "state/history"
    assert sorted(p.name for p in history.iterdir()) == ["2026-11-23.jsonl"]  # the tick's own
    for line in (history / "2026-11-23.jsonl").read_text().splitlines():
        assert parse_line(line, "history").schedule == "acme/daily"
