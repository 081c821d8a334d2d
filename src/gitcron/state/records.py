"""One run attempt as history keeps it: the `Record` type and its one-line JSON form.

A line is compact JSON with sorted keys and ASCII escapes, so it never contains a line break
(not even U+2028) and equal records are equal lines: what git's `merge=union` needs.

Keys this release does not know are ignored (a newer gitcron may add some to its lines). A year
of history is mostly lines of runs that went as usual, so a line says only what its record alone
says: it leaves out every field that holds its default (no rows, no file, no error, no labels,
a zero duration, the first attempt of a scheduled fire that succeeded, a delivery that
succeeded) and the run id when it is the usual `schedule@fire`, and spells `started` and
`generated`, the digests, delivery notes, a file and the frequent keys shorter, leaving out the
mail server an email went through (`line_spelling.py`). Readers fill all of it back in, and
older, longer lines read the same.
`gitcron history --format json` keeps showing every field: only the stored line is compact.

Over 250 lines: a line is written and read back here side by side, so what the writer leaves out
and what the reader fills back in are read together; the spellings are in line_spelling.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any, Literal, get_args

from gitcron.state.codec import (
    Amount,
    Codec,
    Count,
    DurationMs,
    Instant,
    Label,
    LenientFlag,
    LenientText,
    format_instant,
)
from gitcron.state.codec import LabelValue as LabelValue
from gitcron.state.codec import make_run_id as make_run_id
from gitcron.state.files import StateError
from gitcron.state.line_spelling import (
    as_stored,
    digest_base64,
    digest_hex,
    instant_after,
    lengthened,
    note_from_references,
    note_references,
    note_with_references,
    note_without_server,
    seconds_after,
    shortened,
)

# resend: a past run delivered again (`gitcron resend`); backfill: a past period's fires run late
Trigger = Literal["scheduled", "manual", "retry", "catchup", "resend", "backfill"]
# abandoned: a claimed fire whose tick died before its outcome landed, found too late to send
# again; it may have been delivered (docs/commit.md, "Claims")
RunStatus = Literal["succeeded", "partial", "failed", "skipped", "missed", "abandoned"]
DeliveryStatus = Literal[
    "succeeded", "failed", "skipped"
]  # skipped: delivered by an earlier attempt

TRIGGERS: tuple[str, ...] = get_args(Trigger)
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)
DELIVERY_STATUSES: tuple[str, ...] = get_args(DeliveryStatus)

RecordKey = tuple[str, int, str, str]  # run_id, attempt, trigger, started as stored
RunKey = tuple[str, int]  # run id, attempt: what makes two records the same attempt of a run
LINE_HINT = "the line is skipped; history lines are never rewritten"


@dataclass(frozen=True, slots=True)
class FileInfo:
    """The file a run produced, so a delivery can be checked against it later."""

    name: str
    size: Amount
    sha256: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one delivery target in one attempt."""

    target: str
    status: DeliveryStatus
    error: str | None = None
    note: LenientText = None  # where it went, e.g. outbox/acme/report.xlsx
    permanent: LenientFlag = False  # a failure that a retry cannot fix (a 401, a refused address)


@dataclass(frozen=True, slots=True)
class Record:
    """One attempt of one run (or one fire recorded as skipped or missed); one history line.

    `started` is when the attempt began (for skipped and missed fires: the tick that recorded
    them), and it decides the day file: state/history/<started's UTC date>.jsonl.
    """

    run_id: str
    schedule: str
    fire: Instant
    trigger: Trigger
    status: RunStatus
    attempt: Count
    started: Instant
    duration_ms: DurationMs = 0
    rows: Amount | None = None
    file: FileInfo | None = None
    deliveries: tuple[Delivery, ...] = ()
    error: str | None = None
    labels: Mapping[str, Label] = field(default_factory=dict)
    note: LenientText = None  # why a fire was skipped or missed, or what an empty run did
    permanent: LenientFlag = False  # the job failed in a way a retry cannot fix
    # a retry's: when the run's first attempt began, the "generated" time its files show (the
    # first attempt's is its `started`); written only when set
    generated: Instant | None = None
    rows_sha256: LenientText = None  # a digest of the rows (on_unchanged: skip); when set

    @property
    def day(self) -> date:
        """The UTC date of `started`: which day file holds this record."""
        return self.started.astimezone(UTC).date()

    @property
    def key(self) -> RecordKey:
        """What makes a record unique in history: replaying it must not add it twice."""
        return (self.run_id, self.attempt, self.trigger, format_instant(self.started))


_RECORD = Codec(Record)


def record_to_json(record: Record) -> dict[str, Any]:
    """A record as the JSON object of its history line."""
    data: dict[str, Any] = _RECORD.encode(record)
    for entry in (data, *data["deliveries"]):  # `note` and `permanent`: written only when set
        if entry["note"] is None:
            del entry["note"]
        if not entry["permanent"]:
            del entry["permanent"]
    for key in ("generated", "rows_sha256"):  # written only when set
        if data[key] is None:
            del data[key]
    return data


