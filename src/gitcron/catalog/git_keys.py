"""Files known by git's index: a file unchanged since the index is keyed without being read.

Two readers ask of every file under schedules/ whether it changed: the parse cache
(catalog/cache.py), to parse only the files that did, and the quiet record's key
(engine/quiet_key.py), to tell whether a tick may be quiet. Reading and hashing 10,000 files to
answer cost a quiet tick most of its time, and git's index already knows: `git ls-files -s`
gives each tracked file's blob hash, and `git ls-files -m` the files whose content, kind or
executable bit differ from the index, judged from their stat data as git judges them (by their
content when the times cannot tell). So a file's key is its blob hash, taken from the index when
it is unchanged since, else computed from its content as git would (`blob_key`): either way the
same key for the same bytes, with or without git. A file the index lists as conflicted,
assume-unchanged or skip-worktree is not taken from it: git does not look at those. Files the
index does not list are found by the callers' own walks.

Standard library only: the quiet tick imports this before it knows whether it needs more.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

from gitcron.catalog.files import SCHEDULES_DIR, read_regular

_GIT_TIMEOUT = 120  # seconds
_REGULAR = {"100644", "100755"}  # git modes whose blob is the file's content (not a symlink)
_TRACKED = "H"  # `ls-files -v`'s tag of a plain tracked file (lowercase: assume-unchanged, ...)


class Indexed(NamedTuple):
    """A tracked regular file unchanged since the index, as the index lists it."""

    mode: str  # "100644" or "100755", as `git_mode` spells a file's
    blob: str  # its blob hash


def blob_hash(data: bytes) -> str:
    """The blob hash git gives a file holding `data` (SHA-1 repositories)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def blob_key(path: Path) -> str:
    """The blob hash git would give the file, or "" if it cannot be read: a link, a pipe or a
    device is not opened here (`read_regular`), and whoever loads it reports it by name."""
    try:
        data = read_regular(path)
    except OSError:
        return ""
    return blob_hash(data)


def git_mode(st_mode: int) -> str:
    """A regular file's mode as git's index records it: executable by its owner, or not."""
    return "100755" if st_mode & stat.S_IXUSR else "100644"


class GitKeys:
    """Tracked regular files under `folders` unchanged since the index; none outside git (or
    without it).

    Both git commands start on entering, writing to files rather than pipes so that neither
    waits on a reader: they run on another core while this process does other work, and
    `indexed` (or `keys`) collects them. Leaving ends them if they still run."""

    def __init__(self, root: Path, folders: Sequence[str] = (SCHEDULES_DIR,)) -> None:
        self._root = root
        self._folders = tuple(folders)
        self._running: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []

    def __enter__(self) -> GitKeys:
        try:
            for args in (("-s", "-v", "-z"), ("-m", "-z")):  # staged; modified since the index
                out = tempfile.TemporaryFile()
                self._running.append((self._git(out, "ls-files", *args), out))
        except OSError:
            self._end()
        return self

    def __exit__(self, *_: object) -> None:
        self._end()

    def keys(self) -> dict[str, str]:
        """Repo path -> blob hash of each such file."""
        return {rel: found.blob for rel, found in self.indexed().items()}

    def indexed(self) -> dict[str, Indexed]:
        """Repo path -> mode and blob hash of each such file."""
        try:
            if len(self._running) != 2:  # git could not be started
                return {}
            staged, changed = (_output(*started) for started in self._running)
        except (OSError, subprocess.SubprocessError):
            return {}
        finally:
            self._end()
        found: dict[str, Indexed] = {}
        for record in staged.split("\0"):
            meta, _, rel = record.partition("\t")
            parts = meta.split(" ")  # tag, mode, blob hash, merge stage (0: no conflict)
            plain = len(parts) == 4 and parts[0] == _TRACKED and parts[3] == "0"
            if plain and rel and parts[1] in _REGULAR:
                found[rel] = Indexed(parts[1], parts[2])
        for rel in changed.split("\0"):
            found.pop(rel, None)
        return found

    def _git(self, out: IO[bytes], *args: str) -> subprocess.Popen[bytes]:
        command = ["git", "-C", str(self._root), *args, "--", *self._folders]
        quiet = subprocess.DEVNULL
        return subprocess.Popen(command, stdin=quiet, stdout=out, stderr=quiet)

    def _end(self) -> None:
        for process, out in self._running:
            if process.poll() is None:
                process.kill()
                process.wait()
            out.close()
        self._running = []


def _output(process: subprocess.Popen[bytes], out: IO[bytes]) -> str:
    """What a git command wrote, or CalledProcessError when it failed (not a repo, say)."""
    if process.wait(timeout=_GIT_TIMEOUT) != 0:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    out.seek(0)
    return os.fsdecode(out.read())
