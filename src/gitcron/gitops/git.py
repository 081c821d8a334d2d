"""A few read-only git questions the preview asks: which commit, which files, what they held.

Every helper runs `git` in the repo's folder; paths in and out are relative to that folder (the
gitcron repo may sit in a subfolder of the git work tree), with forward slashes.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from gitcron.errors import GitcronError


class GitError(GitcronError):
    """A git command failed; the message names the command and what git said."""


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run `git args` in `root` and return its output; GitError when git fails or is missing."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed", "install git and run gitcron again") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(
            f"`git {' '.join(args)}` failed in {root}: {said[-1] if said else 'no message'}",
            "check that the folder is a git clone and the revision exists",
        )
    return done.stdout


def is_sparse(root: Path) -> bool:
    """Whether `root`'s checkout leaves some files out (core.sparseCheckout); a folder that is
    not a git checkout leaves nothing out."""
    try:
        out = git(root, "config", "--bool", "--default", "false", "core.sparseCheckout")
    except GitError:
        return False
    return out.decode().strip() == "true"


def merge_base(root: Path, ref: str) -> str:
    """The commit where HEAD's branch left `ref`: a PR's changes are measured from there."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(
            f"'{ref}' is not a branch, tag or commit in {root}",
            "fetch it first (git fetch origin, or actions/checkout with fetch-depth: 0)",
        ) from None
    try:
        return git(root, "merge-base", ref, "HEAD").decode().strip()
    except GitError:
        raise GitError(
            f"'{ref}' and HEAD share no history in {root}",
            "a shallow clone hides it: fetch the whole history (fetch-depth: 0)",
        ) from None


def _prefix(root: Path) -> str:
    """Where `root` sits inside the work tree ('' at the top, else 'sub/dir/')."""
    return git(root, "rev-parse", "--show-prefix").decode().strip()


def _split(output: bytes) -> list[str]:
    return [part for part in output.decode("utf-8", "surrogateescape").split("\0") if part]


def changed_paths(root: Path, commit: str, pathspecs: Sequence[str]) -> list[str]:
    """Files under `pathspecs` that differ between `commit` and the work tree (untracked too)."""
    diff = git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--",
               *pathspecs)  # fmt: skip
    untracked = git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *pathspecs)
    return sorted(set(_split(diff)) | set(_split(untracked)))


def tree_paths(root: Path, commit: str, pathspecs: Sequence[str]) -> list[str]:
    """Every file under `pathspecs` as it was at `commit`, sorted."""
    return sorted(_split(git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", *pathspecs)))


def read_blobs(root: Path, commit: str, paths: Iterable[str]) -> dict[str, bytes | None]:
    """Each path's content at `commit` (None where it did not exist), in one git process."""
    wanted = list(paths)
    if not wanted:
        return {}
    prefix = _prefix(root)
    request = "".join(f"{commit}:{prefix}{path}\n" for path in wanted).encode()
    output = git(root, "cat-file", "--batch", stdin=request)
    found: dict[str, bytes | None] = {}
    position = 0
    for path in wanted:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if header[-1] == b"missing":
            found[path] = None
            continue
        size = int(header[2])
        found[path] = output[position : position + size] if header[1] == b"blob" else None
        position += size + 1  # the content is followed by a newline
    return found
