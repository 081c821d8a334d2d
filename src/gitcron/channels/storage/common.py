"""What local folders and buckets share: the file's name, its digests, and errors worded alike."""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.storage.target import StorageTarget
from gitcron.channels.templating import render
from gitcron.core.artifact import Artifact
from gitcron.core.names import MAX_NAME, filename_problem


@dataclass(frozen=True, slots=True)
class Sums:
    """The artifact's digests: sha256 identifies it, md5 matches a plain S3 ETag."""

    sha256: str
    md5: str
    size: int


def object_name(target: StorageTarget, ctx: DeliveryContext) -> str:
    """The file or object name: the rendered `key:` template, else the artifact's own name."""
    if target.key is None:
        name = ctx.artifact.name
    else:
        name = render(target.key, ctx, "storage key", limit=MAX_NAME * 4)
    problem = filename_problem(name)
    if problem:
        raise permanent_for(
            ctx,
            f"the storage key is not a safe file name: {problem} (rendered: {name[:MAX_NAME]!r})",
            'use a plain name, e.g. key: "{{ customer }}-{{ run.local_date }}.csv"; put folders'
            " in the url or path, not in the key",
        )
    return name


def sums(artifact: Artifact) -> Sums:
    """Hash the artifact once, in chunks, for both the comparison and the upload header."""
    sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    with opened(artifact) as handle:
        while chunk := handle.read(1024 * 1024):
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return Sums(sha.hexdigest(), md5.hexdigest(), size)


@contextlib.contextmanager
def opened(artifact: Artifact) -> Iterator[IO[bytes]]:
    if artifact.path is not None:
        with artifact.path.open("rb") as handle:
            yield handle
    else:
        yield io.BytesIO(artifact.body or b"")


def permanent_for(ctx: DeliveryContext, message: str, hint: str) -> DeliveryError:
    return DeliveryError(f"{ctx.run.schedule_id}: {message}", hint, permanent=True)


def different(ctx: DeliveryContext, where: str) -> DeliveryError:
    return permanent_for(
        ctx,
        f"a different file already has this name: {where}",
        "include the run's time in the key, e.g. key: \"{{ customer }}-{{ run.local_date }}-"
        '{{ run.local_time }}.csv", or move the old file away if it is wrong',
    )
