"""The key of a quiet record: a digest of every input a tick's decision depends on.

Computed by the full tick that leaves the record and by the tick that reads it, with the
standard library only (engine/quiet.py says why). Files are keyed by content, never by their
times: every checkout on Actions is fresh. A file under schedules/ is keyed by its blob hash and
executable bit, taken from git's index when git finds it unchanged since (catalog/git_keys.py,
as the parse cache keys it: reading 10,000 schedules cost a quiet tick most of its time), else
from its bytes; a file git does not track is found by the walk. What a tick reads of state/ is
keyed as a tick reads it: the entries of state/ and every customer's state file in full, the
history day files from the last tick's day on in full, and the older days by name (retention
deletes them). A link is keyed as a link, never followed, as a tick never follows one. Each
environment variable is keyed by its value, mixed with everything else in one salted digest:
the record keeps no value.
"""

from __future__ import annotations

import hashlib
import operator
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from gitcron import __version__
from gitcron.catalog.code_digest import installed_digest
from gitcron.catalog.files import SCHEDULES_DIR, SETTINGS_FILE
from gitcron.catalog.git_keys import GitKeys, Indexed, blob_hash, git_mode

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

    with GitKeys(root, (SCHEDULES_DIR,)) as git:  # git lists the index meanwhile, on its own core
        feed(salt, __version__, installed_digest(), "options", *options)
        _entry(root / SETTINGS_FILE, SETTINGS_FILE, feed, content=True)
        _tree(root / _STATE, _STATE, feed, lambda _: False, deep=False)  # names: claims.json, ...
        _tree(root / _STATE_SCHEDULES, _STATE_SCHEDULES, feed, lambda _: True)
        since = day.isoformat()  # day files are named by their day, so they sort by it
        _tree(root / _HISTORY, _HISTORY, feed, lambda name: name >= since, deep=False)
        for name in sorted(set(variables)):
            value = env.get(name)
            feed("variable", name, "unset" if value is None else "set", value or "")
        _tree(root / SCHEDULES_DIR, SCHEDULES_DIR, feed, lambda _: True, git.indexed())
    return digest.hexdigest()


def _tree(
    folder: Path | str,
    rel: str,
    feed: Feed,
    content: Callable[[str], bool],
    indexed: Mapping[str, Indexed] | None = None,
    deep: bool = True,
) -> None:
    """Every entry under `folder`, sorted: its name and kind, and the content key of the regular
    files `content(name)` asks for, from `indexed` (repo path -> what git's index holds of a file
    unchanged since) when it lists the file, else from its bytes. A link is keyed by where it
    points, never followed. A folder's regular files are fed as one part, after the rest."""
    if os.path.islink(folder):  # a linked folder is no folder to a tick: it reports it
        _entry(folder, rel, feed, content=True)
        return
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_NAME)
    except FileNotFoundError:
        feed("absent", rel)
        return
    except NotADirectoryError:
        _entry(folder, rel, feed, content=True)
        return
    feed("folder", rel, str(len(entries)))
    files: list[str] = []
    for entry in entries:  # names as strings, kinds from the listing: no Path, no stat a file
        name = f"{rel}/{entry.name}"
        if deep and entry.is_dir(follow_symlinks=False):
            _tree(entry.path, name, feed, content, indexed, deep)
            continue
        known = indexed.get(name) if indexed else None
        if known is not None and entry.is_file(follow_symlinks=False) and content(entry.name):
            files.append(_file(name, known.mode, known.blob))  # as `_entry` keys the same bytes
        else:
            _entry(entry.path, name, feed, content(entry.name), files)
    feed("files", "\0".join(files))  # a name holds no NUL: the part reads back one way only


_NAME = operator.attrgetter("name")


def _entry(
    path: Path | str, rel: str, feed: Feed, content: bool, files: list[str] | None = None
) -> None:
    """One entry by its kind; a regular file into `files` when given (its folder's part)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        feed("absent", rel)
        return
    if stat.S_ISLNK(mode):
        feed("link", rel, os.readlink(path))
    elif not stat.S_ISREG(mode):
        feed("other", rel, str(stat.S_IFMT(mode)))
    else:
        found = "-", "-"
        if content:
            with open(path, "rb") as file:
                found = git_mode(mode), blob_hash(file.read())
        line = _file(rel, *found)
        if files is None:
            feed("file", line)
        else:
            files.append(line)


def _file(rel: str, mode: str, blob: str) -> str:
    """A regular file as one line: its mode and blob hash hold no space, so the line reads back
    one way only (one line, not a part each: at 10,000 files, each part counted)."""
    return f"{mode} {blob} {rel}"
