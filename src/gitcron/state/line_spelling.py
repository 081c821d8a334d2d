"""How a history line spells the values it shortens, and how a reader spells them back.

A year of history is mostly lines of runs that went as usual, and most of such a line's bytes
said again what the line already says or could say shorter (docs/tick.md, "State"):
  - `started` is written as the whole seconds after the fire (a tick starts a run minutes after
    its fire, so a few digits instead of an instant), and left out when it is the fire; so is a
    retry's `generated` (when its first attempt began), never left out;
  - the file's sha256, and `rows_sha256`, are written in base64, the spelling S3 checksums use,
    without its `=` padding: 43 characters, not 64;
  - a delivery's note names where the file went, which mostly repeats the target's destination
    and the file's name: a note that says them is written as a list of its pieces with 0 for the
    destination (`buyer@acme.example` of target `email:buyer@acme.example`) and 1 for the file
    name, e.g. `["uploaded to sftp://gitcron@sftp.acme.example/in/", 1]`;
  - the keys nearly every line has are named short (`SHORT_KEYS`: `id` for `schedule`, `to` for
    `deliveries`, ...), and two shapes go without key names: a file is `[name, size, sha256]`,
    a delivery that succeeded is `[target, note]` (or just its target, without a note).
Each spelling is chosen only when it reads back as the same value, and readers take both it and
the older one, so lines written before read the same. One thing is left out, not spelled: the
mail server an email went through (` via smtp.example.com:587` in its note, `note_without_server`),
the same on every email of a repository; the whole digest is kept (`gitcron resend` checks a
stored copy against it). `records.py` applies all of it to a line.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from gitcron.state.codec import format_instant, parse_instant


def seconds_after(instant: str, fire: str) -> str | int:
    """An instant as stored as the whole seconds after `fire`; as it is if before."""
    after = parse_instant(instant) - parse_instant(fire)
    return after // timedelta(seconds=1) if after >= timedelta(0) else instant


def instant_after(value: object, fire: object) -> object:
    """A stored `started` or `generated` as an instant: whole seconds are added to the fire; an
    instant, or anything the decoder must refuse, is left as it is."""
    if type(value) is not int or value < 0 or not isinstance(fire, str):
        return value
    try:
        return format_instant(parse_instant(fire) + timedelta(seconds=value))
    except (ValueError, OverflowError):  # not an instant, or past year 9999: refused as it is
        return value


def note_references(delivery: Mapping[str, Any], file: object) -> tuple[str | None, str | None]:
    """What a note's references 0 and 1 stand for: the destination its target names (after the
    channel: `buyer@acme.example` of `email:buyer@acme.example`), and the run's file name."""
    target = delivery.get("target")
    destination = target.partition(":")[2] if isinstance(target, str) else None
    name = file.get("name") if isinstance(file, dict) else None
    return destination or None, name if isinstance(name, str) and name else None


_SHORTEST_REFERENCED = 4  # a shorter text costs as many bytes as its reference


def note_with_references(note: str, texts: tuple[str | None, ...]) -> str | list[str | int]:
    """The note, or its pieces with each of `texts` (by its index) where the note says it."""
    pieces: list[str | int] = [note]
    for index, text in enumerate(texts):
        if text is None or len(text) < _SHORTEST_REFERENCED:
            continue
        split: list[str | int] = []
        for piece in pieces:
            if isinstance(piece, str):
                for part in piece.split(text):
                    split += [part, index]
                split.pop()
            else:
                split.append(piece)
        pieces = [piece for piece in split if piece != ""]
    return pieces if any(isinstance(piece, int) for piece in pieces) else note


def note_from_references(note: object, texts: tuple[str | None, ...]) -> object:
    """A stored note as text: a reference that stands for nothing makes it unreadable (None)."""
    if not isinstance(note, list):
        return note
    out: list[str] = []
    for piece in note:
        if isinstance(piece, str):
            out.append(piece)
        else:
            text = texts[piece] if type(piece) is int and 0 <= piece < len(texts) else None
            if text is None:
                return None
            out.append(text)
    return "".join(out)


_SERVER = re.compile(r"(sent to .+?) via [^\s(]+")  # how the email channel names its server


