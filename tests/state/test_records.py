"""History lines read through the record codec: what a bad line is told, what a short one means."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from gitcron.state.files import StateError
from gitcron.state.records import (
    Delivery,
    FileInfo,
    Record,
    encode_line,
    outranks,
    record_from_json,
    record_to_json,
    run_key,
    winning,
)

NAME = "state/history/2026-11-22.jsonl:3"
MINIMAL: dict[str, Any] = {
    "run_id": "acme-corp/weekly@2026-11-22T15:00:00Z",
    "schedule": "acme-corp/weekly",
    "fire": "2026-11-22T15:00:00Z",
    "trigger": "scheduled",
    "status": "succeeded",
    "attempt": 1,
    "started": "2026-11-22T15:02:10Z",
}
BASE = Record(
    run_id="acme-corp/weekly@2026-11-22T15:00:00Z",
    schedule="acme-corp/weekly",
    fire=datetime(2026, 11, 22, 15, tzinfo=UTC),
    trigger="scheduled",
    status="succeeded",
    attempt=1,
    started=datetime(2026, 11, 22, 15, 2, 10, tzinfo=UTC),
)


def line(**changes: object) -> dict[str, Any]:
    return {**MINIMAL, **changes}


def test_omitted_keys_take_their_defaults() -> None:
    assert record_from_json(MINIMAL, NAME) == BASE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([1], "top level: expected an object, found [1]", id="not-object"),
        pytest.param({}, "run_id: missing", id="empty"),
        pytest.param(
            line(trigger="cron"), "trigger: expected one of scheduled, manual, ", id="trig"
        ),
        pytest.param(line(status=3), "status: expected a string, found 3", id="status-int"),
        pytest.param(line(rows=-1), "rows: expected a whole number >= 0, found -1", id="rows"),
        pytest.param(line(file=3), "file: expected an object, found 3", id="file"),
        pytest.param(line(file={"name": "a"}), "file.size: missing", id="file-size"),
        pytest.param(line(deliveries={}), "deliveries: expected a list, found {}", id="list"),
        pytest.param(line(deliveries=[3]), "deliveries[0]: expected an object, found 3", id="item"),
        pytest.param(
            line(deliveries=[{"target": "x", "status": "lost"}]),
            'deliveries[0].status: expected one of succeeded, failed, skipped, found "lost"',
            id="delivery-status",
        ),
        pytest.param(
            line(labels={"team": None}),
            "labels.team: expected a string, number or boolean, found null",
            id="label",
        ),
        pytest.param(line(labels=[]), "labels: expected an object, found []", id="labels"),
        pytest.param(
            line(fire="2026-11-22 15:00"),
            'fire: expected a UTC instant like 2026-11-22T14:00:00Z, found "2026-11-22 15:00"',
            id="instant",
        ),
    ],
)
def test_a_bad_line_is_told_where_and_what(data: object, message: str) -> None:
    with pytest.raises(StateError) as caught:
        record_from_json(data, NAME)
    assert caught.value.message.startswith(f"{NAME}: {message}")
    assert caught.value.hint == "the line is skipped; history lines are never rewritten"


def test_note_and_permanent_are_read_leniently_and_written_only_when_set() -> None:
    odd = line(note=3, permanent="yes", deliveries=[{"target": "x", "status": "failed", "note": 1}])
    record = record_from_json(odd, NAME)
    assert record.note is None
    assert record.permanent is False
    assert record.deliveries == (Delivery("x", "failed"),)
    assert "note" not in encode_line(record)
    assert "permanent" not in encode_line(record)


def test_json_keys_come_in_field_order() -> None:
    """`gitcron history --format json` prints record_to_json unsorted: its order is the output's."""
    full = Record(
        run_id=BASE.run_id,
        schedule=BASE.schedule,
        fire=BASE.fire,
        trigger="retry",
        status="failed",
        attempt=2,
        started=BASE.started,
        rows=3,
        file=FileInfo("a.csv", 10, "ab" * 32),
        deliveries=(Delivery("x", "failed", "401", note="sent to x", permanent=True),),
        error="401",
        labels={"team": "emea", "priority": 2},
        note="why",
        permanent=True,
    )
    data = record_to_json(full)
    assert list(data) == [
        "run_id", "schedule", "fire", "trigger", "status", "attempt", "started", "duration_ms",
        "rows", "file", "deliveries", "error", "labels", "note", "permanent",
    ]  # fmt: skip
    assert list(data["deliveries"][0]) == ["target", "status", "error", "note", "permanent"]
    assert list(data["file"]) == ["name", "size", "sha256"]
    assert list(data["labels"]) == ["team", "priority"]
    assert record_from_json(json.loads(encode_line(full)), NAME) == full


def _status(status: str, started: str = "2026-11-22T15:02:10Z") -> Record:
    return record_from_json({**MINIMAL, "status": status, "started": started}, NAME)


def test_a_record_of_a_delivery_outranks_one_of_a_missed_fire_whatever_came_first() -> None:
    missed, done = _status("missed"), _status("succeeded", "2026-11-22T15:30:00Z")
    assert outranks(done, missed)
    assert not outranks(missed, done)
    for order in ([missed, done], [done, missed]):
        assert winning(order) == {("acme-corp/weekly@2026-11-22T15:00:00Z", 1): done}


def test_of_equal_records_the_later_line_stands() -> None:
    first, later = _status("failed"), _status("failed", "2026-11-22T15:30:00Z")
    assert winning([first, later])[run_key(first)] is later
    assert outranks(_status("abandoned"), _status("missed"))
    assert outranks(_status("failed"), _status("abandoned"))
