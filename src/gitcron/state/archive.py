"""Old history packed by month: `history-YYYY-MM.jsonl.gz`, and `state/archive.json` saying where.

Archiving moves whole past months of day files out of the repository's tree into one gzip file
per month, delivered to a storage target engineers declared (`history.archive` in gitcron.yaml;
the delivery and the commit are `gitops/archive.py`). This module holds the rules that need no
network and no git: which day files a month holds, the archive's bytes (the day files'
bytes concatenated, oldest day first, each ending in a newline: nothing is decoded or rewritten),
how a copy read back is checked (its lines and its sha256 must equal what was packed), and the
manifest a history read consults to say where an archived period went.

gzip, not zstd: it is in the standard library and every tool reads it (`zcat | jq`). The archive
is deterministic (no name, no time in its header), so packing the same days again makes the same
bytes and a rerun after a crash finds its own file already there.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gitcron.state.files import StateError, read_json, write_json
from gitcron.state.history import ReadStats, day_files, parse_line
from gitcron.state.records import Record

ARCHIVE_FILE = "state/archive.json"
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Packed:
    """One month's archive: its file name, bytes, and what a read-back copy must match."""

    month: date  # the month's first day
    name: str
    data: bytes  # the gzip file
    lines: int
    sha256: str  # of the uncompressed content: the day files' bytes, concatenated
    days: tuple[Path, ...]  # the day files it holds, oldest first


@dataclass(frozen=True, slots=True)
class Archived:
    """A month the manifest says was archived, and where to."""

    month: str  # YYYY-MM
    where: str  # the file's place, as the storage channel named it (s3://..., a folder)
    lines: int
    days: int
    sha256: str


def archive_name(month: date) -> str:
    return f"history-{month:%Y-%m}.jsonl.gz"


def month_of(day: date) -> date:
    return day.replace(day=1)


def months_before(root: Path, before: date) -> dict[date, list[Path]]:
    """The day files before the month `before` starts, by month, oldest first."""
    found: dict[date, list[Path]] = {}
    for day, path in day_files(root):
        if day < month_of(before):
            found.setdefault(month_of(day), []).append(path)
    return found


def pack(month: date, days: list[Path]) -> Packed:
    """The month's day files as one deterministic gzip file (compression level 9, mtime 0)."""
    content = b"".join(_whole_lines(path.read_bytes()) for path in days)
    data = gzip.compress(content, compresslevel=9, mtime=0)
    return Packed(
        month,
        archive_name(month),
        data,
        content.count(b"\n"),
        hashlib.sha256(content).hexdigest(),
        tuple(days),
    )


def check_copy(packed: Packed, copy: bytes, where: str) -> None:
    """StateError unless `copy` (an archive read back from `where`) holds what was packed."""
    try:
        content = gzip.decompress(copy)
    except (OSError, EOFError, zlib.error) as error:
        raise StateError(
            f"{where}: the archive read back is not a whole gzip file ({error})",
            "nothing was removed from state/history/; run `gitcron history-archive` again",
        ) from None
    lines, digest = content.count(b"\n"), hashlib.sha256(content).hexdigest()
    if (lines, digest) != (packed.lines, packed.sha256):
        raise StateError(
            f"{where}: the archive read back holds {lines} lines (sha256 {digest[:12]}), not the"
            f" {packed.lines} lines (sha256 {packed.sha256[:12]}) of the day files",
            "nothing was removed from state/history/; if an older archive of that month is"
            " there, move it aside and run `gitcron history-archive` again",
        )


def same_content(packed: Packed, copy: bytes) -> bool:
    """Whether `copy` is an archive of the same lines (made by another zlib, say)."""
    try:
        return hashlib.sha256(gzip.decompress(copy)).hexdigest() == packed.sha256
    except (OSError, EOFError, zlib.error):
        return False


def _whole_lines(raw: bytes) -> bytes:
    return raw if not raw or raw.endswith(b"\n") else raw + b"\n"


