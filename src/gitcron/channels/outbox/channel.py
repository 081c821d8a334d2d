"""The outbox: a local folder receiving what a channel would deliver, as files a person can open.

It serves the `outbox:` channel, `--outbox DIR` and dry runs, and email without a mail server.
Names come from the run id, so a retry or a replay overwrites its own file instead of adding one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.message import build_message, message_key
from gitcron.channels.outbox.target import OutboxTarget
from gitcron.config.roots import own_path
from gitcron.core.run import RunInfo
from gitcron.files import FILE_MODE, display_path, replacing


class OutboxChannel:
    """`outbox: {dir: ...}`: a folder inside the repository (default `channels.outbox.dir`)."""

    def deliver(self, target: OutboxTarget, ctx: DeliveryContext) -> str | None:
        folder = ctx.root / (target.dir or ctx.settings.channels.outbox.dir)
        if target.dir and not _inside(folder, ctx.root):
            raise DeliveryError(
                f"{ctx.run.schedule_id}: outbox dir '{target.dir}' is outside the repository",
                "use a folder inside the repository, e.g. dir: outbox",
                permanent=True,
            )
        reason = (
            own_path(_real(folder).relative_to(_real(ctx.root)).as_posix()) if target.dir else None
        )
        if reason:  # checked again on the real path: a link to state/ counts as state/
            raise DeliveryError(
                f"{ctx.run.schedule_id}: outbox dir '{target.dir}' {reason}",
                "use a folder of its own, e.g. dir: outbox; no delivery may write there",
                permanent=True,
            )
        return write("outbox", target, ctx, folder)


def stem(run: RunInfo) -> str:
    """The run id without its customer, safe as a file name: `weekly@2026-11-23T14-00-00Z`."""
    rest = run.run_id.split("/", 1)[-1]
    return rest.replace(":", "-").replace("/", "_").replace("\\", "_")


def write(channel: str, target: Any, ctx: DeliveryContext, folder: Path) -> str:
    """Write what `channel` would send to `target` into folder/<customer>/; return where."""
    customer = ctx.run.customer.replace("/", "_").replace("\\", "_").lstrip(".") or "_"
    base = folder / customer
    artifact = ctx.artifact
    if channel == "email":
        name = f"{stem(ctx.run)}.{message_key(target, ctx)[:8]}.eml"
        content: bytes | Path = build_message(target, ctx).as_bytes()
    elif artifact.body is not None:  # an event: the JSON body as it would be posted, no headers
        name, content = f"{stem(ctx.run)}.json", artifact.body
    else:
        if artifact.path is None or Path(artifact.name).name != artifact.name:
            raise DeliveryError(
                f"{ctx.run.schedule_id}: the artifact '{artifact.name}' is not a single file name",
                "this is a bug in the job that made it; please report it",
                permanent=True,
            )
        name, content = artifact.name, artifact.path
    path = base / name
    write_atomic(path, content)
    return display_path(path, ctx.root)


def write_atomic(path: Path, content: bytes | Path) -> None:
    """Replace `path` with the bytes (or a copy of a file); a DeliveryError when it cannot."""
    try:
        with replacing(path, mode=FILE_MODE) as out:
            if isinstance(content, Path):
                with content.open("rb") as source:
                    shutil.copyfileobj(source, out)
            else:
                out.write(content)
    except OSError as error:
        raise _write_error(path, error) from error


def _inside(folder: Path, root: Path) -> bool:
    return _real(folder).is_relative_to(_real(root))


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _write_error(path: Path, error: OSError) -> DeliveryError:
    return DeliveryError(
        f"cannot write {path}: {error.strerror or error}",
        "check that the outbox folder is writable and the disk has room; this is retried",
    )
