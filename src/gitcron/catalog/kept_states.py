"""Customers' decoded state kept beside the parse cache, so a tick decodes only changed files.

Reading `state/schedules/<customer>.json` (JSON, then the state dataclasses) costs a tick with
nothing due more than restoring every schedule's view. `StateStore` reuses a file's decoded
states when the digest of its bytes is the one they were decoded from (state/store.py); this
module keeps that table between ticks in `.gitcron-cache/`, pickled as the parse cache is.

It is a file of its own, not part of the parse cache's, and each customer's states are pickled on
their own: a tick that ran changed a few customers' state (with a run every few minutes, every
tick has), and the next one re-pickles only theirs, never every view or every state. Like the
parse cache, it is served only to the same gitcron (a version or code change discards it, since
the dataclasses it holds may differ), and a file that cannot be read or written is only slower,
never an error.
"""

from __future__ import annotations

import contextlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from gitcron import __version__
from gitcron.catalog.code_digest import installed_digest
from gitcron.catalog.files import CACHE_DIR
from gitcron.catalog.pickled import dumps
from gitcron.files import replacing
from gitcron.state.store import Kept

STATES_FILE = "states-v1.pickle"
FORMAT = 2  # bump when the layout of the file changes


@dataclass(slots=True)
class KeptFile:
    """What the file held: each customer file's decoded states (`table`, for `StateStore`), and
    the pickled form each was read from, written back as it is while its file is unchanged."""

    table: Kept = field(default_factory=dict)
    pickled: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # digest, states


def read(root: Path) -> KeptFile:
    """What a previous tick kept, or nothing when the file is missing, stale or damaged (an entry
    that cannot be read is left out: that customer's file is decoded again)."""
    kept = KeptFile()
    try:
        with open(_path(root), "rb") as file:
            found = pickle.load(file)
        if found[0] != _header() or not isinstance(found[1], dict):
            return kept
        for rel, entry in found[1].items():
            with contextlib.suppress(Exception):
                digest, states = entry
                decoded = pickle.loads(states)
                if isinstance(rel, str) and isinstance(digest, bytes) and type(decoded) is dict:
                    kept.table[rel] = (digest, decoded)
                    kept.pickled[rel] = (digest, states)
    except Exception:  # whatever is wrong with the file, the answer is to decode again
        return KeptFile()
    return kept


def write(root: Path, table: Kept, before: KeptFile) -> None:
    """`table` (the customer files one load read), each customer's states pickled on their own:
    a tick that ran rewrites the few customers it changed, and copies the others' bytes from
    `before`. Atomically, and never failing the caller: a table not saved is only slower."""
    entries: dict[str, tuple[bytes, bytes]] = {}
    for rel, (digest, states) in table.items():
        old = before.pickled.get(rel)
        entries[rel] = old if old is not None and old[0] == digest else (digest, dumps(states))
    data = pickle.dumps((_header(), entries), protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError), replacing(_path(root)) as file:
        file.write(data)


def _header() -> tuple[object, ...]:
    return (FORMAT, __version__, installed_digest())


def _path(root: Path) -> Path:
    return root / CACHE_DIR / STATES_FILE
