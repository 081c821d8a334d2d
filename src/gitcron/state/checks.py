"""What no single field can tell: instants a tick has not reached, a retry of another schedule.

The codec judges each value alone. These checks judge a value against its place and against the
tick reading it: a tick only ever writes an instant it has reached (a fire, the instant a
schedule was first seen or re-anchored, a manual run), so a later one in a file was put there by
hand, and left alone it would stop its schedule without a word until that instant comes. A
pending retry's run id is its own schedule's run at its fire, the key every delivery of the
retry carries; any other one was not written by a tick either.

A next fire or a completion is judged against the schedule's timing, which only the engine
knows (engine/planner.py finds the untrue field); the words of that damage are here too.

All are reported like any damaged file, with its way out. Nothing here reads the clock: the
tick's instant is passed in, and a replay of a past tick passes none (later ticks may have moved
state past it by right).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from gitcron.state.codec import format_instant, make_run_id
from gitcron.state.files import StateError, repair_hint
from gitcron.state.phrases import short_json

if TYPE_CHECKING:
    from gitcron.state.model import ScheduleState

# Clocks of the machines that run ticks and triggers may disagree by this much.
CLOCK_SKEW = timedelta(minutes=10)


def check_not_later(name: str, where: str, instant: datetime, now: datetime) -> None:
    """StateError when `instant`, read at `where` in `name`, is later than the tick at `now`."""
    if instant > now + CLOCK_SKEW:
        raise StateError(
            f"{name}: {where}: {format_instant(instant)} is later than this tick "
            f"({format_instant(now)}); no tick writes an instant it has not reached",
            repair_hint(name),
        )


def check_customer(
    states: Mapping[str, ScheduleState], name: str, customer: str | None, now: datetime | None
) -> None:
    """A customer file's states against their customer and the tick at `now` (None: no tick)."""
    for key in sorted(states):
        state = states[key]
        where = f"schedules.{key}"
        pending = state.pending_retry
        if customer is not None and pending is not None:
            expected = make_run_id(f"{customer}/{key}", pending.fire)
            if pending.run_id != expected:
                raise StateError(
                    f"{name}: {where}.pending_retry.run_id: expected {short_json(expected)} "
                    f"(this schedule's run at its fire), found {short_json(pending.run_id)}",
                    repair_hint(name),
                )
        if now is not None and max(_reached(state).values()) > now + CLOCK_SKEW:
            for field, instant in _reached(state).items():
                check_not_later(name, f"{where}.{field}", instant, now)


def untrue_fire(
    name: str, where: str, field: str, found: datetime | None, timing: datetime
) -> StateError:
    """The damage of a `next_fire` later than the timing's, or a `completed` with fires left."""
    if field == "status":
        what = (
            f'{name}: {where}.status: "completed", but its timing has a fire left '
            f"({format_instant(timing)}); no tick completes a schedule before its last fire"
        )
    else:
        shown = "null" if found is None else format_instant(found)
        what = (
            f"{name}: {where}.next_fire: {shown} is later than its timing's next fire "
            f"({format_instant(timing)}); no tick writes a fire its timing does not have"
        )
    return StateError(what, repair_hint(name))


def _reached(state: ScheduleState) -> dict[str, datetime]:
    """The instants a tick writes only once it has reached them (not next_fire, nor a due)."""
    found = {"first_seen": state.first_seen}
    for field, instant in (
        ("anchor", state.anchor),
        ("last_fire", state.last_fire),
        ("last_manual", state.last_manual),
        ("pending_retry.fire", state.pending_retry.fire if state.pending_retry else None),
    ):
        if instant is not None:
            found[field] = instant
    return found
