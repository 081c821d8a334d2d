"""Cron fields at the edges of the grammar, through the CLI on a copy of the example repo.

- A one-value range with a step (`0-0/15`) is that one value, as in Debian cron: `next`, the
  validator and the pull-request preview all say 09:00, not every 15 minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from support import REPO, Run, invoke, variant

FILE = "schedules/acme/test.yaml"
DAILY = 'daily: { at: "08:00" }'  # line 4 of GOOD; the cron value starts at column 9


def write(repo: Path, text: str, rel: str = FILE) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


QUARTER = variant(DAILY, 'cron: "0-0/15 9 * * *"')


def test_one_value_range_with_a_step_runs_once(repo: Path, gitcron: Callable[..., Run]) -> None:
    write(repo, QUARTER)
    run = gitcron("next", "acme/test", "-n", "3", "--format", "json")
    assert run.code == 0, run.both
    assert run.json()["runs"] == [  # Debian cron: 0-0/15 is minute 0 only
        "2026-11-23T09:00:00+00:00",
        "2026-11-24T09:00:00+00:00",
        "2026-11-25T09:00:00+00:00",
    ]
    checked = gitcron("validate")
    assert checked.code == 0, checked.both
    (warning,) = checked.headlines()
    assert (warning.line, warning.col, warning.severity) == (4, 9, "warning")
    assert "'0-0/15' in the minute field means only 0" in warning.rest


def test_the_preview_words_a_one_value_range_as_one_time(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    git_env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **{f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
           for what, value in (("NAME", "Test"), ("EMAIL", "test@example.com"))},
    }  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=root, env=git_env, check=True, capture_output=True)
    write(root, QUARTER)
    run = invoke(["--repo", str(root), "preview", "--base", "main"])
    assert run.code == 0, run.both
    assert "- **When:** at 09:00 (cron `0-0/15 9 * * *`), Europe/London" in run.out
