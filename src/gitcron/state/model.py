"""What `state/tick.json` and `state/schedules/<customer>.json` hold, and their versioned JSON form.

Every file carries `"format": FORMAT`. A newer one is refused (an older gitcron must not drop
fields it does not know); an older one is brought up to date by `migrate`, one step at a time.
The rest of a document is the dataclasses below, read and written by `Codec`: a key this release
does not know is refused, a key left out takes the field's default. What one field cannot tell
alone (an instant the tick has not reached, another schedule's retry) is judged by `checks.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import field_serializer, with_config

from gitcron.state.checks import check_customer, check_not_later
from gitcron.state.codec import (
    FORBID_UNKNOWN,
    Codec,
    Count,
    Instant,
    ScheduleName,
    Strings,
    Text,
)
from gitcron.state.codec import delivered_key as delivered_key
from gitcron.state.files import StateError, repair_hint
from gitcron.state.phrases import short_json
from gitcron.state.summaries import Summary, compact
from gitcron.state.tick_file import FORMAT as FORMAT
from gitcron.state.tick_file import last_tick_of, tick_document

Status = Literal["active", "paused", "completed", "failed"]
STATUSES: tuple[str, ...] = get_args(Status)

# MIGRATIONS[n] turns a format-n document into a format-(n + 1) one. Only format 1 exists yet.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class PendingRetry:
    """A run that failed (wholly or partly) and is due again at `due` for `failed_targets`."""

    run_id: Text
    fire: Instant
    attempt: Count  # the attempt that failed last; the retry is attempt + 1
    due: Instant
    failed_targets: Strings = ()
    generated: Instant | None = None  # when the first attempt began: a retry's files show it


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class ScheduleState:
    """One schedule's committed memory: watermark, next fire, counters, retry and lifecycle."""

    fingerprint: Text
    first_seen: Instant
    anchor: Instant | None = None  # fires after this count (first seen, re-anchored, resumed)
    last_fire: Instant | None = None
    next_fire: Instant | None = None
    runs: Count = 0
    manual_runs: Count = (
        0  # of `runs`, those started by `gitcron trigger` (not counted by max_runs)
    )
    last_manual: Instant | None = None
    succeeded: Count = 0
    failed: Count = 0
    consecutive_failures: Count = 0
    pending_retry: PendingRetry | None = None
    status: Status = "active"
    completed_reason: Text | None = None
    delivered: Strings = field(default=())
    summary: Summary | None = None  # what its history says (state/summaries.py); None: older state
    delivered_rows: Text | None = None  # the digest of the last delivered run's rows, when kept

    @property
    def watermark(self) -> datetime:
        """Fires after this instant are still to be decided; none at or before it ever is."""
        floor = self.anchor or self.first_seen
        return floor if self.last_fire is None else max(floor, self.last_fire)

    @property
    def scheduled_runs(self) -> int:
        """Runs that count towards `max_runs`: every run but manual ones."""
        return self.runs - self.manual_runs

    def was_delivered(self, run_id: str, target: str) -> bool:
        """Whether a retry of `run_id` must leave `target` alone: it already has the file."""
        return delivered_key(run_id, target) in self.delivered

    def kept_delivered(self) -> tuple[str, ...]:
        """`delivered`, sorted, without keys of runs no longer pending: the bound on its size."""
        pending = self.pending_retry
        if pending is None:
            return ()
        prefix = pending.run_id + "|"
        return tuple(sorted({key for key in self.delivered if key.startswith(prefix)}))

    @field_serializer("delivered")
    def _written_delivered(self, _: tuple[str, ...]) -> list[str]:
        """Only keys a retry still needs are written, so the list stays bounded."""
        return list(self.kept_delivered())


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class TickState:
    """When the last tick ran: the watermark of schedules seen for the first time."""

    last_tick: Instant


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class _CustomerFile:
    """state/schedules/<customer>.json without its format: schedule states by name."""

    schedules: dict[ScheduleName, ScheduleState]


_TICK = Codec(TickState)
_CUSTOMER = Codec(_CustomerFile)


