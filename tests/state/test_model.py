"""The tick and customer documents: exact bytes, round trips, format versions, hand edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from gitcron.state import model
from gitcron.state.codec import format_instant, parse_instant
from gitcron.state.files import StateError, encode_json
from gitcron.state.model import (
    PendingRetry,
    ScheduleState,
    TickState,
    customer_from_json,
    customer_to_json,
    delivered_key,
    tick_from_json,
    tick_to_json,
)
from support import utc

NAME = "state/schedules/acme-corp.json"
RUN = "acme-corp/weekly@2026-11-23T15:00:00Z"


WEEKLY = ScheduleState(
    fingerprint="3f2a9c0d1e4b5a67",
    first_seen=utc("2026-11-01T09:15:00"),
    last_fire=utc("2026-11-23T15:00:00"),
    next_fire=utc("2026-11-30T15:00:00"),
    runs=4,
    succeeded=3,
    failed=1,
    consecutive_failures=1,
    pending_retry=PendingRetry(
        run_id=RUN,
        fire=utc("2026-11-23T15:00:00"),
        attempt=1,
        due=utc("2026-11-23T15:05:00"),
        failed_targets=("webhook:https://hooks.acme.example/files",),
    ),
    delivered=(delivered_key(RUN, "email:buyer@acme.example"),),
)
ONCE = ScheduleState(
    fingerprint="0b1c2d3e4f506172",
    first_seen=utc("2026-11-01T09:15:00"),
    last_fire=utc("2026-11-20T14:00:00"),
    runs=1,
    succeeded=1,
    status="completed",
    completed_reason="once: fired",
)

CUSTOMER_BYTES = b"""\
{
  "format": 1,
  "schedules": {
    "once": {
      "anchor": null,
      "completed_reason": "once: fired",
      "consecutive_failures": 0,
      "delivered": [],
      "failed": 0,
      "fingerprint": "0b1c2d3e4f506172",
      "first_seen": "2026-11-01T09:15:00Z",
      "last_fire": "2026-11-20T14:00:00Z",
      "last_manual": null,
      "manual_runs": 0,
      "next_fire": null,
      "pending_retry": null,
      "runs": 1,
      "status": "completed",
      "succeeded": 1
    },
    "weekly": {
      "anchor": null,
      "completed_reason": null,
      "consecutive_failures": 1,
      "delivered": [
        "acme-corp/weekly@2026-11-23T15:00:00Z|email:buyer@acme.example"
      ],
      "failed": 1,
      "fingerprint": "3f2a9c0d1e4b5a67",
      "first_seen": "2026-11-01T09:15:00Z",
      "last_fire": "2026-11-23T15:00:00Z",
      "last_manual": null,
      "manual_runs": 0,
      "next_fire": "2026-11-30T15:00:00Z",
      "pending_retry": {
        "attempt": 1,
        "due": "2026-11-23T15:05:00Z",
        "failed_targets": [
          "webhook:https://hooks.acme.example/files"
        ],
        "fire": "2026-11-23T15:00:00Z",
        "run_id": "acme-corp/weekly@2026-11-23T15:00:00Z"
      },
      "runs": 4,
      "status": "active",
      "succeeded": 3
    }
  }
}
"""


def test_customer_file_bytes_are_sorted_and_stable() -> None:
    assert encode_json(customer_to_json({"weekly": WEEKLY, "once": ONCE})) == CUSTOMER_BYTES
    assert encode_json(customer_to_json({"once": ONCE, "weekly": WEEKLY})) == CUSTOMER_BYTES


def test_customer_round_trip() -> None:
    states = {"weekly": WEEKLY, "once": ONCE}
    assert customer_from_json(json.loads(CUSTOMER_BYTES), NAME) == states


def test_tick_round_trip_and_bytes() -> None:
    tick = TickState(last_tick=utc("2026-11-22T14:00:00"))
    assert encode_json(tick_to_json(tick)) == (
        b'{\n  "format": 1,\n  "last_tick": "2026-11-22T14:00:00Z"\n}\n'
    )
    assert tick_from_json(tick_to_json(tick), "state/tick.json") == tick


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        pytest.param(utc("2026-11-22T14:00:00"), "2026-11-22T14:00:00Z", id="utc"),
        pytest.param(
            datetime(2026, 11, 22, 9, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2026-11-22T14:00:00Z",
            id="offset-converted",
        ),
        pytest.param(
            datetime(2026, 11, 22, 14, 0, 59, 999_999, tzinfo=UTC),
            "2026-11-22T14:00:59Z",
            id="sub-second-dropped",
        ),
    ],
)
def test_instants_are_utc_z_whole_seconds(instant: datetime, text: str) -> None:
    assert format_instant(instant) == text
    assert parse_instant(text) == instant.replace(microsecond=0)
    assert parse_instant(text).tzinfo is UTC


def test_naive_instant_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_instant(datetime(2026, 11, 22, 14, 0))


def test_delivered_keys_of_finished_runs_are_dropped() -> None:
    other = delivered_key("acme-corp/weekly@2026-11-16T15:00:00Z", "email:buyer@acme.example")
    noisy = replace(WEEKLY, delivered=(*WEEKLY.delivered, other, WEEKLY.delivered[0]))
    assert customer_to_json({"w": noisy})["schedules"]["w"]["delivered"] == list(WEEKLY.delivered)
    finished = replace(noisy, pending_retry=None)
    assert customer_to_json({"w": finished})["schedules"]["w"]["delivered"] == []
    assert noisy.was_delivered(RUN, "email:buyer@acme.example")
    assert not noisy.was_delivered(RUN, "webhook:https://hooks.acme.example/files")


def test_newer_format_is_refused() -> None:
    with pytest.raises(StateError) as caught:
        tick_from_json({"format": 2, "last_tick": "2026-11-22T14:00:00Z"}, "state/tick.json")
    assert caught.value.message == (
        "state/tick.json: written by a newer gitcron (state format 2; "
        "this release reads format 1 and older)"
    )
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("upgrade gitcron")


def test_older_format_goes_through_migrate(monkeypatch: pytest.MonkeyPatch) -> None:
    def rename(data: dict[str, Any]) -> dict[str, Any]:
        out = dict(data)
        out["last_tick"] = out.pop("tick")
        return out

    migrations: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: rename}
    monkeypatch.setattr(model, "FORMAT", 2)
    monkeypatch.setattr(model, "MIGRATIONS", migrations)
    old = {"format": 1, "tick": "2026-11-22T14:00:00Z"}
    assert model.migrate(old, 1) == {"format": 2, "last_tick": "2026-11-22T14:00:00Z"}
    assert tick_from_json(old, "state/tick.json") == TickState(utc("2026-11-22T14:00:00"))


def test_version_without_migration_step_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "FORMAT", 3)
    monkeypatch.setattr(model, "MIGRATIONS", {})
    with pytest.raises(StateError, match="state format 1 is not one this release can upgrade"):
        tick_from_json({"format": 1, "last_tick": "2026-11-22T14:00:00Z"}, "state/tick.json")


def edited(path: list[str], value: object) -> dict[str, Any]:
    """CUSTOMER_BYTES parsed, with one value set (or deleted, for the value DELETE)."""
    data: dict[str, Any] = json.loads(CUSTOMER_BYTES)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()
W = ["schedules", "weekly"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "top level: expected an object, found []", id="not-object"),
        pytest.param(
            edited(["format"], DELETE), "format: expected a format version", id="no-format"
        ),
        pytest.param(edited(["format"], "1"), 'found "1"', id="format-string"),
        pytest.param(edited(["format"], True), "found true", id="format-bool"),
        pytest.param(edited(["schedules"], DELETE), "schedules: missing", id="no-schedules"),
        pytest.param(
            edited([*W, "runs"], "three"),
            'schedules.weekly.runs: expected a whole number >= 0, found "three"',
            id="runs-string",
        ),
        pytest.param(
            edited([*W, "failed"], -1), "schedules.weekly.failed: expected a whole", id="negative"
        ),
        pytest.param(
            edited([*W, "last_fire"], "2026-11-23 15:00"),
            "schedules.weekly.last_fire: expected a UTC instant like 2026-11-22T14:00:00Z",
            id="instant-spelling",
        ),
        pytest.param(
            edited([*W, "status"], "done"),
            "schedules.weekly.status: expected one of active, paused, completed, failed, "
            'found "done"',
            id="status",
        ),
        pytest.param(
            edited([*W, "pending_retry", "due"], DELETE),
            "schedules.weekly.pending_retry.due: missing",
            id="retry-missing-due",
        ),
        pytest.param(edited([*W, "runz"], 4), 'schedules.weekly: unknown key "runz"', id="typo"),
        pytest.param(edited([*W, "delivered"], [1]), "expected a list of strings", id="delivered"),
        pytest.param(
            edited([*W, "anchor"], 3), "weekly.anchor: expected a string, found 3", id="anchor"
        ),
        pytest.param(
            edited([*W, "status"], 1), "weekly.status: expected a string, found 1", id="status-int"
        ),
        pytest.param(
            edited([*W, "runs"], True), "weekly.runs: expected a whole number", id="runs-bool"
        ),
        pytest.param(
            edited([*W, "runs"], 3.0), "weekly.runs: expected a whole number", id="runs-float"
        ),
        pytest.param(
            edited([*W, "delivered"], "x"),
            'delivered: expected a list of strings, found "x"',
            id="delivered-text",
        ),
        pytest.param(
            edited([*W, "pending_retry"], []),
            "weekly.pending_retry: expected an object, found []",
            id="retry-list",
        ),
        pytest.param(
            edited(["schedules"], []),
            "schedules: expected an object, found []",
            id="schedules-list",
        ),
        pytest.param(
            edited([*W, "pending_retry", "tries"], 2),
            'weekly.pending_retry: unknown key "tries"',
            id="retry-typo",
        ),
        pytest.param(edited(["extra"], 1), 'top level: unknown key "extra"', id="top-level-typo"),
    ],
)
def test_hand_edits_are_refused_with_the_path(data: object, message: str) -> None:
    with pytest.raises(StateError) as caught:
        customer_from_json(data, NAME)
    assert caught.value.message.startswith(NAME + ": ")
    assert message in caught.value.message
    assert caught.value.hint is not None
    assert "git checkout -- " + NAME in caught.value.hint


def test_of_several_unknown_keys_the_first_in_order_is_named() -> None:
    data = edited([*W, "zeta"], 1)
    data["schedules"]["weekly"]["alpha"] = 2
    with pytest.raises(StateError) as caught:
        customer_from_json(data, NAME)
    assert caught.value.message == f'{NAME}: schedules.weekly: unknown key "alpha"'


def test_omitted_keys_take_their_defaults() -> None:
    minimal = {
        "format": 1,
        "schedules": {
            "weekly": {"fingerprint": "3f2a9c0d1e4b5a67", "first_seen": "2026-11-01T09:15:00Z"},
            "retrying": {
                "fingerprint": "3f2a9c0d1e4b5a67",
                "first_seen": "2026-11-01T09:15:00Z",
                "pending_retry": {
                    "run_id": RUN,
                    "fire": "2026-11-23T15:00:00Z",
                    "attempt": 1,
                    "due": "2026-11-23T15:05:00Z",
                },
            },
        },
    }
    states = customer_from_json(minimal, NAME)
    assert states["weekly"] == ScheduleState("3f2a9c0d1e4b5a67", utc("2026-11-01T09:15:00"))
    retry = states["retrying"].pending_retry
    assert retry == PendingRetry(RUN, utc("2026-11-23T15:00:00"), 1, utc("2026-11-23T15:05:00"))
    # and written back in full: dropping default keys on write is a later step
    assert encode_json(customer_to_json({"weekly": states["weekly"]})).count(b"null") == 6


def test_a_migration_step_runs_before_the_customer_file_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def rename_runs(data: dict[str, Any]) -> dict[str, Any]:
        schedules = {
            name: {("runs" if key == "run_count" else key): value for key, value in entry.items()}
            for name, entry in data["schedules"].items()
        }
        return {**data, "schedules": schedules}

    monkeypatch.setattr(model, "FORMAT", 2)
    monkeypatch.setattr(model, "MIGRATIONS", {1: rename_runs})
    old = edited([*W, "runs"], DELETE)
    old["schedules"]["weekly"]["run_count"] = 4
    assert customer_from_json(old, NAME) == {"weekly": WEEKLY, "once": ONCE}
    assert customer_to_json({"once": ONCE})["format"] == 2
