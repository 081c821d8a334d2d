"""Committed state: the tick file, per-customer schedule state, and the run history.

Nothing here reads the clock: every instant is passed in. Writes are atomic and skip files
whose bytes would not change, so a tick's commit holds only what the tick really changed.

The names below load on first use (PEP 562): a module of this package that needs no model
(`tick_file.py`, `instants.py`, `files.py`) can be imported without pydantic, which the quiet
tick relies on (docs/tick.md, "The quiet record").
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gitcron.state.codec import delivered_key as delivered_key
    from gitcron.state.codec import make_run_id as make_run_id
    from gitcron.state.files import StateError as StateError
    from gitcron.state.files import encode_json as encode_json
    from gitcron.state.files import read_json as read_json
    from gitcron.state.files import write_bytes as write_bytes
    from gitcron.state.files import write_json as write_json
    from gitcron.state.fingerprint import fingerprint as fingerprint
    from gitcron.state.history import ReadStats as ReadStats
    from gitcron.state.history import iter_records as iter_records
    from gitcron.state.history import merge_records as merge_records
    from gitcron.state.history import prune as prune
    from gitcron.state.instants import format_instant as format_instant
    from gitcron.state.instants import parse_instant as parse_instant
    from gitcron.state.model import FORMAT as FORMAT
    from gitcron.state.model import PendingRetry as PendingRetry
    from gitcron.state.model import ScheduleState as ScheduleState
    from gitcron.state.model import TickState as TickState
    from gitcron.state.records import Delivery as Delivery
    from gitcron.state.records import FileInfo as FileInfo
    from gitcron.state.records import Record as Record
    from gitcron.state.store import StateStore as StateStore

_HOMES = {
    "FORMAT": "model",
    "Delivery": "records",
    "FileInfo": "records",
    "PendingRetry": "model",
    "ReadStats": "history",
    "Record": "records",
    "ScheduleState": "model",
    "StateError": "files",
    "StateStore": "store",
    "TickState": "model",
    "delivered_key": "codec",
    "encode_json": "files",
    "fingerprint": "fingerprint",
    "format_instant": "instants",
    "iter_records": "history",
    "make_run_id": "codec",
    "merge_records": "history",
    "parse_instant": "instants",
    "prune": "history",
    "read_json": "files",
    "write_bytes": "files",
    "write_json": "files",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # asked once: later uses find it directly
    return value
