"""Run records outside history: shard outputs, the pending file, and replaying records onto state.

Replaying is how records made elsewhere (a shard, a tick whose push lost a race, a tick whose push
failed) reach a state they were not made on. It is a tick at the records' instant whose runs are
looked up instead of run: the plan is made from the state at hand, each planned run takes its
recorded outcome, and the usual fold and finish follow. So the result is what a tick at that
instant would have left on that state; see docs/commit.md for the rule and why it is correct.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gitcron.catalog.files import PENDING_FILE as PENDING_FILE
from gitcron.engine import faults
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import OnRecord, Prepared, TickResult, finish, prepare
from gitcron.engine.plans import Plan, PlannedRun, SchedulePlan
from gitcron.errors import GitcronError
from gitcron.state import Record, StateError, iter_records, write_bytes
from gitcron.state.history import parse_line, read_lines
from gitcron.state.records import RunKey, encode_line, outranks, winning


@dataclass
class Replayed:
    """What replaying did; `result` reads like a tick's, for the same report."""

    result: TickResult
    duplicates: list[Record] = field(default_factory=list)  # already in history: dropped
    kept: list[Record] = field(default_factory=list)  # no longer planned: history only
    unrecorded: list[PlannedRun] = field(default_factory=list)  # planned, no record: left
    # records of customers whose state file is damaged: not written anywhere, and why
    refused: list[Record] = field(default_factory=list)
    problems: list[StateError] = field(default_factory=list)


def run_key(record: Record | PlannedRun) -> RunKey:
    return (record.run_id, record.attempt)


def read_records(path: Path) -> list[Record]:
    """Every record of a jsonl file; a bad line is an error naming file:line (never skipped)."""
    records = []
    for number, line in enumerate(read_lines(path), start=1):
        if line.strip():
            try:
                records.append(parse_line(line, f"{path}:{number}"))
            except StateError as error:
                hint = "regenerate the file; records are never guessed"
                raise GitcronError(str(error), hint) from None
    return records


def read_folder(folder: Path) -> list[Record]:
    """The records of every `*.jsonl` under `folder` (shard outputs, however they were copied)."""
    if not folder.is_dir():
        raise GitcronError(f"{folder} is not a folder", "pass the folder the shards wrote into")
    return [r for path in sorted(folder.rglob("*.jsonl")) for r in read_records(path)]


def write_records(path: Path, records: Iterable[Record]) -> None:
    """All `records` as one jsonl file, atomically (a half-written shard file is never read)."""
    write_bytes(path, "".join(encode_line(r) + "\n" for r in records).encode("utf-8"))


def load_pending(root: Path) -> list[Record]:
    path = root / PENDING_FILE
    return read_records(path) if path.exists() else []


def save_pending(root: Path, records: Iterable[Record]) -> Path:
    """Keep records whose push failed for the next tick; adds to what is already pending."""
    merged = {r.key: r for r in [*load_pending(root), *records]}
    path = root / PENDING_FILE
    write_records(path, merged.values())
    return path


def clear_pending(root: Path) -> None:
    (root / PENDING_FILE).unlink(missing_ok=True)


def replay(
    root: Path,
    records: Iterable[Record],
    at: datetime | None = None,
    on_record: OnRecord | None = None,
) -> Replayed:
    """Replay records tick by tick (grouped by their instant, `started`), oldest first.

    `at` adds the instant of a tick that may have left no record at all (its plan is still
    re-made there, so its watermarks, next fires and tick stamp are not lost).
    """
    by_instant: dict[datetime, list[Record]] = {} if at is None else {at: []}
    for record in records:
        by_instant.setdefault(record.started, []).append(record)
    if not by_instant:
        raise ValueError("replay needs records or an instant")
    total: Replayed | None = None
    for instant, group in sorted(by_instant.items()):
        done = replay_at(root, instant, group, on_record)
        total = done if total is None else _merged(total, done)
    assert total is not None
    return total


