"""One run attempt as history keeps it: the `Record` type and its one-line JSON form.

A line is compact JSON with sorted keys and ASCII escapes, so it never contains a line break
(not even U+2028) and equal records are equal lines: what git's `merge=union` needs.

Keys this release does not know are ignored (a newer gitcron may add some to its lines), and
`note` and `permanent` are written only when set, so lines stay short and older lines stay valid.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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

Trigger = Literal["scheduled", "manual", "retry", "catchup"]
RunStatus = Literal["succeeded", "partial", "failed", "skipped", "missed"]
DeliveryStatus = Literal[
    "succeeded", "failed", "skipped"
]  # skipped: delivered by an earlier attempt

TRIGGERS: tuple[str, ...] = get_args(Trigger)
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)
DELIVERY_STATUSES: tuple[str, ...] = get_args(DeliveryStatus)

RecordKey = tuple[str, int, str, str]  # run_id, attempt, trigger, started as stored
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


def encode_line(record: Record) -> str:
    """The history line of a record, without its newline."""
    return json.dumps(
        record_to_json(record),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )


def record_from_json(data: object, name: str) -> Record:
    """Read one parsed history line; StateError names `name` (file:line) and the bad field."""
    return _RECORD.decode(data, name, LINE_HINT)
