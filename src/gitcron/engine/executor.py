"""One run, start to finish: produce the artifact, deliver it, and say what happened as a Record.

`run_one` never raises for a run's own trouble: a job or channel error becomes the record's
error, so one broken run cannot stop the others in the tick. A re-send passes `produce` to
deliver a stored copy instead of making the file again.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.catalog.view import target_key
from gitcron.channels.base import DeliveryContext
from gitcron.config.fields import zone
from gitcron.config.settings import Settings
from gitcron.core.artifact import Part
from gitcron.core.redact import Redactor
from gitcron.engine.parts import attempt, part_deliveries
from gitcron.engine.plans import PlannedRun
from gitcron.engine.run_env import RunEnv as RunEnv  # its home; the engine imports it here too
from gitcron.errors import GitcronError
from gitcron.jobs.base import Artifact, JobContext, RunInfo
from gitcron.jobs.context import template_context
from gitcron.jobs.registry import job_for
from gitcron.state import Delivery, FileInfo, Record
from gitcron.state.records import RunStatus

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule


Produce = Callable[[JobContext], Artifact]  # makes a run's file: the job's own by default


def run_one(
    run: PlannedRun,
    schedule: Schedule,
    zone_key: str,
    env: RunEnv,
    produce: Produce | None = None,
) -> Record:
    """Make one attempt of `run` (its file from `produce`, else the job); its record."""
    began = env.clock()
    redact = Redactor.for_config(env.env, env.settings, schedule)
    info = RunInfo(
        run_id=run.run_id,
        schedule_id=run.schedule,
        fire=run.fire,
        interval_start=run.interval_start,
        trigger=run.trigger,
        attempt=run.attempt,
        zone=zone(zone_key),
        again=run.again,
        generated=run.generated or env.now,
        delivered_rows=run.delivered_rows,
    )
    base = Record(
        run_id=run.run_id,
        schedule=run.schedule,
        fire=run.fire,
        trigger=run.trigger,
        status="failed",
        attempt=run.attempt,
        started=env.now,
        labels=dict(schedule.labels),
        generated=run.generated,
    )
    with tempfile.TemporaryDirectory(prefix="gitcron-run-") as work:
        try:
            make = produce or job_for(schedule).produce
            record = _attempt(run, schedule, info, Path(work), env, base, redact, make)
        except Exception as error:  # a bug in a job or channel: this run fails, the tick goes on
            record = _with(base, error=redact(f"internal error: {type(error).__name__}: {error}"))
    elapsed = int((env.clock() - began) * 1000)
    return _with(record, duration_ms=max(0, elapsed))


def _attempt(
    run: PlannedRun,
    schedule: Schedule,
    info: RunInfo,
    work: Path,
    env: RunEnv,
    base: Record,
    redact: Redactor,
    produce: Produce,
) -> Record:
    ctx = JobContext(info, schedule, env.settings, env.root, work, env.env)
    try:
        artifact = produce(ctx)
    except GitcronError as error:
        return _with(
            base, error=redact(str(error)), permanent=bool(getattr(error, "permanent", False))
        )
    file = _file_info(artifact)
    for made in (artifact, *(part.file for part in artifact.parts)):
        if env.keep_files is not None and made.path is not None:
            env.keep_files.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(made.path, env.keep_files / made.name)
    if artifact.skip:
        return _with(
            base,
            status="skipped",
            rows=artifact.rows,
            note=artifact.note,
            rows_sha256=artifact.rows_sha256,
        )
    deliveries = tuple(_deliver(run, schedule, info, artifact, env, redact))
    return _with(
        base,
        status=_status(deliveries),
        rows=artifact.rows,
        file=file,
        deliveries=deliveries,
        note=artifact.note,
        rows_sha256=artifact.rows_sha256,
    )


def delivery_context(
    info: RunInfo,
    schedule: Schedule,
    settings: Settings,
    artifact: Artifact,
    root: Path,
    outbox: Path | None,
    env: Mapping[str, str],
) -> DeliveryContext:
    """What a channel is given of one run: its names for templates and the schedule's targets."""
    return DeliveryContext(
        info,
        settings,
        artifact,
        root,
        outbox,
        env,
        template_values=lambda: template_context(info, schedule, settings, rows=artifact.rows),
        deliveries=tuple((item.channel, getattr(item, item.channel)) for item in schedule.deliver),
        customer=schedule.customer_file,
    )


def _deliver(
    run: PlannedRun,
    schedule: Schedule,
    info: RunInfo,
    artifact: Artifact,
    env: RunEnv,
    redact: Redactor,
) -> list[Delivery]:
    def context(made: Artifact, run_info: RunInfo) -> DeliveryContext:
        ctx = delivery_context(
            run_info, schedule, env.settings, made, env.root, env.outbox, env.env
        )
        return replace(ctx, sleep=env.sleep, now=env.at)

    done = []
    wanted = _to_send(run, schedule)
    passed = "not asked for" if run.trigger == "resend" else "delivered by an earlier attempt"
    burst = schedule.report.burst if schedule.report is not None else None
    if artifact.parts and burst is not None:  # each part on its own (engine/parts.py)

        def by_part(part: Part) -> DeliveryContext:
            return context(part.file, replace(info, part=part.value))

        return part_deliveries(
            schedule.deliver, burst, artifact.parts, by_part, wanted, redact, passed
        )
    ctx = context(artifact, info)
    for item in schedule.deliver:
        key = target_key(item.channel, item.target())
        if key not in wanted:
            done.append(Delivery(key, "skipped", note=passed))
            continue
        done.append(attempt(key, item, ctx, redact))
    return done


def _to_send(run: PlannedRun, schedule: Schedule) -> set[str]:
    """The targets this attempt sends: all, or a retry's failed ones plus the storage deliveries
    whose links a re-sent delivery needs (a `link: true` email, a chat message; storage is
    idempotent: "already there")."""
    keys = [target_key(item.channel, item.target()) for item in schedule.deliver]
    if run.targets is None:
        return set(keys)
    wanted = set(run.targets)
    for index, item in enumerate(schedule.deliver):
        if item.needs_links and keys[index] in wanted:
            wanted.update(
                keys[before]
                for before, earlier in enumerate(schedule.deliver[:index])
                if earlier.storage is not None and earlier.storage.link_expires is not None
            )
    return wanted


def _status(deliveries: tuple[Delivery, ...]) -> RunStatus:
    failed = sum(d.status == "failed" for d in deliveries)
    if not failed:
        return "succeeded"
    return "partial" if failed < len(deliveries) else "failed"


def _file_info(artifact: Artifact) -> FileInfo | None:
    if artifact.skip or artifact.parts:  # a bursting report's parts are files of their own
        return None
    if artifact.path is None:
        data = artifact.body or b""
        return FileInfo(artifact.name, len(data), hashlib.sha256(data).hexdigest())
    with artifact.path.open("rb") as handle:  # a large file is hashed in chunks, not read whole
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return FileInfo(artifact.name, artifact.path.stat().st_size, digest)


def _with(record: Record, **changes: object) -> Record:
    return replace(record, **changes)  # type: ignore[arg-type]
