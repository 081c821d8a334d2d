"""The run history: `state/history/YYYY-MM-DD.jsonl`, one record per line, append-only, pruned.

Appends are idempotent (a record whose key is already in its day file is not written again), so
replaying a tick's records onto a fresh copy of the remote state after a rejected push is safe.
A line is appended whole and fsynced; a line torn by a crash is skipped and counted by readers,
and so is a line no tick writes: longer than MAX_LINE, or nested deeper than state ever is.

A day file is only ever appended to: no tick rewrites a complete day, so git stores each day's
growth as it happened and a day older than today never changes again. A day file that is a
symbolic link or not a regular file was not written by a tick and is refused, never written
through (it could point anywhere on the machine running the tick).

Over 250 lines: reading, appending and pruning day files share the same rules (which files are
days, which are refused), and keeping them here keeps those rules in one place.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gitcron.files import fsync_dir
from gitcron.state.codec import format_instant
from gitcron.state.files import StateError, nested_too_deep, too_deep
from gitcron.state.line_spelling import key_spellings
from gitcron.state.records import (
    Delivery,
    FileInfo,
    Record,
    RecordKey,
    encode_line,
    make_run_id,
    record_from_json,
)

__all__ = [
    "HISTORY_DIR",
    "Delivery",
    "FileInfo",
    "ReadStats",
    "Record",
    "append",
    "day_path",
    "iter_records",
    "make_run_id",
    "merge_records",
    "prune",
]

HISTORY_DIR = "state/history"
# how the lines ticks write name the schedule, without spaces: `"id":` now, `"schedule":` before
_SCHEDULE_KEYS = tuple(f'"{key}":' for key in key_spellings("schedule"))
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.jsonl")
MAX_LINE = 1024 * 1024  # characters of one history line; a record's line is a few hundred


@dataclass
class ReadStats:
    """What a read skipped: lines that are torn or not records, as `file:line` (never fatal)."""

    skipped: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.skipped)


def day_path(root: Path, day: date) -> Path:
    """The history file of one UTC day, under the repo root."""
    return root / HISTORY_DIR / f"{day.isoformat()}.jsonl"


def day_files(root: Path) -> list[tuple[date, Path]]:
    """The history day files that exist, oldest first; other files in the folder are ignored."""
    folder = root / HISTORY_DIR
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _DAY_FILE.fullmatch(path.name)
        if match and stat.S_ISREG(path.lstat().st_mode):  # a link is no day file
            try:
                found.append((date.fromisoformat(match.group(1)), path))
            except ValueError:
                continue
    return sorted(found)


def read_lines(path: Path) -> list[str]:
    """A history file's lines, without line ends; split on "\\n" only; missing file: none."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    lines = raw.decode("utf-8", errors="replace").split("\n")
    if lines[-1] == "":
        lines.pop()  # the final newline of a whole last line (or an empty file)
    return lines


def parse_line(line: str, name: str) -> Record:
    """One history line as a Record; StateError when it is torn or not a record."""
    if len(line) > MAX_LINE:
        raise StateError(f"{name}: not a record: longer than {MAX_LINE} characters")
    try:
        data = json.loads(line)
    except RecursionError:
        raise StateError(f"{name}: not a record: {too_deep()}") from None
    except json.JSONDecodeError as exc:
        raise StateError(f"{name}: not a complete JSON line: {exc.msg}") from None
    if nested_too_deep(data):
        raise StateError(f"{name}: not a record: {too_deep()}")
    return record_from_json(data, name)


def iter_records(
    root: Path,
    since: date | None = None,
    schedule: str | None = None,
    stats: ReadStats | None = None,
    prefix: str | None = None,
    days: Collection[date] | None = None,
) -> Iterator[Record]:
    """Records oldest day first, in file order; bad lines are skipped and noted in `stats`.

    `schedule` (an id) or `prefix` (`acme/`) keeps only those schedules' records, and a line a
    tick wrote for another schedule is passed over without being decoded; `days` reads only
    those day files.
    """
    wanted = schedule if schedule is not None else prefix
    needles: tuple[str, ...] = ()
    if wanted is not None:
        text = json.dumps(wanted)[:-1] + ('"' if schedule is not None else "")
        needles = tuple(key + text for key in _SCHEDULE_KEYS)
    for day, path in day_files(root):
        if (since is not None and day < since) or (days is not None and day not in days):
            continue
        rel = f"{HISTORY_DIR}/{path.name}"
        for number, line in enumerate(read_lines(path), start=1):
            if not line.strip():
                continue
            if needles and not any(n in line for n in needles) and _names_schedule(line):
                continue  # a tick's line for another schedule: not decoded
            try:
                record = parse_line(line, f"{rel}:{number}")
            except StateError:
                if stats is not None:
                    stats.skipped.append(f"{rel}:{number}")
                continue
            if schedule is not None and record.schedule != schedule:
                continue
            if prefix is not None and not record.schedule.startswith(prefix):
                continue
            yield record


