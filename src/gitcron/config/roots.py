"""Which repository folders are gitcron's own, and what a storage root in gitcron.yaml may be.

A schedule's local delivery writes only under folders engineers granted (`channels.storage.roots`);
none of them may be, hold or lie inside what the repository keeps for gitcron and its engineers,
so a merged schedule can never plant files the tick commits or reads (docs/channels.md, "Storage
roots"). The storage and outbox channels check the same list again on the real path at send time.
"""

from __future__ import annotations

import posixpath
from typing import Annotated

from pydantic import AfterValidator

from gitcron.config.fields import bad

# What the repository holds for gitcron and its engineers (the tick's records, git, the schedules,
# the cache, the workflows, these settings): no delivery may write there, so no storage root may
# be, hold or sit inside one of them. Compared case-insensitively (macOS: State/ is state/).
OWN_PATHS = {
    "state": "the tick's records",
    ".git": "git's own data",
    "schedules": "the schedules",
    ".gitcron-cache": "gitcron's cache",
    ".github": "the workflows",
    "gitcron.yaml": "the settings",
}


def own_path(folder: str) -> str | None:
    """Why the repository folder `folder` is gitcron's own ('is inside state/ (the tick's
    records)'), or None for a folder deliveries may be granted."""
    parts = [p for p in posixpath.normpath(folder.replace("\\", "/")).split("/") if p != "."]
    if not parts:
        return "is the whole repository, which holds state/, schedules/ and gitcron.yaml"
    own = next((name for name in OWN_PATHS if name == parts[0].casefold()), None)
    if own is None:
        return None
    shown = own if "." in own[1:] else f"{own}/"
    where = f"is {shown}" if len(parts) == 1 else f"is inside {shown}"
    return f"{where} ({OWN_PATHS[own]})"


_ROOT_HINT = "name a folder of its own: exports (in the repository) or /srv/exports (for file://)"


def storage_root(value: str) -> str:
    """A root as written in gitcron.yaml, normalised (`exports/` -> `exports`); refused when it is
    empty, an address, the whole file system, outside the repository or gitcron's own."""
    text = value.strip().replace("\\", "/")
    if not text or "://" in text or text.startswith("file:"):
        raise bad(f"'{value}' is not a folder", _ROOT_HINT, "target")
    folder = posixpath.normpath(text)
    if folder.startswith("/") and not folder.strip("/"):
        raise bad(
            f"'{value}' would let deliveries write anywhere on the runner", _ROOT_HINT, "target"
        )
    if folder == ".." or folder.startswith("../"):
        raise bad(f"storage root '{value}' leads outside the repository", _ROOT_HINT, "target")
    reason = None if folder.startswith("/") else own_path(folder)
    if reason:
        raise bad(
            f"storage root '{value}' {reason}: no delivery may write there", _ROOT_HINT, "target"
        )
    return folder


StorageRoot = Annotated[str, AfterValidator(storage_root)]