_LEFT_OUT: dict[str, object] = {  # fields a line leaves out when they hold these values
    "duration_ms": 0,
    "rows": None,
    "file": None,
    "deliveries": [],
    "error": None,
    "labels": {},
}


_AFTER_FIRE = ("started", "generated")  # instants a line writes as the seconds after the fire
# most lines: left out
_USUAL: dict[str, object] = {"attempt": 1, "trigger": "scheduled", "status": "succeeded"}


def line_json(record: Record) -> dict[str, Any]:
    """A record as its stored line has it: defaults and the usual run id left out, `started`
    after the fire, the file's digest in base64, notes with references and without an email's
    mail server, short key names and shapes."""
    data = record_to_json(record)
    for key, default in _LEFT_OUT.items():
        if data.get(key, default) == default:
            data.pop(key, None)
    file = data.get("file")
    if file is not None:
        file["sha256"] = digest_base64(file["sha256"])
    for entry in data.get("deliveries", ()):
        if entry.get("error") is None:
            entry.pop("error", None)
        if entry["status"] == "succeeded":
            del entry["status"]
        if "note" in entry:
            note = note_without_server(entry["note"], entry["target"])
            entry["note"] = note_with_references(note, note_references(entry, file))
    if data["run_id"] == f"{data['schedule']}@{data['fire']}":
        del data["run_id"]
    for key, usual in _USUAL.items():
        if data[key] == usual:
            del data[key]
    for key in _AFTER_FIRE:
        if key in data:
            data[key] = seconds_after(data[key], data["fire"])
    if data["started"] == 0:  # a retry's `generated` of 0 stays: left out, it is None
        del data["started"]
    if "rows_sha256" in data:
        data["rows_sha256"] = digest_base64(data["rows_sha256"])
    return shortened(data)


def encode_line(record: Record) -> str:
    """The history line of a record, without its newline."""
    return json.dumps(
        line_json(record),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )


def record_from_json(data: object, name: str) -> Record:
    """Read one parsed history line; StateError names `name` (file:line) and the bad field."""
    stored = data
    if isinstance(data, dict):
        data = lengthened(data)
    if isinstance(data, dict) and "schedule" in data and "fire" in data:  # a short line
        data = {**_USUAL, **data}
        schedule, fire = data["schedule"], data["fire"]
        if "run_id" not in data and isinstance(schedule, str) and isinstance(fire, str):
            data["run_id"] = f"{schedule}@{fire}"  # the usual run id, left out
        if "started" in data or isinstance(fire, str):  # left out: the fire
            data["started"] = instant_after(data.get("started", 0), fire)
        if "generated" in data:
            data["generated"] = instant_after(data["generated"], fire)
        if "rows_sha256" in data:
            data["rows_sha256"] = digest_hex(data["rows_sha256"])
        file = data.get("file")
        if isinstance(file, dict) and "sha256" in file:
            file = data["file"] = {**file, "sha256": digest_hex(file["sha256"])}
        deliveries = data.get("deliveries")
        if isinstance(deliveries, list):
            data["deliveries"] = [
                _delivery_from_json(entry, file) if isinstance(entry, dict) else entry
                for entry in deliveries
            ]
    try:
        return _RECORD.decode(data, name, LINE_HINT)
    except StateError as error:  # named as the line names it
        if not isinstance(stored, dict):
            raise
        raise StateError(as_stored(error.message, name, stored), error.hint) from None


def _delivery_from_json(entry: dict[str, Any], file: object) -> dict[str, Any]:
    entry = {"status": "succeeded", **entry}
    if "note" in entry:
        entry["note"] = note_from_references(entry["note"], note_references(entry, file))
    return entry


# How much a record says happened to its (run id, attempt), highest first: a delivery, an attempt
# that delivered nothing, a claimed fire that may have been delivered, a fire no tick ran.
_RANK: dict[str, int] = {
    "succeeded": 4,
    "partial": 4,
    "failed": 3,
    "abandoned": 2,
    "skipped": 1,
    "missed": 1,
}


def run_key(record: Record) -> RunKey:
    return (record.run_id, record.attempt)


def outranks(record: Record, other: Record) -> bool:
    """Whether `record` says more happened than `other`: a delivery wins over "missed"."""
    return _RANK.get(record.status, 0) > _RANK.get(other.status, 0)


def winning(records: Iterable[Record]) -> dict[RunKey, Record]:
    """The record that stands for each (run id, attempt), records given in history order.

    History is append-only, so a record is superseded by a later line, never rewritten: the
    one that says most happened wins, and of equals the later one.
    """
    found: dict[RunKey, Record] = {}
    for record in records:
        key = run_key(record)
        held = found.get(key)
        if held is None or not outranks(held, record):
            found[key] = record
    return found