def replay_at(
    root: Path, at: datetime, records: list[Record], on_record: OnRecord | None = None
) -> Replayed:
    """One tick at `at` whose runs take their outcome from `records` instead of running."""
    with tick_lock(root):
        ready = prepare(root, at, replaying=True)
        done = Replayed(ready.result())
        records = _refuse_damaged(ready, records, done)
        recorded = winning(records)
        seen = _in_history(root, records)
        behind = ready.last_tick is not None and at < ready.last_tick
        kept_parts = []
        for part in ready.plan.schedules:
            if behind and not part.steps:
                continue  # a later tick already planned this schedule: only records matter here
            if _apply_part(ready, part, recorded, done, on_record):
                kept_parts.append(part)
        _keep_leftovers(ready, recorded, seen, done)
        ready.states.end_claims(run_key(r) for r in records)  # recorded: their claims end
        the_plan = Plan(ready.plan.now, ready.plan.first_tick, kept_parts)
        stamp = max(ready.plan.now, ready.last_tick or ready.plan.now)  # never back in time
        finish(ready, the_plan, stamp, whole=True)
        done.result.changed = ready.states.changed_files()
        return done


def _refuse_damaged(ready: Prepared, records: list[Record], done: Replayed) -> list[Record]:
    """The records to fold: those of customers whose state file is damaged are set aside.

    State reaches a checkout from the remote too (a hand edit merged while a tick ran): folding
    around a damaged file would append history its state never reflects. Such records are not
    written at all (`done.refused`, with the file's problem) and wait until the file is sound;
    the other customers' records are folded as usual.
    """
    broken = ready.states.broken
    kept = []
    for record in records:
        customer = record.schedule.partition("/")[0]
        if customer in broken:
            done.refused.append(record)
            if broken[customer] not in done.problems:
                done.problems.append(broken[customer])
        else:
            kept.append(record)
    return kept


def _apply_part(
    ready: Prepared,
    part: SchedulePlan,
    recorded: dict[RunKey, Record],
    done: Replayed,
    on_record: OnRecord | None,
) -> bool:
    """Fold one schedule's planned steps with their recorded outcomes; False if one is missing.

    A schedule with a planned run that has no record keeps its state (anchored, not moved), so
    the next tick plans that fire again: at least once, never silently dropped.
    """
    if not part.steps:
        return True
    missing = [run for run in part.runs if run_key(run) not in recorded]
    ready.states.begin(part.view.id, part.start)
    if missing:
        done.unrecorded.extend(missing)
        return False
    state = part.start
    for step in part.steps:
        record = _outcome(step, recorded)
        state = ready.states.record(part.view, state, record)
        faults.reached("mid-replay")
        done.result.records.append(record)
        if on_record is not None:
            on_record(record, part.view)
    return True


def _outcome(step: Record | PlannedRun, recorded: dict[RunKey, Record]) -> Record:
    """A planned step's record: a run's recorded outcome; a fire the plan records skipped or
    missed keeps that record unless one made elsewhere says more happened (it was delivered)."""
    if not isinstance(step, Record):
        return recorded.pop(run_key(step))
    found = recorded.get(run_key(step))
    if found is not None and outranks(found, step):
        return recorded.pop(run_key(step))
    return step


def _keep_leftovers(
    ready: Prepared, recorded: dict[RunKey, Record], seen: dict[RunKey, Record], done: Replayed
) -> None:
    """Records the plan no longer has: kept in history unless history's record of that attempt
    says as much happened (then dropped: another tick recorded it first).

    A kept record is folded too when its schedule's state does not reflect it yet (its counters
    then count a run that did happen); it never moves a watermark backwards. One that supersedes
    history's record (delivered, where another tick's plan recorded the fire missed) is appended
    after it and counted as the run it was (`StateRepository.supersede`).
    """
    views = {v.id: v for v in ready.views}
    for key, record in recorded.items():
        earlier = seen.get(key)
        if earlier is None:
            ready.states.keep(record, views.get(record.schedule))
        elif outranks(record, earlier):
            ready.states.supersede(record, earlier, views.get(record.schedule))
        else:
            done.duplicates.append(record)
            continue
        done.kept.append(record)


def _in_history(root: Path, records: list[Record]) -> dict[RunKey, Record]:
    """History's winning record of each of these (run id, attempt) pairs it holds, by any tick."""
    if not records:
        return {}
    wanted = {run_key(r) for r in records}
    since = min(r.fire for r in records).date()  # an attempt starts at or after its fire
    return winning(r for r in iter_records(root, since=since) if run_key(r) in wanted)


def _merged(a: Replayed, b: Replayed) -> Replayed:
    b.result.records[:0] = a.result.records
    b.result.changed = sorted({*a.result.changed, *b.result.changed})
    problems = a.problems + [p for p in b.problems if p not in a.problems]
    return Replayed(b.result, a.duplicates + b.duplicates, a.kept + b.kept,
                    a.unrecorded + b.unrecorded, a.refused + b.refused, problems)  # fmt: skip
