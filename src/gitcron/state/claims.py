"""`state/claims.json`: the runs a tick has claimed and not yet recorded, and when each claim ends.

A tick with runs due pushes its claims before it delivers anything; git's push is the
compare-and-swap, so of several ticks only the one whose claim landed delivers (docs/commit.md,
"Claims"). A claim is written by the tick that makes it and removed when a record of its run id
and attempt is folded into state, so the file is empty (and absent) between ticks; one that
outlives `expires` belongs to a tick that died, and a later tick takes its run over.

The file is read like every state file: a value no tick writes makes it damaged, and since any
schedule may be claimed in it, that stops the whole tick until it is repaired (never guessed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import with_config

from gitcron.state.codec import FORBID_UNKNOWN, MAX_ITEMS, Codec, Count, Instant, Text
from gitcron.state.files import StateError
from gitcron.state.model import check_format
from gitcron.state.records import RunKey

FORMAT = 1
CLAIMS_FILE = "state/claims.json"
HINT = (
    f"restore the last committed version with `git checkout -- {CLAIMS_FILE}`; deleting it lets "
    "ticks deliver runs that another tick claimed"
)


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class Claim:
    """One run a tick took on: it alone delivers it, until `expires`."""

    run_id: Text
    schedule: Text
    fire: Instant
    attempt: Count
    holder: Text  # the claiming tick's token: a random id, one per tick
    claimed: Instant  # the claiming tick's instant
    expires: Instant

    @property
    def key(self) -> RunKey:
        return (self.run_id, self.attempt)

    def live(self, now: datetime) -> bool:
        return now < self.expires


@with_config(FORBID_UNKNOWN)
@dataclass(frozen=True, slots=True)
class _ClaimsFile:
    claims: tuple[Claim, ...] = ()


_CODEC = Codec(_ClaimsFile)


def claims_to_json(claims: Iterable[Claim]) -> dict[str, Any]:
    """The document of state/claims.json, claims in run id order (equal sets, equal bytes)."""
    ordered = tuple(sorted(claims, key=lambda c: (c.run_id, c.attempt)))
    return {"format": FORMAT, **_CODEC.encode(_ClaimsFile(ordered))}


def claims_from_json(data: object, name: str = CLAIMS_FILE) -> list[Claim]:
    """Read the parsed claims file; StateError names the file, the place and what is wrong."""
    document = check_format(data, name)
    body = {key: value for key, value in document.items() if key != "format"}
    claims = _CODEC.decode(body, name, HINT).claims
    if len(claims) > MAX_ITEMS:
        raise StateError(f"{name}: claims: more than {MAX_ITEMS} claims", HINT)
    return list(claims)
