"""Customers' decoded state kept beside the parse cache, so a tick decodes only changed files.

Reading `state/schedules/<customer>.json` (JSON, then the state dataclasses) costs a tick with
nothing due more than restoring every schedule's view. `StateStore` reuses a file's decoded
states when the digest of its bytes is the one they were decoded from (state/store.py); this
module keeps that table between ticks in `.gitcron-cache/`, pickled as the parse cache is.

It is a file of its own, not part of the parse cache's: a tick that ran changes a few customers'
state, and rewriting this table then must not rewrite every view. Like the parse cache, it is
served only to the same gitcron (a version or code change discards it, since the dataclasses it
holds may differ), and a file that cannot be read or written is only slower, never an error.
"""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path

from gitcron import __version__
from gitcron.catalog import pickled
from gitcron.catalog.code_digest import installed_digest
from gitcron.catalog.files import CACHE_DIR
from gitcron.files import replacing
from gitcron.state.store import Kept

STATES_FILE = "states-v1.pickle"
FORMAT = 1  # bump when the layout of the file changes


def read(root: Path) -> Kept:
    """The table a previous tick kept, or an empty one when it is missing, stale or damaged."""
    try:
        with open(_path(root), "rb") as file:
            found = pickle.load(file)
        if found[0] == _header() and isinstance(found[1], dict):
            table: Kept = found[1]
            return table
    except Exception:  # whatever is wrong with the file, the answer is to decode again
        pass
    return {}


def write(root: Path, table: Kept) -> None:
    """Atomically, and never failing the caller: a table that cannot be saved is only slower."""
    data = pickled.dumps((_header(), table))
    with contextlib.suppress(OSError), replacing(_path(root)) as file:
        file.write(data)


def _header() -> tuple[object, ...]:
    return (FORMAT, __version__, installed_digest())


def _path(root: Path) -> Path:
    return root / CACHE_DIR / STATES_FILE
