"""A past run delivered again (`gitcron resend RUN_ID`): "the customer lost the 3 November file".

Only to the schedule's own targets, as its reviewed file lists them today (all, or the ones
chosen by number): never to an address given on the command line. The file is the stored copy
when a storage delivery of that run kept one and it still has the bytes history recorded;
otherwise it is made again for the run's own data interval, and the record says "rebuilt" (its
bytes differ from the first file's when the data changed since).

Each re-send is an attempt of its own (one after the run's last), recorded with trigger
`resend`, and its deliveries carry ids of their own (`RunInfo.delivery_id`): a receiver that
drops duplicates by id accepts it. It leaves the schedule's state as it was.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gitcron.catalog.view import target_key
from gitcron.channels.base import DeliveryError
from gitcron.channels.storage.stored import read_back
from gitcron.config.fields import zone
from gitcron.core.artifact import Artifact
from gitcron.engine.by_hand import RAN, OneSchedule, delivered, next_attempt, one_schedule, runs_of
from gitcron.engine.due import previous_fire
from gitcron.engine.executor import Produce, delivery_context, run_one
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import OnRecord, TickOptions, TickResult, prepare
from gitcron.engine.plans import PlannedRun
from gitcron.errors import GitcronError, UsageError
from gitcron.jobs.base import JobContext, RunInfo
from gitcron.jobs.registry import job_for
from gitcron.render.registry import CONTENT_TYPES
from gitcron.schedule import Schedule
from gitcron.state import Record, format_instant, parse_instant

_RUN_ID_FORM = "a run id is <schedule id>@<fire in UTC>, e.g. acme-corp/weekly@2026-11-03T09:00:00Z"


def split_run_id(run_id: str) -> tuple[str, datetime]:
    """`acme-corp/weekly@2026-11-03T09:00:00Z` → the schedule id and the fire."""
    sid, at, fire = run_id.rpartition("@")
    try:
        instant = parse_instant(fire)
    except ValueError:
        instant = None
    if not at or not sid or instant is None or format_instant(instant) != fire:
        raise UsageError(f"'{run_id}' is not a run id", f"{_RUN_ID_FORM} (gitcron history ID)")
    return sid, instant


def resend(
    root: Path,
    now: datetime,
    run_id: str,
    chosen: tuple[int, ...],
    options: TickOptions,
    on_record: OnRecord | None = None,
) -> TickResult:
    """Deliver run `run_id` again to the targets numbered in `chosen` (none: all of them)."""
    sid, fire = split_run_id(run_id)
    with tick_lock(root):
        one = one_schedule(root, prepare(root, now, (sid,)), sid, options)
        schedule = one.schedule.get()
        targets = chosen_targets(sid, schedule, chosen)
        past = runs_of(root, sid, fire.date()).get(run_id, [])
        _check_resendable(run_id, sid, fire, past, one)
        interval = previous_fire(one.timing, fire)
        run = PlannedRun(
            run_id, sid, fire, interval, "resend", next_attempt(past), targets, again=True
        )
        produce = _producer(run, schedule, one, past)
        one.keep(run_one(run, schedule, one.view.zone, one.env, produce), on_record)
        return one.result


def chosen_targets(sid: str, schedule: Schedule, chosen: tuple[int, ...]) -> tuple[str, ...] | None:
    """The target keys numbered in `chosen` (1 is the first under deliver:); None for all."""
    keys = [target_key(item.channel, item.target()) for item in schedule.deliver]
    if not chosen:
        return None
    outside = [n for n in chosen if not 1 <= n <= len(keys)]
    if outside:
        listed = "; ".join(f"{n}: {key}" for n, key in enumerate(keys, start=1))
        raise UsageError(
            f"--target {outside[0]}: {sid} has {len(keys)} target(s) under deliver: ({listed})",
            "give the number of one of these targets; a re-send goes to the schedule's own"
            " targets only (to send elsewhere, change the schedule in a pull request)",
        )
    return tuple(dict.fromkeys(keys[n - 1] for n in chosen))


def _check_resendable(
    run_id: str, sid: str, fire: datetime, past: list[Record], one: OneSchedule
) -> None:
    if not past:
        raise GitcronError(
            f"there is no run {run_id} in state/history/",
            f"`gitcron history {sid}` lists its runs (history keeps the last"
            f" history.keep_months months); {_RUN_ID_FORM}",
        )
    if not any(r.status in RAN for r in past):
        day = fire.strftime("%Y-%m-%d")
        raise GitcronError(
            f"{run_id} was {past[-1].status}: it never ran, so there is nothing to send again",
            f"run its fire late instead: gitcron backfill {sid} --from {day} --until {day}",
        )
    pending = one.state.pending_retry
    if pending is not None and pending.run_id == run_id:
        raise GitcronError(
            f"{run_id} has a retry due at {format_instant(pending.due)}: it sends what failed"
            " then, so a re-send now would deliver it twice",
            "wait for that retry (gitcron history shows its outcome), then re-send if needed",
        )


def _producer(run: PlannedRun, schedule: Schedule, one: OneSchedule, past: list[Record]) -> Produce:
    """Make the re-send's file: a storage target's copy with the bytes history recorded, else
    the job's file made again for the run's data interval; the artifact's note says which."""
    first = next((r for r in past if r.file is not None and r.status in RAN), None)
    kept = delivered(past)
    stores = [
        item.storage
        for item in schedule.deliver
        if item.storage is not None and target_key(item.channel, item.target()) in kept
    ]
    job = job_for(schedule)
    origin = run if first is None else replace(run, trigger=first.trigger, attempt=first.attempt)
    info = RunInfo(
        origin.run_id,
        origin.schedule,
        origin.fire,
        origin.interval_start,
        origin.trigger,
        origin.attempt,
        zone(one.view.zone),
    )  # the first attempt as it was: a storage key may name its run's values

    def produce(ctx: JobContext) -> Artifact:
        why: list[str] = []
        if first is not None and first.file is not None:
            file = first.file
            into = ctx.work_dir / file.name
            kind = Path(file.name).suffix.lstrip(".")
            content_type = CONTENT_TYPES.get(kind) or mimetypes.guess_type(file.name)[0]
            shape = Artifact(file.name, content_type or "application/octet-stream", rows=first.rows)
            env = one.env
            for target in stores:
                dctx = delivery_context(
                    info, schedule, env.settings, shape, env.root, None, env.env
                )
                try:
                    where = read_back(target, dctx, into)
                except DeliveryError as error:
                    why.append(str(error).splitlines()[0])
                    continue
                if _sha256(into) == file.sha256:
                    return replace(shape, path=into, note=f"the stored copy, from {where}")
                why.append(f"{where} no longer holds the bytes first sent")
        artifact = job.produce(ctx)
        if artifact.skip:
            return artifact
        since = "" if run.interval_start is None else f"{format_instant(run.interval_start)} to "
        rebuilt = f"rebuilt for its data interval ({since}{format_instant(run.fire)})"
        if first is not None and first.file is not None and artifact.path is not None:
            same = _sha256(artifact.path) == first.file.sha256
            rebuilt += ": same bytes as first sent" if same else ": the data changed since"
        reasons = "; ".join(why) if why else "no storage delivery of this run kept a copy"
        note = f"{rebuilt} ({reasons})"
        return replace(artifact, note=f"{artifact.note}; {note}" if artifact.note else note)

    return produce


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