def note_without_server(note: str, target: str) -> str:
    """An email's note without the mail server it went through: `sent to buyer@acme.example via
    smtp.example.com:587 (...)` is kept as `sent to buyer@acme.example (...)`."""
    if not target.startswith("email:"):
        return note
    return _SERVER.sub(r"\1", note, count=1) if _SERVER.match(note) else note


_DIGEST_BYTES = 32  # sha256
_BASE64 = 43  # characters of a sha256 in base64, without the padding `=`


def digest_base64(hex_digest: str) -> str:
    """A sha256 in base64 without padding (43 characters, not 64); anything else as it is."""
    try:
        raw = bytes.fromhex(hex_digest)
    except ValueError:
        return hex_digest
    if len(raw) != _DIGEST_BYTES or raw.hex() != hex_digest:  # only what reads back the same
        return hex_digest
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def digest_hex(digest: object) -> object:
    """A stored sha256 as hex: base64 (43 characters, or 44 with its padding) is decoded, hex
    and anything else kept."""
    if not isinstance(digest, str) or len(digest.removesuffix("=")) != _BASE64:
        return digest
    padded = digest.removesuffix("=") + "="
    try:
        raw = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return digest
    if len(raw) != _DIGEST_BYTES or base64.b64encode(raw).decode("ascii") != padded:
        return digest  # not what a writer spells: kept as it is
    return raw.hex()


# The short names of the keys nearly every line has (rarer keys keep their names): each is a
# word or a common abbreviation, and none is a long name, so a reader takes both.
SHORT_KEYS: dict[str, str] = {
    "schedule": "id",
    "run_id": "run",
    "started": "start",
    "duration_ms": "ms",
    "deliveries": "to",
}
_LONG_KEYS = {short: long for long, short in SHORT_KEYS.items()}
FILE_FIELDS = ("name", "size", "sha256")  # a file's list, in this order
_AS_PAIR = ({"target"}, {"target", "note"})  # the keys of a delivery written without names


def key_spellings(key: str) -> tuple[str, ...]:
    """How a line may name `key`: its long name, and its short one if it has one."""
    return (key, SHORT_KEYS[key]) if key in SHORT_KEYS else (key,)


def shortened(data: dict[str, Any]) -> dict[str, Any]:
    """A line's object (long names, values already spelled) with short names and shapes."""
    if isinstance(data.get("file"), dict) and set(data["file"]) == set(FILE_FIELDS):
        data["file"] = [data["file"][name] for name in FILE_FIELDS]
    if "deliveries" in data:
        data["deliveries"] = [_delivery_shortened(entry) for entry in data["deliveries"]]
    return {SHORT_KEYS.get(key, key): value for key, value in data.items()}


def _delivery_shortened(entry: dict[str, Any]) -> object:
    if set(entry) not in _AS_PAIR:
        return entry
    return [entry["target"], entry["note"]] if "note" in entry else entry["target"]


def lengthened(data: dict[str, Any]) -> dict[str, Any]:
    """A stored line's object with long names and shapes; anything a decoder must refuse is
    left for it to refuse. A long name wins over its short one (that is then an unknown key)."""
    out = {
        key if (long := _LONG_KEYS.get(key)) is None or long in data else long: value
        for key, value in data.items()
    }
    file = out.get("file")
    if type(file) is list and len(file) == len(FILE_FIELDS):
        out["file"] = {"name": file[0], "size": file[1], "sha256": file[2]}  # as FILE_FIELDS
    deliveries = out.get("deliveries")
    if type(deliveries) is list:
        out["deliveries"] = [_delivery_lengthened(entry) for entry in deliveries]
    return out


def as_stored(message: str, name: str, stored: Mapping[str, Any]) -> str:
    """A reader's message about `name` (`file:line: field: problem`) with the field's name as
    the stored line has it, when that is short: `deliveries[0] (`to` in the line): ...`."""
    for long, short in SHORT_KEYS.items():
        head = f"{name}: {long}"
        if short not in stored or long in stored or not message.startswith(head):
            continue
        end = message.find(": ", len(head))
        if end >= 0 and message[len(head) : len(head) + 1] in (".", "[", ":"):
            return f"{message[:end]} (`{short}` in the line){message[end:]}"
    return message


def _delivery_lengthened(entry: object) -> object:
    if isinstance(entry, str):
        return {"target": entry}
    if isinstance(entry, list) and len(entry) == 2:
        return {"target": entry[0], "note": entry[1]}
    return entry
