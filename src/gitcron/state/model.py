"""What `state/tick.json` and `state/schedules/<customer>.json` hold, and their versioned JSON form.

Every file carries `"format": FORMAT`. A newer one is refused (an older gitcron must not drop
fields it does not know); an older one is brought up to date by `migrate`, one step at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast, get_args

from gitcron.state.codec import Fields, format_instant, shown
from gitcron.state.codec import delivered_key as delivered_key
from gitcron.state.files import StateError, repair_hint

FORMAT = 1

Status = Literal["active", "paused", "completed", "failed"]
STATUSES: tuple[str, ...] = get_args(Status)

# MIGRATIONS[n] turns a format-n document into a format-(n + 1) one. Only format 1 exists yet.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True, slots=True)
class PendingRetry:
    """A run that failed (wholly or partly) and is due again at `due` for `failed_targets`."""

    run_id: str
    fire: datetime
    attempt: int  # the attempt that failed last; the retry is attempt + 1
    due: datetime
    failed_targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduleState:
    """One schedule's committed memory: watermark, next fire, counters, retry and lifecycle."""

    fingerprint: str
    first_seen: datetime
    anchor: datetime | None = None  # fires after this count (first seen, re-anchored, resumed)
    last_fire: datetime | None = None
    next_fire: datetime | None = None
    runs: int = 0
    manual_runs: int = 0  # of `runs`, those started by `gitcron trigger` (not counted by max_runs)
    last_manual: datetime | None = None
    succeeded: int = 0
    failed: int = 0
    consecutive_failures: int = 0
    pending_retry: PendingRetry | None = None
    status: Status = "active"
    completed_reason: str | None = None
    delivered: tuple[str, ...] = field(default=())

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


@dataclass(frozen=True, slots=True)
class TickState:
    """When the last tick ran: the watermark of schedules seen for the first time."""

    last_tick: datetime


def tick_to_json(tick: TickState) -> dict[str, Any]:
    """The JSON document of state/tick.json."""
    return {"format": FORMAT, "last_tick": format_instant(tick.last_tick)}


def tick_from_json(data: object, name: str) -> TickState:
    """Read state/tick.json's parsed JSON; StateError names `name` and what is wrong."""
    fields = Fields(check_format(data, name), name, "", repair_hint(name))
    fields.seen.add("format")
    tick = TickState(last_tick=fields.instant("last_tick"))
    fields.done()
    return tick


def customer_to_json(states: Mapping[str, ScheduleState]) -> dict[str, Any]:
    """The JSON document of state/schedules/<customer>.json (delivered keys bounded, sorted)."""
    return {"format": FORMAT, "schedules": {k: _schedule_to_json(v) for k, v in states.items()}}


def customer_from_json(data: object, name: str) -> dict[str, ScheduleState]:
    """Read a customer file's parsed JSON into schedule states keyed by name within the customer."""
    fields = Fields(check_format(data, name), name, "", repair_hint(name))
    fields.seen.add("format")
    schedules = fields.child("schedules")
    result = {key: _schedule_from_fields(schedules.child(key)) for key in schedules.data}
    fields.done()
    return result


def check_format(data: object, name: str) -> dict[str, Any]:
    """The document brought to FORMAT, or StateError if it is not one or is from a newer release."""
    fields = Fields(data, name, "", repair_hint(name))
    version = fields.data.get("format")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise fields.error(
            f"expected a format version (a whole number >= 1), found {shown(version)}", "format"
        )
    if version > FORMAT:
        raise StateError(
            f"{name}: written by a newer gitcron (state format {version}; this release reads "
            f"format {FORMAT} and older)",
            "upgrade gitcron: an older release must not rewrite state it cannot fully read",
        )
    return migrate(fields.data, version, name) if version < FORMAT else fields.data


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


def _schedule_to_json(state: ScheduleState) -> dict[str, Any]:
    retry = state.pending_retry
    return {
        "fingerprint": state.fingerprint,
        "first_seen": format_instant(state.first_seen),
        "anchor": _opt_instant(state.anchor),
        "manual_runs": state.manual_runs,
        "last_manual": _opt_instant(state.last_manual),
        "last_fire": _opt_instant(state.last_fire),
        "next_fire": _opt_instant(state.next_fire),
        "runs": state.runs,
        "succeeded": state.succeeded,
        "failed": state.failed,
        "consecutive_failures": state.consecutive_failures,
        "pending_retry": None
        if retry is None
        else {
            "run_id": retry.run_id,
            "fire": format_instant(retry.fire),
            "attempt": retry.attempt,
            "due": format_instant(retry.due),
            "failed_targets": list(retry.failed_targets),
        },
        "status": state.status,
        "completed_reason": state.completed_reason,
        "delivered": list(state.kept_delivered()),
    }


def _schedule_from_fields(f: Fields) -> ScheduleState:
    retry = f.opt_child("pending_retry")
    pending = None
    if retry is not None:
        pending = PendingRetry(
            run_id=retry.text("run_id"),
            fire=retry.instant("fire"),
            attempt=retry.count("attempt"),
            due=retry.instant("due"),
            failed_targets=retry.strings("failed_targets"),
        )
        retry.done()
    state = ScheduleState(
        fingerprint=f.text("fingerprint"),
        first_seen=f.instant("first_seen"),
        anchor=f.opt_instant("anchor") if "anchor" in f.data else None,
        manual_runs=f.count("manual_runs") if "manual_runs" in f.data else 0,
        last_manual=f.opt_instant("last_manual") if "last_manual" in f.data else None,
        last_fire=f.opt_instant("last_fire"),
        next_fire=f.opt_instant("next_fire"),
        runs=f.count("runs"),
        succeeded=f.count("succeeded"),
        failed=f.count("failed"),
        consecutive_failures=f.count("consecutive_failures"),
        pending_retry=pending,
        status=cast(Status, f.choice("status", STATUSES)),
        completed_reason=f.opt_text("completed_reason"),
        delivered=f.strings("delivered"),
    )
    f.done()
    return state


def _opt_instant(instant: datetime | None) -> str | None:
    return None if instant is None else format_instant(instant)