def read_manifest(root: Path) -> list[Archived]:
    """The months archived so far, oldest first; none when the file is missing."""
    try:
        data = read_json(root / ARCHIVE_FILE, ARCHIVE_FILE)
    except FileNotFoundError:
        return []
    months = data.get("months") if isinstance(data, dict) else None
    if not isinstance(months, list):
        raise StateError(
            f"{ARCHIVE_FILE}: not an archive manifest (no list of months)",
            f"restore it from git (`git checkout HEAD~ -- {ARCHIVE_FILE}`)",
        )
    return [_archived(entry) for entry in months if isinstance(entry, dict)]


def _archived(entry: dict[str, Any]) -> Archived:
    return Archived(
        str(entry.get("month", "")),
        str(entry.get("where", "")),
        int(entry.get("lines", 0)),
        int(entry.get("days", 0)),
        str(entry.get("sha256", "")),
    )


def note_archived(root: Path, done: list[tuple[Packed, str]]) -> bool:
    """Add these months (and where each went) to the manifest; True if the file changed.

    A month archived again (days of it came back, from a restore) keeps one entry, the newest."""
    by_month = {entry.month: entry for entry in read_manifest(root)}
    for packed, where in done:
        key = f"{packed.month:%Y-%m}"
        by_month[key] = Archived(key, where, packed.lines, len(packed.days), packed.sha256)
    entries = [by_month[key] for key in sorted(by_month)]
    payload = {
        "format": _FORMAT,
        "months": [
            {"month": e.month, "where": e.where, "lines": e.lines, "days": e.days,
             "sha256": e.sha256}
            for e in entries
        ],
    }  # fmt: skip
    return write_json(root / ARCHIVE_FILE, payload)


def archived_since(root: Path, since: date | None) -> list[Archived]:
    """The archived months that end on or after `since` (all without it): a read of the day
    files from `since` misses them."""
    first = "" if since is None else f"{month_of(since):%Y-%m}"
    return [e for e in read_manifest(root) if e.month >= first]


def local_copy(root: Path, entry: Archived) -> Path | None:
    """The archive's file when it was stored in a folder this machine has; None otherwise (a
    bucket, or another runner's folder)."""
    if "://" in entry.where:
        return None
    path = Path(entry.where)
    path = path if path.is_absolute() else root / path
    return path if path.is_file() and not path.is_symlink() else None


def archived_lines(path: Path) -> Iterator[tuple[int, str]]:
    """A local archive's lines, numbered from 1, without line ends."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="\n") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\n")


def archived_records(
    root: Path,
    since: date | None,
    schedule: str | None = None,
    prefix: str | None = None,
    stats: ReadStats | None = None,
) -> tuple[list[Record], list[Archived]]:
    """The records of the archived months from `since` on that are stored in a local folder
    (oldest first, filtered as `history.iter_records` filters), and the months that could not
    be read here (in a bucket, or a folder this machine lacks)."""
    found: list[Record] = []
    elsewhere = []
    for entry in archived_since(root, since):
        path = local_copy(root, entry)
        if path is None:
            elsewhere.append(entry)
            continue
        month: list[Record] = []
        try:
            for number, line in archived_lines(path):
                record = _archived_record(line, f"{entry.where}:{number}", stats)
                if record is None or (since is not None and record.day < since):
                    continue
                if schedule is not None and record.schedule != schedule:
                    continue
                if prefix is not None and not record.schedule.startswith(prefix):
                    continue
                month.append(record)
        except (OSError, EOFError, zlib.error):
            elsewhere.append(entry)  # unreadable here: said to be elsewhere, never guessed
            continue
        found += month
    return found, elsewhere


def _archived_record(line: str, name: str, stats: ReadStats | None) -> Record | None:
    if not line.strip():
        return None
    try:
        return parse_line(line, name)
    except StateError:
        if stats is not None:
            stats.skipped.append(name)
        return None