def _names_schedule(line: str) -> bool:
    return any(key in line for key in _SCHEDULE_KEYS)


def _known_keys(lines: Iterable[str], instants: set[str] | None = None) -> set[RecordKey]:
    """The keys of `lines`; with `instants`, only of lines that mention one of them: the records'
    fires and starts. A key holds its run id, which names one fire, and its start, which a line
    spells as an instant or as seconds after that fire (line_spelling.py): a line mentioning
    neither cannot match, and need not be decoded."""
    keys = set()
    for line in lines:
        if instants is not None and not any(text in line for text in instants):
            continue
        try:
            keys.add(parse_line(line, "history").key)
        except StateError:
            continue
    return keys


def new_lines(existing_lines: Iterable[str], records: Iterable[Record]) -> list[str]:
    """The lines of `records` whose key is neither in `existing_lines` nor earlier in `records`."""
    records = list(records)
    instants = {format_instant(when) for r in records for when in (r.fire, r.started)}
    seen = _known_keys(existing_lines, instants)
    added = []
    for record in records:
        if record.key not in seen:
            seen.add(record.key)
            added.append(encode_line(record))
    return added


def merge_records(existing_lines: Iterable[str], new_records: Iterable[Record]) -> list[str]:
    """Existing lines kept verbatim, then each new record once: merging twice changes nothing."""
    kept = [line.rstrip("\r\n") for line in existing_lines]
    kept = [line for line in kept if line.strip()]
    return kept + new_lines(kept, new_records)


def append(root: Path, records: Iterable[Record]) -> dict[Path, int]:
    """Append records not yet in their day files as whole fsynced lines; lines added per file."""
    by_day: dict[date, list[Record]] = {}
    for record in records:
        by_day.setdefault(record.day, []).append(record)
    added: dict[Path, int] = {}
    for day, group in sorted(by_day.items()):
        path = day_path(root, day)
        refuse_odd_file(path.parent, HISTORY_DIR, folder=True)
        refuse_odd_file(path, f"{HISTORY_DIR}/{path.name}")
        lines = new_lines(read_lines(path), group)
        if lines:
            _append_lines(path, lines)
            added[path] = len(lines)
    return added


def refuse_odd_file(path: Path, name: str, folder: bool = False) -> None:
    """StateError when `path` exists but is a symbolic link or not a regular file (`folder`:
    not a directory)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode):
        return
    kind = "history folder" if folder else "history day file"
    if stat.S_ISLNK(mode):
        what = "a symbolic link"
    else:
        what = "not a directory" if folder else "not a regular file"
    raise StateError(
        f"{name}: {kind} is {what}, which no tick writes; nothing was appended",
        f"remove {name} (`git rm {name}`) and restore the day from git history if it had records",
    )


def _append_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    name = f"{HISTORY_DIR}/{path.name}"
    refuse_odd_file(path.parent, HISTORY_DIR, folder=True)
    refuse_odd_file(path, name)
    created = not path.exists()
    payload = "".join(line + "\n" for line in lines).encode("utf-8")
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        refuse_odd_file(path, name)  # planted between the check and the open
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StateError(f"{name}: history day file is not a regular file; nothing was appended")
    with os.fdopen(fd, "a+b") as handle:
        if handle.seek(0, os.SEEK_END) > 0:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                payload = b"\n" + payload  # end a torn line so it cannot swallow the next record
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    if created:
        fsync_dir(path.parent)


def prune(root: Path, today: date, keep_months: int) -> list[Path]:
    """Delete day files older than `keep_months` months before `today`; the files deleted."""
    if keep_months < 0:
        raise ValueError(f"keep_months must be >= 0, not {keep_months}")
    cutoff = months_before(today, keep_months)
    deleted = []
    for day, path in day_files(root):
        if day < cutoff:
            path.unlink()
            deleted.append(path)
    return deleted


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier, clamped to that month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + month // 12, month % 12 + 1, 1)
    last = (next_first - date(year, month, 1)).days
    return date(year, month, min(day.day, last))
