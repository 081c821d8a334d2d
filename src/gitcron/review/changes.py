"""What a pull request changes: each schedule file at the merge-base and in the work tree.

Only files that differ are read and checked, both versions with the full validator, so a PR
touching two schedules in a repo of 10,000 costs two parses on each side. A changed customer file
adds its folder's schedules, which inherit from it (`review.customer_changes`).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from gitcron.catalog.anchor import FirstSeen
from gitcron.catalog.customers import broken, is_customer_file, read_customer
from gitcron.catalog.files import SCHEDULES_DIR, SETTINGS_FILE, SUFFIX, schedule_id
from gitcron.catalog.load import Entry, check_entry, load_entry, load_settings
from gitcron.config.customer import CustomerFile
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.gitops.git import changed_paths, read_blobs
from gitcron.review.customer_changes import (
    OldCustomers,
    changed_customers,
    customer_of,
    schedules_of,
)
from gitcron.review.words import code

Row = tuple[str, str, str]  # a field, its value before, its value after
Kind = Literal["invalid", "added", "changed", "paused", "resumed", "removed"]
KINDS: tuple[Kind, ...] = ("invalid", "added", "changed", "paused", "resumed", "removed")


@dataclass(slots=True)
class Change:
    """One schedule file the PR touches, with its checked versions before and after."""

    kind: Kind
    sid: str
    file: str
    old: Entry | None
    new: Entry | None
    inherits: str | None = None  # the changed customer file it inherits from, if it does


@dataclass(slots=True)
class CustomerChange:
    """A customer file the PR changes in a way its schedules inherit (each is listed too)."""

    file: str  # schedules/<customer>/customer.yaml
    rows: list[Row]  # customer.<key>, old, new
    schedules: list[str]  # the ids of the folder's schedules after the PR


@dataclass(slots=True)
class Changes:
    """Everything the PR changes, and the settings each side was checked with."""

    old_settings: Settings
    new_settings: Settings
    first_seen: FirstSeen  # where each `every:` counts from, as the tick has it or will
    settings_rows: list[Row] = field(default_factory=list)  # gitcron.yaml: dotted key, old, new
    settings_problems: list[Problem] = field(default_factory=list)
    items: list[Change] = field(default_factory=list)
    customers: list[CustomerChange] = field(default_factory=list)
    old_customers: OldCustomers | None = None


def collect(root: Path, base: str, now: datetime) -> Changes:
    """Compare commit `base` with the work tree under schedules/ and gitcron.yaml; a changed
    customer file brings every file of its folder along, changed through it."""
    paths = changed_paths(root, base, [SCHEDULES_DIR, SETTINGS_FILE])
    customers = changed_customers(paths)
    paths = sorted({*paths, *schedules_of(root, base, customers)})
    old_blobs = read_blobs(root, base, paths)
    new_settings, problems = load_settings(root)
    old_settings = new_settings
    if SETTINGS_FILE in old_blobs:
        old_settings = _settings_from(old_blobs.pop(SETTINGS_FILE))
    first_seen = FirstSeen(root, now, new_settings.tick)
    rows = settings_rows(old_settings, new_settings)
    changes = Changes(old_settings, new_settings, first_seen, rows)
    changes.settings_problems = problems
    changes.old_customers = OldCustomers(root, old_blobs, customers)
    for rel in old_blobs:
        change = _change(root, rel, old_blobs[rel], changes, now, not problems)
        if change is not None:
            changes.items.append(change)
    changes.items.sort(key=lambda c: (KINDS.index(c.kind), c.sid))
    changes.customers = _customer_changes(root, customers, changes)
    return changes


def _customer_changes(root: Path, customers: list[str], changes: Changes) -> list[CustomerChange]:
    """Each valid customer file the PR changes in what it gives, with the schedules it reaches."""
    assert changes.old_customers is not None
    found = []
    for customer in customers:
        new = read_customer(root, customer)
        if not new.ok or not changes.old_customers.inherited(customer):
            continue  # a broken one is listed as invalid, with its problems
        old = changes.old_customers.read(customer).model
        reached = [
            c.sid
            for c in changes.items
            if customer_of(c.file) == customer and c.new is not None and c.file != new.file
        ]
        found.append(CustomerChange(new.file, customer_rows(old, new.model, True), reached))
    return found


def customer_rows(old: CustomerFile | None, new: CustomerFile | None, every: bool) -> list[Row]:
    """A customer file's changed keys as `customer.<key>`, old value, new value; without `every`
    not `timezone` and `to`, whose effect a schedule's "when" and "deliver" rows show (and which
    a schedule naming its own does not inherit)."""
    before = {} if old is None else old.model_dump(mode="json", exclude_none=True)
    after = {} if new is None else new.model_dump(mode="json", exclude_none=True)
    return [
        (f"customer.{key}", value_text(before.get(key)), value_text(after.get(key)))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key) and (every or key not in ("timezone", "to"))
    ]


def _settings_from(blob: bytes | None) -> Settings:
    """gitcron.yaml as it was (defaults when it did not exist or was broken)."""
    if blob is None:
        return Settings()
    with tempfile.TemporaryDirectory(prefix="gitcron-base-") as folder:
        (Path(folder) / SETTINGS_FILE).write_bytes(blob)
        settings, _ = load_settings(Path(folder))
    return settings


def settings_rows(old: Settings, new: Settings) -> list[Row]:
    """Every changed setting as `defaults.timezone`, old value, new value."""
    before = _flat(old.model_dump(mode="json", by_alias=True))
    after = _flat(new.model_dump(mode="json", by_alias=True))
    return [
        (key, value_text(before.get(key)), value_text(after.get(key)))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            found |= _flat(value, f"{prefix}{key}.")
        else:
            found[f"{prefix}{key}"] = value
    return found


def value_text(value: object) -> str:
    """A setting's or field's value as a Markdown code span (no mentions, no markup)."""
    if value is None:
        return "(not set)"
    return f"`{code(value if isinstance(value, str) else json.dumps(value, sort_keys=True))}`"


def _old_entry(rel: str, blob: bytes | None, changes: Changes, now: datetime) -> Entry | None:
    """The file as it was, checked with gitcron.yaml and its customer file as they were."""
    if blob is None or not rel.endswith(SUFFIX) or is_customer_file(rel):
        return None  # a customer file is no schedule: the preview shows only its errors
    entry = Entry(schedule_id(rel), rel, text=blob.decode("utf-8-sig", "replace"))
    assert changes.old_customers is not None
    customer = changes.old_customers.read(entry.customer)
    if not customer.ok:
        entry.problems = [broken(customer, rel)]
        return entry
    settings, first_seen = changes.old_settings, changes.first_seen
    return check_entry(entry, settings, now, first_seen=first_seen, customer=customer.model)


def _change(
    root: Path, rel: str, blob: bytes | None, changes: Changes, now: datetime, settings_ok: bool
) -> Change | None:
    old = _old_entry(rel, blob, changes, now)
    path = root / rel
    new = None
    if path.is_file():
        new = load_entry(root, path, changes.new_settings, now, settings_ok, changes.first_seen)
    if new is None:
        return Change("removed", old.id, rel, old, None) if old is not None else None
    assert changes.old_customers is not None
    customer = customer_of(rel)
    inherits = None
    if old is not None and not is_customer_file(rel) and changes.old_customers.inherited(customer):
        inherits = read_customer(root, customer).file
    if old is not None and old.text == new.text and inherits is None:
        return None  # only the file's timestamp changed
    kind = _kind(old, new)
    return Change(kind, new.id, rel, old, new, inherits)


def _kind(old: Entry | None, new: Entry) -> Kind:
    if not new.ok:
        return "invalid"
    if old is None:
        return "added"
    assert new.schedule is not None
    was_paused = old.schedule is not None and old.schedule.paused
    if new.schedule.paused and not was_paused:
        return "paused"
    if was_paused and not new.schedule.paused:
        return "resumed"
    return "changed"
