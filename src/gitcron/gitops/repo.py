"""The git steps of commit-back: which branch, stage and commit `state/`, push, fetch, reset.

Thin wrappers over `git` (run in the gitcron repo's folder, so `state` is a path relative to it).
A push reports rejection as a value, not an exception: the caller decides whether to replay.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gitcron.gitops import sparse
from gitcron.gitops.git import GitError, git

STATE = "state"
DEFAULT_NAME = "gitcron[bot]"
DEFAULT_EMAIL = "gitcron@users.noreply.github.com"


@dataclass(frozen=True)
class Upstream:
    """Where `--push` goes: the current branch, by name, on its upstream remote."""

    branch: str
    remote: str
    remote_branch: str

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.remote_branch}"


@dataclass(frozen=True)
class PushResult:
    ok: bool
    message: str  # git's last words when it refused


def upstream(root: Path) -> Upstream:
    """The current branch and its upstream; GitError says how to set one when there is none."""
    branch = _quiet(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if not branch:
        raise GitError(
            "HEAD is not on a branch (a detached checkout), so there is nowhere to push",
            "check out the branch by name (actions/checkout with ref: ${{ github.ref_name }})",
        )
    remote = _quiet(root, "config", f"branch.{branch}.remote")
    merge = _quiet(root, "config", f"branch.{branch}.merge")
    if not remote or not merge:
        raise GitError(
            f"branch '{branch}' has no upstream to push to",
            f"set one with: git branch --set-upstream-to=origin/{branch}",
        )
    return Upstream(branch, remote, merge.removeprefix("refs/heads/"))


def head(root: Path) -> str:
    return _text(git(root, "rev-parse", "HEAD"))


def commit_state(root: Path, message: str, env: Mapping[str, str]) -> bool:
    """Commit everything under state/ (and only it) as the bot; False when nothing changed."""
    sparse.keep_earlier_lines(root)  # a day file left out of the checkout keeps its lines
    git(root, "add", "--all", "--", STATE)
    if _run(root, "diff", "--cached", "--quiet", "--", STATE).returncode == 0:
        return False
    name = env.get("GITCRON_GIT_NAME") or DEFAULT_NAME
    email = env.get("GITCRON_GIT_EMAIL") or DEFAULT_EMAIL
    who = {f"GIT_{role}_{part}": value for role in ("AUTHOR", "COMMITTER")
           for part, value in (("NAME", name), ("EMAIL", email))}  # fmt: skip
    done = _run(root, "commit", "--quiet", "--no-verify", "-m", message, "--only", "--", STATE,
                extra=who)  # fmt: skip
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"`git commit` of state/ failed: {said[-1] if said else ''}",
                       "check that the folder is a git clone you can write to")  # fmt: skip
    return True


def push(root: Path, up: Upstream) -> PushResult:
    """Push HEAD to the upstream branch; never forced. A refusal is returned, not raised."""
    done = _run(root, "push", "--porcelain", up.remote, f"HEAD:refs/heads/{up.remote_branch}")
    if done.returncode == 0:
        return PushResult(True, "")
    return PushResult(False, refusal(done.stdout, done.stderr, done.returncode))


def refusal(stdout: bytes, stderr: bytes, code: int) -> str:
    """git's own reason for a refused push, from its porcelain status line and the remote's words.

    `git push --porcelain` ends with `Done` whatever happened; the reason is on the `!` line
    (`[rejected] (fetch first)`, `[remote rejected] (pre-receive hook declined)`), and a hook's
    or the server's explanation on the `remote:` lines of stderr.
    """
    out = stdout.decode("utf-8", "replace").splitlines()
    err = stderr.decode("utf-8", "replace").splitlines()
    status = [line.split("\t")[2] for line in out if line.startswith("!") and line.count("\t") >= 2]
    remote = [line[len("remote:") :].strip() for line in err if line.startswith("remote:")]
    errors = [line[len("error:") :].strip() for line in err if line.startswith("error:")]
    said = [*status, *[line for line in remote if line]] or errors[:1]
    if not said:
        return f"git push exited {code}"
    return "; ".join(said)[:500]


def fetch(root: Path, up: Upstream) -> str:
    """Fetch the upstream branch; the commit it points at now."""
    refspec = f"+refs/heads/{up.remote_branch}:{up.tracking}"
    git(root, "fetch", "--quiet", "--no-tags", up.remote, refspec)
    return _text(git(root, "rev-parse", up.tracking))


def tracked(root: Path, up: Upstream) -> str | None:
    """The commit the remote-tracking branch points at (before a fetch moves it), if any."""
    return _quiet(root, "rev-parse", "--verify", "--quiet", up.tracking) or None


def local_work(root: Path, since: str, fetched: str | None = None) -> list[str]:
    """Commits after `since` on HEAD that touch files outside state/: a reset must not drop them.

    A commit that came from the remote is not local work, even when the remote no longer has it
    (it was force-pushed): those reachable from `fetched`, where the remote-tracking branch
    pointed before the fetch, and a shallow clone's boundary commits, which hold every file
    as if added (actions/checkout clones one commit deep).
    """
    excluded = [f"^{fetched}"] if fetched else []
    out = git(root, "rev-list", f"{since}..HEAD", *excluded, "--", ".", f":(exclude){STATE}")
    boundary = set(shallow_commits(root))
    return [c for c in _text(out).split() if c not in boundary]


def shallow_commits(root: Path) -> list[str]:
    """A shallow clone's boundary commits (none in a full clone)."""
    path = _quiet(root, "rev-parse", "--git-path", "shallow")
    shallow = Path(path) if Path(path).is_absolute() else root / path
    try:
        return shallow.read_text(encoding="ascii").split()
    except OSError:
        return []


def reset_to(root: Path, commit: str) -> None:
    """Move the branch to `commit`, updating the files it changes; keeps unrelated local edits.

    `git reset --keep` refuses (and changes nothing) when a file the move would change has
    uncommitted edits, so a person's work in progress is never overwritten.
    """
    done = _run(root, "reset", "--quiet", "--keep", commit)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(
            f"cannot move to the remote's commit {commit[:12]}: {said[-1] if said else ''}",
            "commit or stash your local edits to files the remote changed, then run again",
        )


def _run(
    root: Path, *args: str, extra: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(extra or {})}
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False, env=env)


def _quiet(root: Path, *args: str) -> str:
    """A git answer that may be missing (no branch, no such config): '' then."""
    done = _run(root, *args)
    return _text(done.stdout) if done.returncode == 0 else ""


def _text(output: bytes) -> str:
    return output.decode("utf-8", "replace").strip()