def tick_to_json(tick: TickState) -> dict[str, Any]:
    """The JSON document of state/tick.json (`tick_file.py` spells it, for both ticks)."""
    return tick_document(tick.last_tick)


def tick_from_json(data: object, name: str, now: datetime | None = None) -> TickState:
    """Read state/tick.json's parsed JSON; StateError names `name` and what is wrong.

    With `now`, the instant of the tick reading it, a last tick later than that is wrong too.
    """
    plain = last_tick_of(data, FORMAT)  # the form this release writes: no codec needed
    if plain is not None:
        tick = TickState(last_tick=plain)
    else:
        tick = _TICK.decode(_body(data, name), name, repair_hint(name))
    if now is not None:
        check_not_later(name, "last_tick", tick.last_tick, now)
    return tick


def customer_to_json(states: Mapping[str, ScheduleState]) -> dict[str, Any]:
    """The JSON document of state/schedules/<customer>.json (delivered keys bounded, sorted); a
    schedule without a summary has no `summary` key, as before summaries were kept, and a summary
    leaves out what holds its default (a schedule that never ran has `"summary": {}`). A pending
    retry's `generated` and `delivered_rows` are written only when known, so older files stay
    byte-equal."""
    body = _CUSTOMER.encode(_CustomerFile(dict(states)))
    for schedule in body["schedules"].values():
        if schedule["summary"] is None:
            del schedule["summary"]
        else:
            schedule["summary"] = compact(schedule["summary"])
        if schedule.get("delivered_rows") is None:
            schedule.pop("delivered_rows", None)
        pending = schedule.get("pending_retry")
        if pending is not None and pending.get("generated") is None:
            pending.pop("generated", None)
    return {"format": FORMAT, **body}


def customer_from_json(
    data: object, name: str, customer: str | None = None, now: datetime | None = None
) -> dict[str, ScheduleState]:
    """Read a customer file's parsed JSON into schedule states keyed by name within the customer.

    With `customer`, each pending retry must be its own schedule's; with `now`, the instant of the
    tick reading it, no instant a tick writes once reached may be later (`checks.py`).
    """
    states = decode_customer(data, name)
    check_customer(states, name, customer, now)
    return states


def decode_customer(data: object, name: str) -> dict[str, ScheduleState]:
    """A customer file's parsed JSON as schedule states, judged by each field alone: what
    `customer_from_json` checks against the customer and the tick comes after. The same data
    always decodes the same, so a decoded file may be kept by its bytes (`StateStore`)."""
    return _CUSTOMER.decode(_body(data, name), name, repair_hint(name)).schedules


def _body(data: object, name: str) -> dict[str, Any]:
    """The document at FORMAT, without the `format` key the dataclasses do not have."""
    document = check_format(data, name)
    return {key: value for key, value in document.items() if key != "format"}


def check_format(data: object, name: str) -> dict[str, Any]:
    """The document brought to FORMAT, or StateError if it is not one or is from a newer release."""
    if not isinstance(data, dict):
        raise StateError(
            f"{name}: top level: expected an object, found {short_json(data)}", repair_hint(name)
        )
    version = data.get("format")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise StateError(
            f"{name}: format: expected a format version (a whole number >= 1), "
            f"found {short_json(version)}",
            repair_hint(name),
        )
    if version > FORMAT:
        raise StateError(
            f"{name}: written by a newer gitcron (state format {version}; this release reads "
            f"format {FORMAT} and older)",
            "upgrade gitcron: an older release must not rewrite state it cannot fully read",
        )
    return migrate(data, version, name) if version < FORMAT else data


def migrate(data: dict[str, Any], from_version: int, name: str = "state file") -> dict[str, Any]:
    """Bring a document from `from_version` up to FORMAT by the MIGRATIONS steps, in order."""
    for version in range(from_version, FORMAT):
        step = MIGRATIONS.get(version)
        if step is None:
            raise StateError(
                f"{name}: state format {version} is not one this release can upgrade",
                repair_hint(name),
            )
        data = {**step(data), "format": version + 1}
    return data
