"""The claims a tick reads and writes: whose runs are whose, and what a died tick left to take over.

A schedule with a live claim of another tick is that tick's for now: this tick neither runs nor
records any of its fires (the claiming tick records them all, in order, as one tick would). A
claim that expired with no record belongs to a tick that died: its schedule is planned again,
so its run is delivered again with the same run id (the idempotency key) while it is within
`max_delay`, and a fire the plan would now record missed is recorded `abandoned` instead: it may
have been delivered. A claim ends when a record of its run id and attempt is folded into state.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from gitcron.engine.plans import Plan, PlannedRun
from gitcron.state import Record, format_instant
from gitcron.state.claims import Claim
from gitcron.state.records import RunKey


def new_holder() -> str:
    """A tick's token in the claims it makes: random, so a restarted tick is another holder."""
    return secrets.token_hex(8)


class ClaimBook:
    """Every claim in state/claims.json, by run id and attempt."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self._claims = {c.key: c for c in claims}

    def all(self) -> list[Claim]:
        return list(self._claims.values())

    def held_elsewhere(self, holder: str | None, now: datetime) -> set[str]:
        """The schedules another tick holds a live claim on (all live ones, without a holder)."""
        return {c.schedule for c in self._claims.values() if c.live(now) and c.holder != holder}

    def expired(self, now: datetime) -> dict[RunKey, Claim]:
        return {key: c for key, c in self._claims.items() if not c.live(now)}

    def taken_over(self, now: datetime, holder: str | None) -> dict[str, set[datetime]]:
        """By schedule, the fires of first attempts whose claims expired (a tick died on them),
        and those `holder` claimed (it took them over, or they are its own due fires)."""
        fires: dict[str, set[datetime]] = {}
        for claim in self._claims.values():
            if claim.attempt == 1 and (not claim.live(now) or claim.holder == holder):
                fires.setdefault(claim.schedule, set()).add(claim.fire)
        return fires

    def claim(
        self, runs: Iterable[PlannedRun], holder: str, now: datetime, lifetime: timedelta
    ) -> int:
        """Claim `runs` for `holder` (an expired claim of the same run is taken over)."""
        count = 0
        for run in runs:
            claim = Claim(run.run_id, run.schedule, run.fire, run.attempt, holder, now,
                          now + lifetime)  # fmt: skip
            self._claims[claim.key] = claim
            count += 1
        return count

    def end(self, keys: Iterable[RunKey]) -> None:
        """The runs were recorded (or given up by their own tick): their claims end."""
        for key in keys:
            self._claims.pop(key, None)

    def end_expired(self, schedules: Collection[str], now: datetime) -> None:
        """A whole tick planned these schedules: their expired claims were taken over, or their
        fires are no longer due (the timing changed), and end either way."""
        for key, claim in list(self._claims.items()):
            if claim.schedule in schedules and not claim.live(now):
                del self._claims[key]

    def keep_only(self, present: Collection[str]) -> None:
        """Claims of schedules that no longer exist end."""
        for key, claim in list(self._claims.items()):
            if claim.schedule not in present:
                del self._claims[key]


def abandon(plan: Plan, expired: dict[RunKey, Claim]) -> Plan:
    """`plan`, with each fire it records missed that an expired claim holds recorded `abandoned`:
    the tick that claimed it died after claiming, so the file may have been delivered."""
    if not expired:
        return plan
    parts = []
    for part in plan.schedules:
        records = tuple(_abandoned(r, expired) for r in part.records)
        parts.append(part if records == part.records else replace(part, records=records))
    return Plan(plan.now, plan.first_tick, parts)


def _abandoned(record: Record, expired: dict[RunKey, Claim]) -> Record:
    claim = expired.get((record.run_id, record.attempt))
    if claim is None or record.status != "missed":
        return record
    note = (
        f"may have been delivered: the tick that claimed it at {format_instant(claim.claimed)} "
        f"died before recording it; {record.note or 'too late to send again'}"
    )
    return replace(record, status="abandoned", note=note)
