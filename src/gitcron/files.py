"""Files on disk, done one way everywhere: replaced whole or not at all, and named to a person.

State, the outbox, notifications and the parse cache all replace files that someone may read
at any moment (a commit, a person, the next tick), so each writes a temp file beside the target
and renames it over; a crash or an error leaves the old file or the new one, never half, and
no temp file behind. It sits below every package so that each of them can use it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o644  # what a checkout gives a file: the owner writes, everyone reads
# The most of a YAML file (a schedule, a customer file, gitcron.yaml) that gitcron reads: here,
# below the YAML reader, so that a warm tick can hash a customer file without importing it.
MAX_YAML_BYTES = 256 * 1024


@contextlib.contextmanager
def replacing(path: Path, *, mode: int | None = None, durable: bool = False) -> Iterator[BinaryIO]:
    """Write `path` through the handle given; it replaces `path` only once the block ends well.

    `mode` is the new file's mode (without it, tempfile's 0o600). `durable` fsyncs the file and
    then its folder, so the new file survives a power cut once this returns: state needs that;
    a cache or an outbox file is written again by the next run.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def display_path(path: Path, root: Path) -> str:
    """`outbox/acme/x.eml` for a path inside the repository, else the path as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
