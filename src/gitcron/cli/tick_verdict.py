"""What a tick's outcome means for whoever watches it: which failures heal themselves, the exit
code, and the annotations GitHub shows on the run.

A failed or partial run whose retry is scheduled (state holds it as the schedule's pending retry)
is expected to heal on a later tick, so it alone does not make the tick fail: Actions would
otherwise report red runs that fix themselves. A final failure (no retry left, or an error a
retry cannot fix), an invalid schedule file, a damaged state file or broken settings exit 1; a
failed push raises on its own (`gitops.commit`). Whether a retry is scheduled is read from the
state the tick wrote, so the rule of when a run is retried stays in one place
(`engine.outcomes`).

Annotations are `config.problems.Problem`s printed by `format_github`, like `validate`'s,
most important first: GitHub shows only the first 10 of a step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gitcron.catalog.view import ScheduleView
from gitcron.cli.tick_text import when
from gitcron.config.problems import Problem, format_github, ordered
from gitcron.engine.phases import TickResult
from gitcron.state import PendingRetry, Record, ScheduleState, StateError, StateStore

FAILED = ("failed", "partial")
_PLACE = re.compile(r"(state/[^:\s]+)(?::(\d+)(?::(\d+))?)?: ")  # how StateError names its file


@dataclass(frozen=True, slots=True)
class Failure:
    """A run that failed (wholly or partly) in this tick, and the retry state holds for it."""

    record: Record
    view: ScheduleView | None
    retry: PendingRetry | None  # None: the failure is final

    @property
    def final(self) -> bool:
        return self.retry is None

    @property
    def file(self) -> str:
        return self.view.file if self.view else f"schedules/{self.record.schedule}.yaml"

    @property
    def attempts(self) -> int | None:
        """How many attempts the schedule's retry policy allows in all (None: unknown)."""
        return None if self.view is None else self.view.retry_attempts + 1


def views_of(result: TickResult) -> dict[str, ScheduleView]:
    return {part.view.id: part.view for part in result.plan.schedules}


def failures(root: Path, result: TickResult, dry_run: bool = False) -> list[Failure]:
    """The tick's failed and partial runs, each with the retry its state now holds, if any.

    A dry run writes no state, so nothing it does is retried: its failures are final."""
    views = views_of(result)
    bad = [r for r in result.records if r.status in FAILED]
    states: dict[str, dict[str, ScheduleState]] = {}
    found = []
    for record in bad:
        customer, _, name = record.schedule.partition("/")
        if not dry_run and customer not in states:
            states[customer] = _customer_states(root, customer)
        state = states.get(customer, {}).get(name)
        pending = state.pending_retry if state else None
        mine = pending is not None and (pending.run_id, pending.attempt) == (
            record.run_id,
            record.attempt,
        )
        found.append(Failure(record, views.get(record.schedule), pending if mine else None))
    return found


def _customer_states(root: Path, customer: str) -> dict[str, ScheduleState]:
    try:
        return StateStore(root).load_customer(customer)
    except (StateError, ValueError):  # reported by the tick itself; no retry can be read
        return {}


def exit_code(result: TickResult, found: list[Failure]) -> int:
    """1 for a final failure, an invalid or damaged file; 0 when every failure will be retried."""
    broken = result.invalid or result.settings_problems or result.state_problems
    return 1 if broken or any(f.final for f in found) else 0


def problem_of(failure: Failure) -> Problem:
    """A failed run as an annotation on its schedule file: an error if final, else a warning."""
    record = failure.record
    text = f"{record.schedule}: the run of {when(record.fire, failure.view)} {record.status}"
    why = reasons(record)
    if why:
        text += f": {why}"
    retry = failure.retry
    if retry is not None:
        of = f" of {failure.attempts}" if failure.attempts else ""
        text += (
            f". Retried from {retry.due:%Y-%m-%d %H:%M} UTC (attempt {retry.attempt + 1}{of}), "
            "re-sending only what failed"
        )
        title = ("run failed, retried later",)  # the annotation's title (`Problem.where`)
        return Problem(failure.file, text, title, severity="warning", kind="target")
    hint = (
        f"fix what the error says, then send it again with `gitcron trigger {record.schedule}` "
        "(or the tick workflow's Run workflow with this schedule)"
    )
    title = ("run failed for good",)
    return Problem(failure.file, text, title, hint=hint, severity="error", kind="target")


def reasons(record: Record) -> str:
    """Why a run failed, on one line: the job's error, else each failed delivery's."""
    if record.error:
        return _one_line(record.error)
    failed = [d for d in record.deliveries if d.status == "failed"]
    return "; ".join(f"{d.target}: {_one_line(d.error or 'failed')}" for d in failed)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def problems(result: TickResult, found: list[Failure]) -> list[Problem]:
    """Every annotation of the tick, most important first."""
    listed: list[Problem] = [*result.settings_problems]
    for entry in result.invalid:
        errors = [p for p in entry.problems if p.severity == "error"]
        listed += errors or [
            Problem(entry.file, "the schedule file is invalid and did not run", kind="syntax")
        ]
    for trouble in result.state_problems:
        place = _PLACE.match(trouble.message)
        file, line, col = place.groups() if place else ("state", None, None)
        listed.append(
            Problem(
                file,
                f"{trouble.message} (its customer's schedules did not run)",
                hint=trouble.hint,
                line=int(line or 0),
                col=int(col or 0) if line else 0,
                kind="syntax",
            )
        )
    listed += [problem_of(f) for f in found]
    views = views_of(result)
    for record in result.records:
        if record.status == "missed":
            view = views.get(record.schedule)
            listed.append(
                Problem(
                    view.file if view else f"schedules/{record.schedule}.yaml",
                    f"{record.schedule}: the run of {when(record.fire, view)} was missed: "
                    f"{record.note or 'no tick ran it in time'}",
                    ("fire missed",),
                    severity="warning",
                    kind="other",
                )
            )
    return ordered(listed)


def annotation_lines(result: TickResult, found: list[Failure]) -> list[str]:
    """The workflow commands (`::error file=...::`) of `problems`, most important first."""
    return [format_github(p) for p in problems(result, found)]
