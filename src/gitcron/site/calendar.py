"""The calendar heatmap: one square per day of the last 90, one column per week, as inline SVG.

Each day gets the worst thing that happened on it (a failed run, then a missed fire, then all
succeeded, then only closed days), a colour for it and a mark that does not depend on colour
(✕ failed, ! missed, a dot for no run), and a title with the counts that screen readers and a
long press read. Days are UTC days, as history's day files are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gitcron.state import Record

CELL = 14  # px of a day's square
GAP = 3
TOP = 18  # room for the month names
LEFT = 30  # room for the weekday names

KINDS = {  # kind: (words in the legend, mark inside the square)
    "failed": ("a run failed", "✕"),
    "missed": ("a fire was missed", "!"),
    "ok": ("every run succeeded", ""),
    "quiet": ("nothing ran", "·"),
}


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    kind: str  # one of KINDS
    succeeded: int = 0
    failed: int = 0  # failed or partial attempts
    missed: int = 0
    skipped: int = 0

    @property
    def title(self) -> str:
        said = [
            f"{n} {word}"
            for n, word in (
                (self.succeeded, "succeeded"),
                (self.failed, "failed"),
                (self.missed, "missed"),
                (self.skipped, "skipped"),
            )
            if n
        ]
        return f"{self.day:%a %Y-%m-%d}: " + (", ".join(said) if said else "nothing ran")

    @property
    def mark(self) -> str:
        return KINDS[self.kind][1]


Tally = dict[date, Counter[str]]  # records' statuses by UTC day


def count(tally: Tally, record: Record) -> None:
    """Add one record to a day tally (records are counted as read, never kept)."""
    day = tally.get(record.day)
    if day is None:
        day = tally[record.day] = Counter()
    day[record.status] += 1


def days_of(tally: Tally, now: datetime, days: int) -> list[Day]:
    """The last `days` UTC days up to `now`'s, oldest first, each with its records' counts."""
    last = now.date()
    first = last - timedelta(days=days - 1)
    found = []
    for n in range(days):
        day = first + timedelta(days=n)
        c = tally.get(day, Counter())
        failed = c["failed"] + c["partial"]
        kind = (
            "failed" if failed else "missed" if c["missed"] else "ok" if c["succeeded"] else "quiet"
        )
        found.append(Day(day, kind, c["succeeded"], failed, c["missed"], c["skipped"]))
    return found


@dataclass(frozen=True, slots=True)
class Square:
    x: int
    y: int
    day: Day


@dataclass(frozen=True, slots=True)
class Grid:
    """Where each day's square and each label goes in the SVG."""

    width: int
    height: int
    squares: list[Square]
    months: list[tuple[int, str]]  # x, name
    weekdays: list[tuple[int, str]]  # y, name
    summary: str  # the whole picture in words, for aria-label

    @property
    def cell(self) -> int:
        return CELL


def grid(days: list[Day]) -> Grid:
    """Columns are weeks (Monday on top), oldest on the left."""
    if not days:
        return Grid(LEFT, TOP, [], [], [], "no days")
    start = days[0].day - timedelta(days=days[0].day.weekday())
    squares = []
    months: list[tuple[int, str]] = []
    for day in days:
        column = (day.day - start).days // 7
        x = LEFT + column * (CELL + GAP)
        y = TOP + day.day.weekday() * (CELL + GAP)
        squares.append(Square(x, y, day))
        starts = day.day.day == 1 or day is days[0]
        if starts and (not months or x - months[-1][0] > 2 * (CELL + GAP)):
            months.append((x, f"{day.day:%b}"))
    columns = (days[-1].day - start).days // 7 + 1
    named = ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    weekdays = [(TOP + n * (CELL + GAP) + CELL - 3, name) for n, name in named]
    counts = Counter(d.kind for d in days)
    said = ", ".join(f"{counts[k]} days {KINDS[k][0]}" for k in KINDS if counts[k])
    summary = f"{len(days)} days from {days[0].day} to {days[-1].day}: {said}"
    return Grid(
        LEFT + columns * (CELL + GAP), TOP + 7 * (CELL + GAP), squares, months, weekdays, summary
    )
