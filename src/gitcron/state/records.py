"""One run attempt as history keeps it: the `Record` type and its one-line JSON form.

A line is compact JSON with sorted keys and ASCII escapes, so it never contains a line break
(not even U+2028) and equal records are equal lines: what git's `merge=union` needs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, cast, get_args

from gitcron.state.codec import Fields, format_instant, shown
from gitcron.state.codec import make_run_id as make_run_id

Trigger = Literal["scheduled", "manual", "retry", "catchup"]
RunStatus = Literal["succeeded", "partial", "failed", "skipped", "missed"]
DeliveryStatus = Literal[
    "succeeded", "failed", "skipped"
]  # skipped: delivered by an earlier attempt
LabelValue = str | int | float | bool

TRIGGERS: tuple[str, ...] = get_args(Trigger)
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)
DELIVERY_STATUSES: tuple[str, ...] = get_args(DeliveryStatus)

RecordKey = tuple[str, int, str, str]  # run_id, attempt, trigger, started as stored


@dataclass(frozen=True, slots=True)
class FileInfo:
    """The file a run produced, so a delivery can be checked against it later."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one delivery target in one attempt."""

    target: str
    status: DeliveryStatus
    error: str | None = None
    permanent: bool = False  # a failure that a retry cannot fix (a 401, a refused address)
    note: str | None = None  # where it went, e.g. outbox/acme/report.xlsx


@dataclass(frozen=True, slots=True)
class Record:
    """One attempt of one run (or one fire recorded as skipped or missed); one history line.

    `started` is when the attempt began (for skipped and missed fires: the tick that recorded
    them), and it decides the day file: state/history/<started's UTC date>.jsonl.
    """

    run_id: str
    schedule: str
    fire: datetime
    trigger: Trigger
    status: RunStatus
    attempt: int
    started: datetime
    duration_ms: int = 0
    rows: int | None = None
    file: FileInfo | None = None
    deliveries: tuple[Delivery, ...] = ()
    error: str | None = None
    labels: Mapping[str, LabelValue] = field(default_factory=dict)
    note: str | None = None  # why a fire was skipped or missed, or what an empty run did
    permanent: bool = False  # the job failed in a way a retry cannot fix

    @property
    def day(self) -> date:
        """The UTC date of `started`: which day file holds this record."""
        return self.started.astimezone(UTC).date()

    @property
    def key(self) -> RecordKey:
        """What makes a record unique in history: replaying it must not add it twice."""
        return (self.run_id, self.attempt, self.trigger, format_instant(self.started))


def record_to_json(record: Record) -> dict[str, Any]:
    """A record as the JSON object of its history line."""
    info = record.file
    return {
        "run_id": record.run_id,
        "schedule": record.schedule,
        "fire": format_instant(record.fire),
        "trigger": record.trigger,
        "status": record.status,
        "attempt": record.attempt,
        "started": format_instant(record.started),
        "duration_ms": record.duration_ms,
        "rows": record.rows,
        "file": None
        if info is None
        else {"name": info.name, "size": info.size, "sha256": info.sha256},
        "deliveries": [_delivery_to_json(d) for d in record.deliveries],
        "error": record.error,
        "labels": dict(record.labels),
    } | _optional(note=record.note, permanent=record.permanent or None)


def _delivery_to_json(d: Delivery) -> dict[str, Any]:
    return {"target": d.target, "status": d.status, "error": d.error} | _optional(
        note=d.note, permanent=d.permanent or None
    )


def _optional(**values: Any) -> dict[str, Any]:
    """Keys written only when set, so lines stay short and older lines stay valid."""
    return {k: v for k, v in values.items() if v is not None}


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
    """Read one parsed history line; StateError names `name` (file:line) and the bad field.

    Keys this release does not know are ignored: a newer gitcron may add some to its lines.
    """
    f = Fields(data, name, "", "the line is skipped; history lines are never rewritten")
    info = f.opt_child("file")
    return Record(
        run_id=f.text("run_id"),
        schedule=f.text("schedule"),
        fire=f.instant("fire"),
        trigger=cast(Trigger, f.choice("trigger", TRIGGERS)),
        status=cast(RunStatus, f.choice("status", RUN_STATUSES)),
        attempt=f.count("attempt"),
        started=f.instant("started"),
        duration_ms=f.count("duration_ms"),
        rows=f.opt_count("rows"),
        file=None
        if info is None
        else FileInfo(name=info.text("name"), size=info.count("size"), sha256=info.text("sha256")),
        deliveries=tuple(
            Delivery(
                target=d.text("target"),
                status=cast(DeliveryStatus, d.choice("status", DELIVERY_STATUSES)),
                error=d.opt_text("error"),
                permanent=d.data.get("permanent") is True,
                note=d.data.get("note") if isinstance(d.data.get("note"), str) else None,
            )
            for d in f.children("deliveries")
        ),
        error=f.opt_text("error"),
        labels=_labels(f.child("labels")),
        note=f.data.get("note") if isinstance(f.data.get("note"), str) else None,
        permanent=f.data.get("permanent") is True,
    )


def _labels(f: Fields) -> dict[str, LabelValue]:
    for key, value in f.data.items():
        if not isinstance(value, str | int | float | bool):
            raise f.error(f"expected a string, number or boolean, found {shown(value)}", key)
    return dict(f.data)
