"""The tick's job summary: Markdown appended to the file `$GITHUB_STEP_SUMMARY` names.

What an operator opens first on a tick's run page: the counts, what needs attention (the same
problems as the annotations, all of them, most important first: GitHub shows only 10
annotations per step), the retries due, and every record with its reason. Text from schedules,
receivers and state is escaped (`review.markdown`), so an error message cannot break a table or
mention someone. A step summary holds at most 1 MiB: what does not fit is cut at a line, with a
note saying how much was left out and where to read it.

Every command that runs or records runs (`run`, `trigger`, and `commit` of a sharded tick) writes
its part the same way, through `publish` (after its commit-back: `closing.py`); only the
heading names the command.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.cli.tick_text import MARKS, summary, when
from gitcron.review.escape import SUMMARY_LIMIT, cell, plain

if TYPE_CHECKING:  # names only: a quiet tick writes its summary without loading any of these
    from gitcron.catalog.view import ScheduleView
    from gitcron.cli.tick_verdict import Failure
    from gitcron.config.problems import Problem
    from gitcron.engine.phases import TickResult
    from gitcron.state import Record

ENV = "GITHUB_STEP_SUMMARY"
# Rows in order of what to look at first: final failures, then runs that will be retried,
# then fires that did not run, then what went well.
_ORDER = {"final": 0, "retried": 1, "missed": 2, "skipped": 3, "succeeded": 4}
_NOTE_ROOM = 400  # bytes kept for the note that says the summary was cut


def publish(
    root: Path,
    env: Mapping[str, str],
    result: TickResult,
    now: datetime,
    code: int,
    after: str = "",
    heading: str = "tick",
    dry_run: bool = False,
) -> str | None:
    """Append this command's Markdown to $GITHUB_STEP_SUMMARY, when the workflow gives one.
    A summary that cannot be written is never the command's failure: the warning to print is
    returned instead."""
    target = env.get(ENV)
    if not target:
        return None
    from gitcron.cli.tick_verdict import failures

    return _written(
        target,
        markdown(result, failures(root, result, dry_run), now, code, after, heading),
        heading,
    )


def publish_nothing_due(
    env: Mapping[str, str], now: datetime, code: int, after: str = ""
) -> str | None:
    """`publish` for a quiet tick (engine/quiet.py): the summary of a tick with nothing due, as
    a full tick writes it, from the same `compose`."""
    target = env.get(ENV)
    if not target:
        return None
    return _written(target, compose([], [], [], {}, now, code, after), "tick")


def _written(target: str, text: str, heading: str) -> str | None:
    """Append `text` to the summary file; the warning to print when that cannot be done."""
    try:
        if not append(Path(target), text):
            what = "this tick's" if heading == "tick" else f"the {heading.split()[0]}"
            return f"${ENV} is full (1 MiB): {what} summary was not added"
    except OSError as error:
        return f"could not write the job summary to ${ENV}: {error.strerror}"
    return None


def markdown(
    result: TickResult,
    found: list[Failure],
    now: datetime,
    code: int,
    after: str = "",
    heading: str = "tick",
) -> str:
    """The whole summary of one tick (`after`: what commit-back said, if anything; `heading`:
    the command, e.g. `trigger acme/weekly`)."""
    from gitcron.cli.tick_verdict import problems, views_of

    found_problems = problems(result, found)
    return compose(
        result.records, found, found_problems, views_of(result), now, code, after, heading
    )


def compose(
    records: list[Record],
    found: list[Failure],
    attention: list[Problem],
    views: Mapping[str, ScheduleView],
    now: datetime,
    code: int,
    after: str = "",
    heading: str = "tick",
) -> str:
    """The summary from its parts: records, failures, what needs attention, views by id."""
    verdict = f"exit {code}" + (": needs attention" if code == 1 else "")
    lines = [f"## gitcron {plain(heading)} at {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC", ""]
    lines += [f"**{summary(records)}** · {verdict}", ""]
    if after:
        lines += [plain(after), ""]
    lines += _counts(records, found)
    lines += _attention(attention)
    lines += _retries(found)
    lines += _records(records, found, views)
    return "\n".join(lines).rstrip("\n") + "\n"


def _counts(records: list[Record], found: list[Failure]) -> list[str]:
    counts = Counter(r.status for r in records)
    retried = sum(not f.final for f in found)
    rows = [
        ("✓ succeeded", counts["succeeded"]),
        ("✗ failed for good", sum(f.final for f in found)),
        ("↻ failed, retry scheduled", retried),
        ("· missed", counts["missed"]),
        ("- skipped (closed day)", counts["skipped"]),
    ]
    lines = ["| outcome | count |", "|---|---:|"]
    lines += [f"| {name} | {number} |" for name, number in rows]
    return [*lines, ""]


def _attention(found: list[Problem]) -> list[str]:
    if not found:
        return []
    lines = [f"### Needs attention ({len(found)}, most important first)", ""]
    for problem in found:
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        mark = "❌ error" if problem.severity == "error" else "⚠️ warning"
        text = f"- {mark} `{cell(where)}`: {plain(problem.message)}"
        if problem.hint:  # gitcron's own sentence: its `code spans` stay code
            text += f" **Fix:** {plain(problem.hint).replace(chr(92) + '`', '`')}"
        lines.append(text)
    return [*lines, ""]


def _retries(found: list[Failure]) -> list[str]:
    due = sorted((f for f in found if f.retry is not None), key=_due)
    if not due:
        return []
    lines = ["### Retries due", ""]
    lines += ["| schedule | run of | attempt | due (UTC) | re-sends |", "|---|---|---:|---|---|"]
    for failure in due:
        retry = failure.retry
        assert retry is not None
        of = f" of {failure.attempts}" if failure.attempts else ""
        targets = ", ".join(retry.failed_targets) or "everything"
        lines.append(
            f"| {plain(failure.record.schedule)} | {when(failure.record.fire, failure.view)} "
            f"| {retry.attempt + 1}{of} | {retry.due:%Y-%m-%d %H:%M} | {plain(targets)} |"
        )
    return [*lines, ""]


def _due(failure: Failure) -> datetime:
    return failure.retry.due if failure.retry else datetime.max.replace(tzinfo=UTC)


def _kind(record: Record, failed: Mapping[str, Failure]) -> str:
    failure = failed.get(_key(record))
    if failure is not None:
        return "final" if failure.final else "retried"
    return record.status


def _key(record: Record) -> str:
    return f"{record.run_id}#{record.attempt}"


def _records(
    records: list[Record], found: list[Failure], views: Mapping[str, ScheduleView]
) -> list[str]:
    if not records:
        return ["Nothing was due."]
    from gitcron.cli.tick_verdict import reasons

    failed = {_key(f.record): f for f in found}
    ordered = sorted(
        records, key=lambda r: (_ORDER.get(_kind(r, failed), 9), r.schedule, r.fire, r.attempt)
    )
    lines = ["### Runs and fires", ""]
    lines += ["| outcome | schedule | fire | details |", "|---|---|---|---|"]
    for record in ordered:
        kind = _kind(record, failed)
        outcome = {"final": f"{record.status}, final", "retried": f"{record.status}, retried"}
        status = f"{MARKS[record.status]} {outcome.get(kind, record.status)}"
        details = reasons(record) if record.status in ("failed", "partial") else _done(record)
        fire = when(record.fire, views.get(record.schedule))
        lines.append(f"| {status} | {plain(record.schedule)} | {fire} | {plain(details)} |")
    return lines


def _done(record: Record) -> str:
    if record.status in ("missed", "skipped"):
        return record.note or ""
    parts = []
    if record.rows is not None:
        parts.append(f"{record.rows} row{'s' * (record.rows != 1)}")
    if record.file is not None:
        parts.append(record.file.name)
    sent = [d.target for d in record.deliveries if d.status == "succeeded"]
    if sent:
        parts.append("to " + ", ".join(sent))
    return ", ".join(parts)


def append(path: Path, text: str, limit: int = SUMMARY_LIMIT) -> bool:
    """Append `text` to the summary file, cut at a line to stay within `limit` bytes in all
    (the file may hold an earlier step's part); False when nothing fitted at all."""
    try:
        used = path.stat().st_size
    except FileNotFoundError:
        used = 0
    room = limit - used
    data = text.encode()
    if len(data) > room:
        data = _cut(text, room)
    if not data:
        return False
    with open(path, "ab") as handle:
        handle.write(data)
    return True


def _cut(text: str, room: int) -> bytes:
    """`text` cut at a line, with a note, in at most `room` bytes; empty if even that is too big."""
    lines = text.splitlines(keepends=True)
    budget = room - _NOTE_ROOM
    kept: list[bytes] = []
    used = 0
    for line in lines:
        size = len(line.encode())
        if used + size > budget:
            break
        kept.append(line.encode())
        used += size
    left = len(lines) - len(kept)
    note = (
        f"\n**Summary cut short**: {left:,} more line{'s' * (left != 1)} did not fit, since a "
        f"GitHub job summary holds {SUMMARY_LIMIT // 1024:,} KiB. The tick's log has every "
        "record, and `gitcron history` lists them.\n"
    ).encode()
    if budget < 0 or used + len(note) > room:
        return b""
    return b"".join(kept) + note
