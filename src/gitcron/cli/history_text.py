"""How `gitcron history` reads in a terminal: aligned lines per record, a block per schedule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from gitcron.state import StateError
from gitcron.state.archive import Archived
from gitcron.state.model import ScheduleState
from gitcron.state.records import Delivery, Record
from gitcron.state.stats import RAN, ScheduleStats

HEADER = (
    *("STARTED (UTC)", "SCHEDULE", "FIRE (UTC)", "TRIGGER", "STATUS", "TRY", "TOOK", "ROWS"),
    "FILE",
)
_RIGHT = {5, 6, 7}  # numbers line up on their last digit
_MARKS = {
    "succeeded": "✓",
    "failed": "✗",
    "skipped": "✓ (sent earlier)",
}  # skipped: an earlier attempt


def utc(instant: datetime) -> str:
    """`2026-11-22 15:02:10`, or without seconds when they are zero (fires usually are)."""
    value = instant.astimezone(UTC)
    return f"{value:%Y-%m-%d %H:%M}" + (f":{value:%S}" if value.second else "")


def duration(ms: int) -> str:
    """`0.4s`, `5.3s`, `2m 05s`, `1h 02m`: as precise as a person reading it needs."""
    # a measured run time, in a table column; not timing.words.duration_words, which says a
    # configured length in words ('90 minutes')
    if ms < 59_950:  # tenths rounded half up: 150 ms is 0.2s, as 154 ms is (not 0.1s by float)
        tenths = (ms + 50) // 100
        return f"{tenths // 10}.{tenths % 10}s"
    seconds = round(ms / 1000)
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def delivery(outcome: Delivery) -> str:
    """`email:buyer@acme.example ✓`, `webhook:https://… ✗ 503 Service Unavailable`."""
    text = f"{outcome.target} {_MARKS[outcome.status]}"
    return f"{text} {one_line(outcome.error)}" if outcome.error else text


def one_line(value: str) -> str:
    return " ".join(value.split())


def record_cells(record: Record) -> list[str]:
    ran = record.status in RAN
    return [
        f"{record.started.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
        record.schedule,
        utc(record.fire),
        record.trigger,
        record.status,
        str(record.attempt),
        duration(record.duration_ms) if ran else "-",
        "-" if record.rows is None else f"{record.rows:,}",
        record.file.name if record.file else "-",
    ]


def record_table(records: Iterable[Record]) -> list[str]:
    """A header and one line per record; deliveries, note and error trail unaligned."""
    rows = [(record_cells(r), _tail(r)) for r in records]
    widths = [
        max(len(cells[i]) for cells in [list(HEADER), *(c for c, _ in rows)])
        for i in range(len(HEADER))
    ]
    lines = [_aligned(list(HEADER), widths) + "  DELIVERIES"]
    lines += [(_aligned(cells, widths) + "  " + tail).rstrip() for cells, tail in rows]
    return lines


def _aligned(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell.rjust(width) if i in _RIGHT else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def _tail(record: Record) -> str:
    parts = [", ".join(delivery(d) for d in record.deliveries) or "-"]
    if record.note:
        parts.append(f"note: {one_line(record.note)}")
    if record.error:
        parts.append(f"error: {one_line(record.error)}")
    return "  ".join(parts)


def stats_block(
    stats: ScheduleStats, states: Mapping[str, ScheduleState | StateError]
) -> list[str]:
    """One schedule's statistics as labelled lines, ending with its next fire."""
    rate = "-" if stats.success_rate is None else f"{stats.success_rate:.1%}"
    took = "-"
    if stats.avg_duration_ms is not None and stats.p95_duration_ms is not None:
        # one attempt's p95 is that attempt: the summary's histogram rounds it (state/summaries.py)
        p95 = round(stats.avg_duration_ms) if stats.attempts == 1 else stats.p95_duration_ms
        took = f"avg {duration(round(stats.avg_duration_ms))}, p95 {duration(p95)}"
    pairs = [
        (
            "runs",
            f"{stats.runs}: {stats.succeeded} succeeded, {stats.partial} partial, "
            f"{stats.failed} failed ({stats.attempts} attempts)",
        ),
        ("success rate", rate),
        ("duration", took),
        ("last success", _when(stats.last_success)),
        ("last failure", _when(stats.last_failure)),
        ("not run", f"{stats.skipped} skipped, {stats.missed} missed"),
        ("rows", f"{stats.rows:,}"),
        ("next fire", _next_fire(stats.schedule, states)),
    ]
    return [stats.schedule, *(f"  {label:<13} {value}" for label, value in pairs)]


def _when(instant: datetime | None) -> str:
    return "never" if instant is None else f"{utc(instant)} UTC"


def _next_fire(sid: str, states: Mapping[str, ScheduleState | StateError]) -> str:
    state = states.get(sid)
    if isinstance(state, ScheduleState):
        status = "" if state.status == "active" else f" ({state.status})"
        return ("none" if state.next_fire is None else f"{utc(state.next_fire)} UTC") + status
    if isinstance(states.get(sid.split("/", 1)[0]), StateError):
        return "unknown: its state file cannot be read (see `gitcron state check`)"
    return "not planned yet (no state: the next tick plans it)"


def archived_note(months: list[Archived]) -> str:
    """Which archived months this answer could not read, and where each is."""
    span = months[0].month if len(months) == 1 else f"{months[0].month} to {months[-1].month}"
    lines = [
        f"history of {span} is archived (gitcron history-archive) and not read here; it is at:"
    ]
    lines += [f"  {m.where} ({m.lines:,} lines)" for m in months]
    lines.append("  hint: read one with `zcat FILE | grep ID` (state/archive.json lists them)")
    return "\n".join(lines)
