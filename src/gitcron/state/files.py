"""Durable, minimal file writes for state/: atomic replace, canonical JSON, nothing rewritten twice.

A tick commits whatever it wrote, so a file is only replaced when its bytes change; and a crash
or a failed rename must leave either the old file or the new one, never half of either.

Reading is bounded: a state file can reach a tick through a pull request, so one of absurd size
or nesting is reported as damaged, never parsed without limit (json recurses once per level).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from gitcron.errors import GitcronError
from gitcron.files import FILE_MODE, replacing

MAX_FILE_BYTES = 64 * 1024 * 1024  # a customer file holds ~550 bytes a schedule: 120,000 of them
MAX_DEPTH = 16  # levels of nested objects and lists; state files use 5, history lines 3


class StateError(GitcronError):
    """A state or history file cannot be used as it is; the hint says how to get it back."""


def repair_hint(name: str) -> str:
    """The way out of a bad state file, worded the same everywhere."""
    return (
        f"restore the last committed version with `gitcron state repair` "
        f"(or `git checkout -- {name}`), or delete {name} to re-anchor its schedules from now"
    )


def encode_json(data: Any) -> bytes:
    """The one byte form of a state file: 2-space indent, sorted keys, UTF-8, final newline."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def write_bytes(path: Path, content: bytes) -> bool:
    """Replace `path` atomically with `content` unless it already holds it; True if it wrote."""
    try:
        if path.read_bytes() == content:
            return False
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = FILE_MODE
    with replacing(path, mode=mode, durable=True) as handle:
        handle.write(content)
    return True


def write_json(path: Path, data: Any) -> bool:
    """Write `data` as canonical JSON if that changes the file; True if it wrote."""
    return write_bytes(path, encode_json(data))


def read_json(path: Path, name: str) -> Any:
    """Parse a state file, or raise StateError naming `name`, line and column; never reset it.

    A missing file raises FileNotFoundError: whether that is normal is the caller's call.
    """
    return parse_json(read_bounded(path, name), name)


def parse_json(raw: bytes, name: str) -> Any:
    """A state file's bytes parsed, or StateError naming `name`, the line and the column."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise StateError(
            f"{name}:{line}:{column}: corrupt state file: not UTF-8 text", repair_hint(name)
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise StateError(f"{name}: corrupt state file: {too_deep()}", repair_hint(name)) from None
    except json.JSONDecodeError as exc:
        line, column, what = _explain(exc)
        raise StateError(
            f"{name}:{line}:{column}: corrupt state file: {what}", repair_hint(name)
        ) from None
    except _DuplicateKeyError as exc:
        raise StateError(
            f"{name}: corrupt state file: key {json.dumps(exc.key)} appears twice in one object",
            repair_hint(name),
        ) from None
    if nested_too_deep(data):
        raise StateError(f"{name}: corrupt state file: {too_deep()}", repair_hint(name))
    return data


def read_bounded(path: Path, name: str) -> bytes:
    """The bytes of a state file, read only when it is a plain file of at most MAX_FILE_BYTES; a
    missing file raises FileNotFoundError."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise  # FileNotFoundError: the caller decides
        raise StateError(
            f"{name}: corrupt state file: a symbolic link, which no tick writes", repair_hint(name)
        ) from None
    chunks: list[bytes] = []
    try:  # plain reads, no buffered file object: a tick reads a thousand customers' files
        left = min(os.fstat(fd).st_size, MAX_FILE_BYTES) + 1  # what st_size says may grow meanwhile
        while left > 0 and (chunk := os.read(fd, left)):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        raise StateError(
            f"{name}: corrupt state file: larger than {MAX_FILE_BYTES // 2**20} MiB, "
            "which no state file comes near",
            repair_hint(name),
        )
    return raw


def nested_too_deep(data: Any) -> bool:
    """Whether parsed JSON nests objects and lists more than MAX_DEPTH deep (walked level by level,
    without recursion)."""
    level = [data] if type(data) is dict or type(data) is list else []
    for _ in range(MAX_DEPTH):
        if not level:
            return False
        level = [  # `type(x) is`: json builds plain dicts and lists, and this is 3x faster
            child
            for item in level
            for child in (item.values() if type(item) is dict else item)
            if type(child) is dict or type(child) is list
        ]
    return bool(level)


def too_deep() -> str:
    """What is wrong with JSON that nests too deep, in the words of both file kinds."""
    return f"objects and lists nested more than {MAX_DEPTH} levels deep"


def _explain(exc: json.JSONDecodeError) -> tuple[int, int, str]:
    """Line, column and words for a JSON error; a trailing comma is reported where it is."""
    text, pos = exc.doc, exc.pos
    if not text.strip():
        return exc.lineno, exc.colno, "the file is empty"
    if pos >= len(text.rstrip()):
        return exc.lineno, exc.colno, f"the file ends too early (truncated?): {exc.msg}"
    if exc.msg.startswith("Unterminated string"):  # a JSON string cannot span lines: it hit EOF
        return (
            exc.lineno,
            exc.colno,
            "the file ends too early (truncated?) in a string starting here",
        )
    before = text[:pos].rstrip()
    if text[pos] in "}]" and before.endswith(","):
        comma = len(before) - 1
        line = text.count("\n", 0, comma) + 1
        column = comma - (text.rfind("\n", 0, comma) + 1) + 1
        return line, column, f"trailing comma before '{text[pos]}' (JSON allows none)"
    return exc.lineno, exc.colno, f"not valid JSON: {exc.msg}"


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads keeps the last of two equal keys silently; a hand edit that does so is refused."""
    result = dict(pairs)  # built in C; only an object with a repeated key is walked again
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _DuplicateKeyError(key)
        seen.add(key)
    return result  # not reached: a shorter dict means a repeated key
