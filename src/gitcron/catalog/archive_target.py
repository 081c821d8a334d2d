"""Where history archives go: `history.archive.to` of gitcron.yaml, judged as storage targets are.

One rule for both places that read it: validate reports a refused target at its gitcron.yaml line,
and `gitcron history-archive` (gitops/archive_store.py) refuses to run with the same words. A
local folder must lie under a storage root (`channels.storage.roots`), by the storage channel's
own rule (`grant_refusal`); s3:// is governed by `channels.s3`, as a storage delivery is.
"""

from __future__ import annotations

from pathlib import Path

from gitcron.catalog.files import SETTINGS_FILE
from gitcron.channels.storage.roots import Refusal, grant_refusal
from gitcron.channels.storage.target import StorageTarget
from gitcron.config import yamlio
from gitcron.config.problems import Loc, Problem
from gitcron.config.settings import Settings

TO: Loc = ("history", "archive", "to")


def archive_target(to: str) -> StorageTarget:
    """The storage target a declared `history.archive.to` names: a URL, or a repository folder."""
    to = to.strip()
    return StorageTarget(url=to) if "://" in to else StorageTarget(path=to)


def archive_refusal(settings: Settings) -> Refusal | None:
    """Why the declared archive target may not be written; None when granted or not declared."""
    declared = settings.history.archive
    return None if declared is None else grant_refusal(archive_target(declared.to), settings)


def refusal_message(refused: Refusal) -> str:
    return f"history.archive.to: {refused.message}"


def archive_problems(root: Path, settings: Settings) -> list[Problem]:
    """The refusal, if any, as validate reports it: at the line of `to:` in gitcron.yaml."""
    refused = archive_refusal(settings)
    if refused is None:
        return []
    found = [Problem(SETTINGS_FILE, refusal_message(refused), TO, refused.hint, kind="target")]
    try:
        text = (root / SETTINGS_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return found
    return yamlio.place(found, text)
