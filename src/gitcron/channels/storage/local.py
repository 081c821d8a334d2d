"""A storage delivery to a folder: in the repository (`path:`) or anywhere on the runner (`file://`).

The file is written beside its final name and hard-linked in, which fails on a taken name
instead of replacing it; a file system without hard links gets a check, then a rename.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from pathlib import Path

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.storage.common import different, opened, permanent_for, sums
from gitcron.channels.storage.roots import Granted, confine, grant_refusal, granted
from gitcron.channels.storage.target import StorageTarget
from gitcron.core.artifact import Artifact
from gitcron.files import FILE_MODE, display_path

_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}
# fmt: off


def local_folder(target: StorageTarget, ctx: DeliveryContext) -> Granted:
    """`path:` is a folder inside the repository, `url: file:///...` an absolute folder; either
    must lie under a storage root of gitcron.yaml, on paper and on disk (checked again here, as a
    target can reach the channel without validate: a replay, an older commit)."""
    refused = grant_refusal(target, ctx.settings)
    if refused is not None:
        raise permanent_for(ctx, refused.message, refused.hint)
    place = granted(target, ctx.settings, ctx.root)
    _confined(place, ctx)
    return place

def _confined(place: Granted, ctx: DeliveryContext) -> None:
    problem = confine(place, ctx.root)
    if problem is not None:
        raise permanent_for(
            ctx, problem, "write to a real folder under a storage root; links out of it are refused"
        )

def deliver_local(place: Granted, name: str, ctx: DeliveryContext) -> str:
    """Write folder/name without ever replacing an existing file; a replay is 'already there'."""
    path = place.folder / name
    mine = sums(ctx.artifact)
    try:
        place.folder.mkdir(parents=True, exist_ok=True)
        _confined(place, ctx)  # again on what now exists: nothing was swapped in meanwhile
        if path.is_symlink():
            raise permanent_for(
                ctx, f"{path} is a symbolic link", "remove it; gitcron writes files"
            )
        placed = _place(path, ctx.artifact)
        if not placed and _file_sha256(path) != mine.sha256:
            raise different(ctx, display_path(path, ctx.root))
    except OSError as error:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: cannot write {path}: {error.strerror or error}",
            "check that the folder is writable and the disk has room; this is retried",
        ) from error
    where = display_path(path, ctx.root)
    return f"written to {where}" if placed else f"already there: {where} (same bytes)"

def _place(path: Path, artifact: Artifact) -> bool:
    """Write a temp file beside `path`, then link it in; False when `path` already exists."""
    # creates, never replaces: so not gitcron.files.replacing, which would overwrite a taken name
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, opened(artifact) as source:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, FILE_MODE)
        return _link_new(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)

def _link_new(temp: str, path: Path) -> bool:
    """os.link fails on an existing name, atomically; without hard links, check then rename."""
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if path.exists():  # a tiny race remains on such file systems (some SMB, FUSE mounts)
            return False
        os.rename(temp, path)
    return True

def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
