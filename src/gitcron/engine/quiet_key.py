"""The key of a quiet record: a digest of every input a tick's decision depends on.

Computed by the full tick that leaves the record and by the tick that reads it, with the
standard library only (engine/quiet.py says why). Files are keyed by content, never by their
times: every checkout on Actions is fresh. What a tick reads of state/ is keyed as a tick reads
it: the entries of state/ and every customer's state file in full, the history day files from
the last tick's day on in full, and the older days by name (retention deletes them). A link is
keyed as a link, never followed, as a tick never follows one. Each environment variable is
keyed by its value, mixed with everything else in one salted digest: the record keeps no value.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from gitcron import __version__
from gitcron.catalog.code_digest import installed_digest
from gitcron.catalog.files import SCHEDULES_DIR, SETTINGS_FILE

_STATE = "state"
_STATE_SCHEDULES = f"{_STATE}/schedules"
_HISTORY = f"{_STATE}/history"
Feed = Callable[..., None]


def key(
    root: Path,
    day: date,
    variables: Iterable[str],
    options: Sequence[str],
    env: Mapping[str, str],
    salt: str,
) -> str:
    """The digest of every input a tick on `day` decides from, with these options, the values of
    these variables in `env`, and the record's `salt`."""
    digest = hashlib.sha256()

    def feed(*parts: str | bytes) -> None:  # each part with its length: no two inputs collide
        for part in parts:
            data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
            digest.update(b"%d:" % len(data) + data)

    feed(salt, __version__, installed_digest(), "options", *options)
    _entry(root / SETTINGS_FILE, SETTINGS_FILE, feed, content=True)
    _tree(root / SCHEDULES_DIR, SCHEDULES_DIR, feed, lambda _: True)
    _tree(root / _STATE, _STATE, feed, lambda _: False, deep=False)  # names: claims.json, ...
    _tree(root / _STATE_SCHEDULES, _STATE_SCHEDULES, feed, lambda _: True)
    since = day.isoformat()  # day files are named by their day, so they sort by it
    _tree(root / _HISTORY, _HISTORY, feed, lambda name: name >= since, deep=False)
    for name in sorted(set(variables)):
        value = env.get(name)
        feed("variable", name, "unset" if value is None else "set", value or "")
    return digest.hexdigest()


def _tree(
    folder: Path,
    rel: str,
    feed: Feed,
    content: Callable[[str], bool],
    deep: bool = True,
) -> None:
    """Every entry under `folder`, sorted: its name and kind, and the bytes of the regular files
    `content(name)` asks for. A link is keyed by where it points, never followed."""
    if os.path.islink(folder):  # a linked folder is no folder to a tick: it reports it
        _entry(folder, rel, feed, content=True)
        return
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except FileNotFoundError:
        feed("absent", rel)
        return
    except NotADirectoryError:
        _entry(folder, rel, feed, content=True)
        return
    feed("folder", rel, str(len(entries)))
    for entry in entries:
        path, name = Path(entry.path), f"{rel}/{entry.name}"
        if deep and entry.is_dir(follow_symlinks=False):
            _tree(path, name, feed, content, deep)
        else:
            _entry(path, name, feed, content=content(entry.name))


def _entry(path: Path, rel: str, feed: Feed, content: bool) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        feed("absent", rel)
        return
    if stat.S_ISLNK(mode):
        feed("link", rel, os.readlink(path))
    elif stat.S_ISREG(mode):
        feed("file", rel, path.read_bytes() if content else b"")
    else:
        feed("other", rel, str(stat.S_IFMT(mode)))
