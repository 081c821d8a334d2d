"""One repo's committed state behind one object, which remembers every file it changed.

The commit step stages exactly `changed_files()`, so a tick's commit touches only the
customers that ran, the tick file, and the history days it appended to or pruned.

Decoding a customer file (JSON, then its schedule states) is most of what a tick with nothing due
spends on state. Given a `Kept` table, the store reuses a file's decoded states when the digest of
its bytes, read every time, is the one they were decoded from; anything else is decoded afresh, so
a file edited, damaged or restored from git reads as it says. What holds against the customer and
the tick (`check_customer`) is checked on every load. Where the table is kept between ticks is the
caller's (catalog/kept_states.py).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

from gitcron.state import history
from gitcron.state.checks import check_customer
from gitcron.state.claims import CLAIMS_FILE, Claim, claims_from_json, claims_to_json
from gitcron.state.files import parse_json, read_bounded, read_json, write_json
from gitcron.state.model import (
    ScheduleState,
    customer_to_json,
    decode_customer,
    tick_from_json,
)
from gitcron.state.records import Record
from gitcron.state.tick_file import TICK_FILE as TICK_FILE
from gitcron.state.tick_file import write_tick

STATE_DIR = "state"
SCHEDULES_DIR = f"{STATE_DIR}/schedules"

# A customer file's repo path -> (the digest of its bytes, the states decoded from them).
Kept = dict[str, tuple[bytes, dict[str, ScheduleState]]]


class StateStore:
    """Reads and writes `state/` under a repo root; all paths it reports are repo-relative."""

    def __init__(self, root: Path, kept: Kept | None = None) -> None:
        """`kept`: customer files decoded before, reused while their bytes are the same."""
        self.root = root
        self._changed: set[str] = set()
        self._kept_before = kept
        self.kept: Kept = {}  # the customer files this store read and decoded: kept afresh

    def load_tick(self, now: datetime | None = None) -> datetime | None:
        """The last tick's instant, or None on a repo's very first tick (no state/tick.json).

        With `now`, the instant of the tick reading it, a last tick after that is damage.
        """
        try:
            data = read_json(self.root / TICK_FILE, TICK_FILE)
        except FileNotFoundError:
            return None
        return tick_from_json(data, TICK_FILE, now).last_tick

    def save_tick(self, instant: datetime) -> bool:
        """Record this tick's instant; True if state/tick.json changed."""
        wrote = write_tick(self.root, instant)  # the one writer, shared with the quiet tick
        if wrote:
            self._changed.add(TICK_FILE)
        return wrote

    def load_customer(self, customer: str, now: datetime | None = None) -> dict[str, ScheduleState]:
        """A customer's schedule states by name within the customer; no file means none yet.

        With `now`, the instant of the tick reading it, an instant no tick had reached is damage.
        """
        rel = customer_file(customer)
        try:
            raw = read_bounded(self.root / rel, rel)
        except FileNotFoundError:
            return {}
        states = self._decoded(rel, raw)
        check_customer(states, rel, customer, now)
        return dict(states)  # the caller's to change: the kept ones stay as decoded

    def kept_changed(self) -> bool:
        """Whether `kept` differs from the table given: a file decoded afresh, or one gone."""
        before = self._kept_before
        if before is None:
            return False
        return len(self.kept) != len(before) or any(
            hit is not before.get(rel) for rel, hit in self.kept.items()
        )

    def _decoded(self, rel: str, raw: bytes) -> dict[str, ScheduleState]:
        """A customer file's states: kept ones when decoded from these same bytes, else decoded
        (StateError, never kept, when the file is damaged)."""
        if self._kept_before is None:
            return decode_customer(parse_json(raw, rel), rel)
        digest = hashlib.sha256(raw).digest()
        hit = self._kept_before.get(rel)
        if hit is None or hit[0] != digest:
            hit = (digest, decode_customer(parse_json(raw, rel), rel))
        self.kept[rel] = hit
        return hit[1]

    def save_customer(self, customer: str, states: Mapping[str, ScheduleState]) -> bool:
        """Write a customer's states if their bytes change; an empty mapping removes the file."""
        rel = customer_file(customer)
        if states:
            return self._write(rel, customer_to_json(states))
        try:
            (self.root / rel).unlink()
        except FileNotFoundError:
            return False
        self._changed.add(rel)
        return True

    def load_claims(self) -> list[Claim]:
        """The runs ticks have claimed and not recorded yet (docs/commit.md, "Claims")."""
        try:
            data = read_json(self.root / CLAIMS_FILE, CLAIMS_FILE)
        except FileNotFoundError:
            return []
        return claims_from_json(data)

    def save_claims(self, claims: list[Claim]) -> bool:
        """Write the claims if that changes the file; none left removes it."""
        if claims:
            return self._write(CLAIMS_FILE, claims_to_json(claims))
        try:
            (self.root / CLAIMS_FILE).unlink()
        except FileNotFoundError:
            return False
        self._changed.add(CLAIMS_FILE)
        return True

    def customers(self) -> list[str]:
        """The customers that have a state file, sorted; a file no customer can have (`..json`)
        is not state: no tick writes it, and none reads it."""
        try:  # names, not paths: a tick lists every customer's file once
            with os.scandir(self.root / SCHEDULES_DIR) as listing:
                found = [e.name[:-5] for e in listing if e.name.endswith(".json") and e.is_file()]
        except OSError:  # no folder (or not one): no customer has state yet
            return []
        return sorted(name for name in found if is_customer(name))

    def append_history(self, records: Iterable[Record]) -> int:
        """Append records to their day files, skipping those already there; lines added."""
        added = history.append(self.root, records)
        self._changed.update(self._rel(p) for p in added)
        return sum(added.values())

    def prune_history(self, today: date, keep_months: int) -> list[str]:
        """Delete history days past retention; the repo-relative paths deleted."""
        deleted = [self._rel(p) for p in history.prune(self.root, today, keep_months)]
        self._changed.update(deleted)
        return deleted

    def changed_files(self) -> list[str]:
        """Repo-relative paths this store wrote or deleted, sorted: what the commit must stage."""
        return sorted(self._changed)

    def _write(self, rel: str, data: object) -> bool:
        wrote = write_json(self.root / rel, data)
        if wrote:
            self._changed.add(rel)
        return wrote

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def is_customer(name: str) -> bool:
    """Whether `name` is one folder name, as a customer is."""
    return bool(name) and name not in {".", ".."} and "/" not in name and "\\" not in name


def customer_file(customer: str) -> str:
    """`acme-corp` -> `state/schedules/acme-corp.json`; a customer is one folder name."""
    if not is_customer(customer):
        raise ValueError(f"not a customer folder name: {customer!r}")
    return f"{SCHEDULES_DIR}/{customer}.json"
