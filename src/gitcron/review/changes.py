"""What a pull request changes: each schedule file at the merge-base and in the work tree.

Only files that differ are read and checked, both versions with the full validator, so a PR
touching two schedules in a repo of 10,000 costs two parses on each side.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from gitcron.catalog.anchor import FirstSeen
from gitcron.catalog.customers import is_customer_file
from gitcron.catalog.files import SCHEDULES_DIR, SETTINGS_FILE, SUFFIX, schedule_id
from gitcron.catalog.load import Entry, check_entry, load_entry, load_settings
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.gitops.git import changed_paths, read_blobs
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


@dataclass(slots=True)
class Changes:
    """Everything the PR changes, and the settings each side was checked with."""

    old_settings: Settings
    new_settings: Settings
    first_seen: FirstSeen  # where each `every:` counts from, as the tick has it or will
    settings_rows: list[Row] = field(default_factory=list)  # gitcron.yaml: dotted key, old, new
    settings_problems: list[Problem] = field(default_factory=list)
    items: list[Change] = field(default_factory=list)


def collect(root: Path, base: str, now: datetime) -> Changes:
    """Compare commit `base` with the work tree under schedules/ and gitcron.yaml."""
    paths = changed_paths(root, base, [SCHEDULES_DIR, SETTINGS_FILE])
    old_blobs = read_blobs(root, base, paths)
    new_settings, problems = load_settings(root)
    old_settings = new_settings
    if SETTINGS_FILE in old_blobs:
        old_settings = _settings_from(old_blobs.pop(SETTINGS_FILE))
    first_seen = FirstSeen(root, now, new_settings.tick)
    rows = settings_rows(old_settings, new_settings)
    changes = Changes(old_settings, new_settings, first_seen, rows)
    changes.settings_problems = problems
    for rel in old_blobs:
        change = _change(root, rel, old_blobs[rel], changes, now, not problems)
        if change is not None:
            changes.items.append(change)
    changes.items.sort(key=lambda c: (KINDS.index(c.kind), c.sid))
    return changes


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


def _old_entry(
    rel: str, blob: bytes | None, settings: Settings, now: datetime, first_seen: FirstSeen
) -> Entry | None:
    if blob is None or not rel.endswith(SUFFIX) or is_customer_file(rel):
        return None  # a customer file is no schedule: the preview shows only its errors
    entry = Entry(schedule_id(rel), rel, text=blob.decode("utf-8-sig", "replace"))
    return check_entry(entry, settings, now, first_seen=first_seen)


def _change(
    root: Path, rel: str, blob: bytes | None, changes: Changes, now: datetime, settings_ok: bool
) -> Change | None:
    old = _old_entry(rel, blob, changes.old_settings, now, changes.first_seen)
    path = root / rel
    new = None
    if path.is_file():
        new = load_entry(root, path, changes.new_settings, now, settings_ok, changes.first_seen)
    if new is None:
        return Change("removed", old.id, rel, old, None) if old is not None else None
    if old is not None and old.text == new.text:
        return None  # only the file's timestamp changed
    kind = _kind(old, new)
    return Change(kind, new.id, rel, old, new)


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
