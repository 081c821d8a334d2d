"""Where history archives go, and one month's archive stored there, read back and checked.

Only a target engineers declared (`history.archive.to` in gitcron.yaml) is written: the command
line may name it again (`--to`), never another. A local folder must lie under a storage root
(`channels.storage.roots`), judged by the rule validate reports too (catalog/archive_target.py),
and the archive is written by the storage channel itself (a name already taken is never
replaced); s3:// uses `channels.s3`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gitcron.catalog.archive_target import archive_refusal, archive_target, refusal_message
from gitcron.catalog.files import SETTINGS_FILE
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.storage.channel import StorageChannel
from gitcron.channels.storage.stored import read_back
from gitcron.channels.storage.target import StorageTarget
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.config.yamlio import place
from gitcron.core.artifact import Artifact
from gitcron.core.run import RunInfo
from gitcron.errors import GitcronError
from gitcron.state.archive import Packed, check_copy, same_content
from gitcron.state.history import HISTORY_DIR

_CONFIG_HINT = (
    "declare it in gitcron.yaml: history: { archive: { to: s3://bucket/folder } } (or a file://"
    " folder under channels.storage.roots), then run again"
)


def declared_target(root: Path, settings: Settings, given: str | None) -> StorageTarget:
    """The archive target gitcron.yaml declares; `given` (from `--to`) must be that one."""
    declared = settings.history.archive
    if declared is None:
        where = f"--to {given}: " if given else ""
        raise GitcronError(
            f"{_at(root, ('history',))}: {where}history.archive is not declared, so there is"
            " nowhere to archive",
            _CONFIG_HINT,
        )
    to_line = _at(root, ("history", "archive", "to"))
    if given is not None and given.rstrip("/") != declared.to.rstrip("/"):
        raise GitcronError(
            f"--to {given}: not the archive target {to_line} declares ({declared.to});"
            " history is only archived where engineers declared it",
            f"leave out --to, or change history.archive.to in gitcron.yaml to {given} in a"
            " reviewed pull request",
        )
    refused = archive_refusal(settings)  # the rule validate reports at the same line
    if refused is not None:
        raise GitcronError(f"{to_line}: {refusal_message(refused)}", refused.hint)
    return archive_target(declared.to)


def _at(root: Path, loc: tuple[str, ...]) -> str:
    """`gitcron.yaml:LINE` of a setting (of its nearest parent that is written)."""
    try:
        text = (root / SETTINGS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return SETTINGS_FILE
    placed = place([Problem(SETTINGS_FILE, "", loc=loc)], text)[0]
    return f"{SETTINGS_FILE}:{placed.line}" if placed.line else SETTINGS_FILE


def store(
    packed: Packed,
    target: StorageTarget,
    settings: Settings,
    root: Path,
    now: datetime,
    env: Mapping[str, str],
) -> str:
    """Deliver one archive, read it back and check it; where it is. GitcronError if not safe."""
    ctx = _context(packed, settings, root, now, env)
    with tempfile.TemporaryDirectory(prefix="gitcron-archive-") as folder:
        copy = Path(folder) / packed.name
        try:
            StorageChannel().deliver(target, ctx)
        except DeliveryError as error:
            if not _there_already(packed, target, ctx, copy):
                raise GitcronError(
                    f"{packed.name} could not be archived: {error.message}",
                    f"{error.hint or ''}; nothing was removed from {HISTORY_DIR}/".lstrip("; "),
                ) from error
        try:
            where = read_back(target, ctx, copy)
        except DeliveryError as error:
            raise GitcronError(
                f"{packed.name} was written but cannot be read back: {error.message}",
                f"nothing was removed from {HISTORY_DIR}/; check the target and run again",
            ) from error
        check_copy(packed, copy.read_bytes(), where)
    return where


def _there_already(packed: Packed, target: StorageTarget, ctx: DeliveryContext, copy: Path) -> bool:
    """Whether the name holds an archive of the same lines (gzip of another zlib, say)."""
    try:
        read_back(target, ctx, copy)
    except DeliveryError:
        return False
    return same_content(packed, copy.read_bytes())


def _context(
    packed: Packed, settings: Settings, root: Path, now: datetime, env: Mapping[str, str]
) -> DeliveryContext:
    run = RunInfo(
        run_id=f"history-archive@{packed.month:%Y-%m}",
        schedule_id="history-archive",
        fire=now,
        interval_start=None,
        trigger="manual",
        attempt=1,
        zone=ZoneInfo("UTC"),
    )
    artifact = Artifact(name=packed.name, content_type="application/gzip", body=packed.data)
    return DeliveryContext(run, settings, artifact, root, None, env, dict)
