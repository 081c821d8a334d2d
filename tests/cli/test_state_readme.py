"""The repository ships state/README.md: the first tick still only anchors, and state check and
history read past it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from support import REPO, Run

FIRST = "2026-12-07T05:52:00Z"
LATER = "2026-12-07T14:07:00Z"


def shipped_state() -> list[str]:
    """What the repository ships under state/: git's files when this is a checkout (the README's
    first command ticks here and writes state beside them), else the folder as it is."""
    if not (REPO / ".git").exists():
        return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "state").rglob("*"))
    listed = ["git", "-C", str(REPO), "ls-files", "--", "state"]
    return sorted(subprocess.run(listed, check=True, capture_output=True, text=True).stdout.split())


def test_the_shipped_state_folder_holds_only_its_readme() -> None:
    assert shipped_state() == ["state/README.md"]
    text = (REPO / "state" / "README.md").read_text()
    assert "Never edit anything here by hand" in text


def test_first_tick_with_the_readme_only_anchors(repo: Path, gitcron: Callable[..., Run]) -> None:
    (repo / "state").mkdir()
    for name in shipped_state():
        shutil.copy(REPO / name, repo / name)
    first = gitcron("run", "--at", FIRST)
    assert first.code == 0, first.both
    assert "first tick of this repository: nothing runs" in first.out
    assert not (repo / "state" / "history").exists()
    assert (repo / "state" / "README.md").read_bytes() == (REPO / "state/README.md").read_bytes()
    later = gitcron("run", "--at", LATER)
    assert later.code == 0, later.both
    assert (repo / "state" / "history").is_dir()
    check = gitcron("state", "check", "--at", LATER)
    assert (check.code, check.out.splitlines()[-1]) == (0, "state is fine: 6 files read")
    assert gitcron("history", "--stats").code == 0
