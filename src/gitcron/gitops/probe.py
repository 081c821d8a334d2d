"""Questions `gitcron doctor` asks git before the first tick: can this branch be pushed, is a
path ignored. Each answers with git's own last words, never raises for git's refusal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gitcron.gitops.git import GitError
from gitcron.gitops.repo import upstream


def push_refusal(root: Path) -> str | None:
    """Why `git push --dry-run` of HEAD to the branch's upstream fails; None when it would work.

    GitError (with its hint) when there is nothing to push to: no repository, no branch, no
    upstream."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside[0] != 0:
        raise GitError(
            "this folder is not a git clone, so the tick cannot commit state/ back",
            "run gitcron in a clone of the repository (actions/checkout does this on Actions)",
        )
    up = upstream(root)
    code, said = _git(root, "push", "--dry-run", up.remote, f"HEAD:refs/heads/{up.remote_branch}")
    text = "\n".join(said)
    if code == 0 or "fetch first" in text or "non-fast-forward" in text:
        return None  # a remote with newer commits: the tick fetches and replays onto them
    telling = [line for line in said if line.startswith(("fatal:", "error:", " ! ", "remote:"))]
    return (telling or said or [f"git push --dry-run exited {code}"])[0].strip()


def ignored(root: Path, path: str) -> bool:
    """Whether git ignores `path` (relative to `root`)."""
    return _git(root, "check-ignore", "-q", path)[0] == 0


def _git(root: Path, *args: str) -> tuple[int, list[str]]:
    try:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}  # a missing login fails, never asks
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False, env=env)
    except FileNotFoundError:
        raise GitError("git is not installed", "install git and run gitcron again") from None
    return done.returncode, done.stderr.decode("utf-8", "replace").strip().splitlines()
