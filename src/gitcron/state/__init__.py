"""Committed state: the tick file, per-customer schedule state, and the run history.

Nothing here reads the clock: every instant is passed in. Writes are atomic and skip files
whose bytes would not change, so a tick's commit holds only what the tick really changed.
"""

from __future__ import annotations

from gitcron.state.codec import delivered_key, format_instant, make_run_id, parse_instant
from gitcron.state.files import StateError, encode_json, read_json, write_bytes, write_json
from gitcron.state.fingerprint import fingerprint
from gitcron.state.history import ReadStats, iter_records, merge_records, prune
from gitcron.state.model import FORMAT, PendingRetry, ScheduleState, TickState
from gitcron.state.records import Delivery, FileInfo, Record
from gitcron.state.store import StateStore

__all__ = [
    "FORMAT",
    "Delivery",
    "FileInfo",
    "PendingRetry",
    "ReadStats",
    "Record",
    "ScheduleState",
    "StateError",
    "StateStore",
    "TickState",
    "delivered_key",
    "encode_json",
    "fingerprint",
    "format_instant",
    "iter_records",
    "make_run_id",
    "merge_records",
    "parse_instant",
    "prune",
    "read_json",
    "write_bytes",
    "write_json",
]
