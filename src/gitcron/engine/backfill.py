"""The fires of a past period run late (`gitcron backfill ID --from DATE --until DATE`).

Each fire in the period that no attempt delivered runs once, oldest first, with its own data
interval (from the runnable fire before it), recorded with trigger `backfill`; a fire that some
targets already have sends only to the others. `force` sends delivered fires again too, each as
a new attempt whose deliveries carry ids of their own (as `gitcron resend` does). Closed days,
fires with a retry still due, and fires the tick has not decided yet (after the schedule's
watermark) never run here. At most MAX_RUNS fires run per backfill; the whole list is worked
out, and shown, before the first one runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from gitcron.catalog.view import target_key
from gitcron.config.fields import zone
from gitcron.engine.by_hand import RAN, OneSchedule, delivered, next_attempt, one_schedule, runs_of
from gitcron.engine.due import previous_fire
from gitcron.engine.executor import run_one
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import OnRecord, TickOptions, TickResult, prepare
from gitcron.engine.plans import PlannedRun
from gitcron.errors import GitcronError, UsageError
from gitcron.state import Record, format_instant, make_run_id
from gitcron.timing.fires import iter_fires

MAX_RUNS = 100  # fires one backfill runs at most: a bigger period is split into several
MAX_FIRES = 10_000  # fires one backfill looks at (run or not) before it gives up

Bound = date | datetime  # a day in the schedule's timezone (whole), or an instant


@dataclass(frozen=True, slots=True)
class Fill:
    """One fire of the period: the run it gets, or why it gets none."""

    fire: datetime
    why: str
    run: PlannedRun | None = None


@dataclass
class Backfill:
    """What a backfill does, worked out before it runs: every fire of the period, in order."""

    schedule: str
    start: datetime
    until: datetime  # inclusive
    fills: list[Fill] = field(default_factory=list)
    later: datetime | None = None  # fires after this are the tick's to decide, not listed

    @property
    def runs(self) -> list[PlannedRun]:
        return [f.run for f in self.fills if f.run is not None]


def backfill(
    root: Path,
    now: datetime,
    sid: str,
    period: tuple[Bound, Bound],
    options: TickOptions,
    force: bool = False,
    shown: Callable[[Backfill], None] | None = None,
    on_record: OnRecord | None = None,
) -> TickResult:
    """Run the fires of `period` that were not delivered (with `force`, the delivered ones too);
    `shown` sees the list first. A dry run shows it and runs nothing."""
    with tick_lock(root):
        one = one_schedule(root, prepare(root, now, (sid,)), sid, options)
        work = plan_backfill(root, one, period, force)
        if shown is not None:
            shown(work)
        if options.dry_run:
            return one.result
        for run in work.runs:
            if options.stop is not None and options.stop.requested:
                one.result.not_started.extend(r for r in work.runs if r.fire >= run.fire)
                break
            one.keep(run_one(run, one.schedule.get(), one.view.zone, one.env), on_record)
        return one.result


def plan_backfill(
    root: Path, one: OneSchedule, period: tuple[Bound, Bound], force: bool
) -> Backfill:
    """Every fire of `period` and what becomes of it; GitcronError beyond the caps."""
    sid, tz = one.view.id, zone(one.view.zone)
    start, until = _instant(period[0], tz, False), _instant(period[1], tz, True)
    if until < start:
        raise UsageError(
            f"--until {format_instant(until)} is before --from {format_instant(start)}",
            "give the period's first day to --from and its last to --until",
        )
    work = Backfill(sid, start, until)
    watermark = one.state.watermark
    past = runs_of(root, sid, start.date() - timedelta(days=1))
    targets = [target_key(i.channel, i.target()) for i in one.schedule.get().deliver]
    for count, fire in enumerate(iter_fires(one.timing, start - timedelta(microseconds=1))):
        if fire.at > until:
            break
        if fire.at > watermark:
            work.later = watermark
            break
        if count >= MAX_FIRES:
            raise GitcronError(
                f"{format_instant(start)} to {format_instant(until)} holds more than"
                f" {MAX_FIRES:,} fires of {sid}",
                "give a shorter period with --from and --until",
            )
        work.fills.append(_fill(one, fire.at, fire.closed, past, targets, force))
    if len(work.runs) > MAX_RUNS:
        last = work.runs[MAX_RUNS - 1].fire
        raise GitcronError(
            f"this backfill would run {len(work.runs)} fires of {sid}, more than the"
            f" {MAX_RUNS} one backfill runs",
            f"split the period: the first {MAX_RUNS} end at {format_instant(last)}"
            f" (--until {format_instant(last)}); `--dry-run` lists them",
        )
    return work


def _fill(
    one: OneSchedule,
    fire: datetime,
    closed: str | None,
    past: dict[str, list[Record]],
    targets: list[str],
    force: bool,
) -> Fill:
    if closed is not None:
        return Fill(fire, f"closed: {closed}")
    sid = one.view.id
    run_id = make_run_id(sid, fire)
    records = past.get(run_id, [])
    if one.state.pending_retry is not None and one.state.pending_retry.run_id == run_id:
        return Fill(fire, "a retry is due: it sends what failed")
    sent = delivered(records)
    # a bursting run's parts count for their target (`email:parts#north`): sending its parts
    # again would repeat the ones that arrived; `gitcron resend` sends them on purpose
    have = {t for t in targets if t in sent or any(h.startswith(f"{t}#") for h in sent)}
    missing = tuple(t for t in targets if t not in have)
    start = previous_fire(one.timing, fire)
    attempt = next_attempt(records)
    if not missing:
        if not force:
            return Fill(fire, "delivered (--force sends it again)")
        run = PlannedRun(run_id, sid, fire, start, "backfill", attempt, None, again=True)
        return Fill(fire, "delivered: sent again (--force)", run)
    if force:
        run = PlannedRun(run_id, sid, fire, start, "backfill", attempt, None, again=bool(have))
        more = f": {len(have)} of {len(targets)} targets again (--force)" if have else ""
        return Fill(fire, _history_words(records) + more, run)
    wanted = None if not have else missing
    why = _history_words(records)
    if have:
        why += f": sends to {len(missing)} of {len(targets)} targets"
    return Fill(fire, why, PlannedRun(run_id, sid, fire, start, "backfill", attempt, wanted))


def _history_words(records: list[Record]) -> str:
    if not records:
        return "no record"
    last = records[-1]
    if last.status in RAN:
        return f"{last.status} (attempt {last.attempt})"
    return last.status if not last.note else f"{last.status}: {last.note}"


def _instant(bound: Bound, tz: ZoneInfo, end: bool) -> datetime:
    """A day as its first instant in the schedule's timezone (the next day's, less a second,
    for the end of the period); an instant as it is."""
    if isinstance(bound, datetime):
        return bound
    day = bound + timedelta(days=1) if end else bound
    first = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    return first - timedelta(seconds=1) if end else first
