"""The quiet record: a tick that ended clean says until when nothing can be due, and for what.

Most ticks have nothing due, and a full tick pays for pydantic, the settings and state models and
the planner only to find that out. So a full tick that ended clean (no run, no record, no problem
or warning, exit 0; not a dry run, not `--only`, not the repository's first tick, nothing left
from a failed push, no claims, and nothing written but state/tick.json) leaves a small JSON file
in the cache folder saying:

- `key`: a digest (quiet_key.py) of every input the tick's decision depends on: gitcron's code
  and version, gitcron.yaml's bytes, every file under schedules/ (by content: a fresh checkout
  has new mtimes; from git's index for files git finds unchanged), the state files a tick reads
  (state/'s entries, every customer's state file, and the history day files from the last
  tick's day on, which the tick folds in; other days by name only, since retention deletes
  them), the command's options, and the values of the environment variables gitcron.yaml
  names. Their names are kept; a value never is (the digest
  is salted, and mixes every value with the rest);
- `until`: the earliest instant at which anything could be due or change: each schedule's next
  fire or pending retry (`planner.quiet_until`, the planner's own fast path), and at the latest
  the next midnight UTC, so retention, the day files a tick opens and every warning that
  depends on the date get a full tick at least once a day;
- what the outage rule needs (engine/misses.py: `liveness.stale_after` when `operators:` are
  set), and the few settings the quiet path acts on (retention, the heartbeat's variable).

The next tick reads it with nothing but the standard library (`quiet_at`): when the key matches
the inputs now, `now` lies in [the last tick, until), the last tick is not before the record's,
and the gap would not tell the operators of an outage, nothing can be due, and the tick only
stamps state/tick.json (cli/quiet_tick.py). Anything else, including any error reading anything,
takes the full tick, which writes the record again or removes it. `GITCRON_QUIET=0` turns the
quiet path off.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gitcron.catalog.files import CACHE_DIR, PENDING_FILE
from gitcron.engine import quiet_key
from gitcron.files import replacing
from gitcron.state.instants import format_instant, parse_instant
from gitcron.state.tick_file import TICK_FILE, read_last_tick

if TYPE_CHECKING:
    from gitcron.engine.phases import TickResult

RECORD_FILE = f"{CACHE_DIR}/quiet-v1.json"
FORMAT = 1  # bump when the record's fields or the key's inputs change
ENV = "GITCRON_QUIET"  # "0" (or "false", "no", "off"): every tick is a full one
_OFF = frozenset({"0", "false", "no", "off"})


class QuietRecord(NamedTuple):
    """What a clean tick leaves for the next one (a NamedTuple: no dataclasses to import)."""

    at: datetime  # the instant of the tick that wrote it
    until: datetime  # before this, nothing can be due
    stale_after: timedelta | None  # the outage rule's threshold; None: no operators to tell
    keep_months: int  # history.keep_months: what a sparse checkout's retention needs
    heartbeat_env: str  # liveness.heartbeat_url_env ("" for none)
    variables: tuple[str, ...]  # the environment variables gitcron.yaml names (names only)
    salt: str
    key: str


def enabled(env: Mapping[str, str]) -> bool:
    """Whether the quiet path may be taken (`GITCRON_QUIET=0` says no)."""
    return env.get(ENV, "").strip().lower() not in _OFF


def quiet_at(
    root: Path, now: datetime, options: Sequence[str], env: Mapping[str, str]
) -> QuietRecord | None:
    """The record when a tick at `now` with these options may be quiet; None: a full tick."""
    try:
        if not enabled(env):
            return None
        record = read(root)
        if record is None or not in_time(root, record, now):
            return None
        found = quiet_key.key(root, record.at.date(), record.variables, options, env, record.salt)
        return record if found == record.key else None
    except Exception:  # whatever cannot be read or is odd: the full tick looks at it properly
        return None


def in_time(root: Path, record: QuietRecord, now: datetime) -> bool:
    """What the record says about the clock alone: the last tick is at or after the record's
    and at or before `now`, which is before `until`; the gap since the last tick would not tell
    the operators of an outage; and no push failed since. Cheap: no input is hashed."""
    try:
        last = read_last_tick(root)
    except Exception:  # the full tick says what is wrong with the file
        return False
    if last is None or not record.at <= last <= now < record.until:
        return False
    if record.stale_after is not None and now - last > record.stale_after:
        return False  # an outage: the full tick tells the operators
    return not os.path.lexists(root / PENDING_FILE)


def record_of(
    result: TickResult,
    root: Path,
    now: datetime,
    options: Sequence[str],
    env: Mapping[str, str],
) -> QuietRecord | None:
    """The record a full tick that just ended leaves, or None when it was not clean: it must
    be taken before the tick's commit, whose push may bring another tick's state."""
    from gitcron.engine.planner import quiet_until

    plan = result.plan
    busy = any(part.records or part.runs for part in plan.schedules)
    troubles = (result.invalid, result.settings_problems, result.state_problems, result.warnings)
    if plan.first_tick or busy or result.records or any(troubles):
        return None
    if result.not_started or result.cut or set(result.changed) - {TICK_FILE}:
        return None
    if os.path.lexists(root / "state" / "claims.json"):  # claims expire by the clock
        return None
    until = datetime.combine(now.date() + timedelta(days=1), time(), UTC)
    for part in plan.schedules:
        end = None if part.before is None else quiet_until(part.view, part.before, now)
        if end is None:
            return None
        until = min(until, end)
    if until <= now:
        return None
    settings = result.settings
    named = [*settings.reserved_variables(), *(c.env for c in settings.credentials.values())]
    variables = tuple(sorted({name for name in named if name}))  # read as attributes: a dump
    # would build the settings' serializer, which a tick restoring them from the cache never does
    salt = os.urandom(16).hex()  # not `secrets`: its import costs a quiet tick a few ms
    return QuietRecord(
        at=now,
        until=until,
        stale_after=settings.liveness.stale_after if settings.operators else None,
        keep_months=settings.history.keep_months,
        heartbeat_env=settings.liveness.heartbeat_url_env or "",
        variables=variables,
        salt=salt,
        key=quiet_key.key(root, now.date(), variables, options, env, salt),
    )


def keep(root: Path, record: QuietRecord | None) -> None:
    """Write `record` atomically (None: remove the one there); never fails the tick."""
    path = root / RECORD_FILE
    if record is None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        return
    document = {
        "format": FORMAT,
        "at": format_instant(record.at),
        "until": format_instant(record.until),
        "stale_after_us": None if record.stale_after is None else record.stale_after // _US,
        "keep_months": record.keep_months,
        "heartbeat_env": record.heartbeat_env,
        "variables": list(record.variables),
        "salt": record.salt,
        "key": record.key,
    }
    data = json.dumps(document, indent=2, sort_keys=True).encode() + b"\n"
    with contextlib.suppress(OSError), replacing(path) as file:
        file.write(data)


_US = timedelta(microseconds=1)


def read(root: Path) -> QuietRecord | None:
    """The record in the cache folder, or None when there is none or it is not one of ours."""
    try:
        with open(root / RECORD_FILE, "rb") as file:
            found: Any = json.loads(file.read(64 * 1024))
        if type(found) is not dict or found.get("format") != FORMAT:
            return None
        stale = found["stale_after_us"]
        names = found["variables"]
        fields = (found["salt"], found["key"], found["heartbeat_env"])
        if not all(type(v) is str for v in (*names, *fields)) or type(names) is not list:
            return None
        if type(found["keep_months"]) is not int or (stale is not None and type(stale) is not int):
            return None
        return QuietRecord(
            at=parse_instant(found["at"]),
            until=parse_instant(found["until"]),
            stale_after=None if stale is None else timedelta(microseconds=stale),
            keep_months=found["keep_months"],
            heartbeat_env=found["heartbeat_env"],
            variables=tuple(names),
            salt=found["salt"],
            key=found["key"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
