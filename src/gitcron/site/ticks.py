"""Is the scheduler healthy? The age of the last tick, and the gaps between ticks.

`state/tick.json` holds only the last tick, but every tick commits it, so its git history is the
list of ticks: one `git log -p` of that file reads them all in one process. GitHub starts
scheduled runs late and drops some; the gaps between ticks, set against the configured interval,
show how late and how many. Without git history (not a clone, or a shallow one) the site says
so and shows the last tick's age alone.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from gitcron.gitops.git import GitError, git
from gitcron.state import StateError, StateStore, parse_instant
from gitcron.state.store import TICK_FILE
from gitcron.timing.words import duration_words

GAP_WINDOW = timedelta(days=30)  # the gaps shown are between ticks of the last 30 days
_LINE = re.compile(rb'^\+\s*"last_tick":\s*"([^"]{1,40})"', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    count: int
    on_time: bool  # within the interval and a few minutes of grace


@dataclass(slots=True)
class Health:
    """What the site says about the scheduler itself."""

    interval: timedelta
    stale_after: timedelta | None
    last_tick: datetime | None
    age: timedelta | None
    verdict: str  # "on time", "late", "stale", "never ran"
    problem: str | None = None  # why the last tick could not be read
    ticks: int = 0  # ticks seen in the window
    buckets: list[Bucket] = field(default_factory=list)
    median: timedelta | None = None
    p95: timedelta | None = None
    longest: timedelta | None = None
    longest_after: datetime | None = None  # the tick before the longest gap
    dropped: int = 0  # ticks the interval promised that did not come
    history_note: str | None = None  # why no gaps are shown

    @property
    def age_words(self) -> str:
        return "" if self.age is None else words(self.age)


def words(delta: timedelta) -> str:
    """`2 h 5 min`, `14 min`, `3 d 2 h`: an age or a gap, to the minute."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{mins} min"]
    if days:
        parts[2] = ""
    return " ".join(p for p in parts if p)


def health(root: Path, now: datetime, interval: timedelta, stale_after: timedelta | None) -> Health:
    """The last tick's age against the interval, and the gaps between the ticks git remembers."""
    try:
        last = StateStore(root).load_tick()
        problem = None
    except StateError as error:
        last, problem = None, error.message
    age = None if last is None else max(now - last, timedelta(0))
    result = Health(interval, stale_after, last, age, _verdict(age, interval, stale_after))
    result.problem = problem
    ticks, note = tick_instants(root, now - GAP_WINDOW, now)
    if last is not None and (not ticks or ticks[-1] < last) and last <= now:
        ticks.append(last)
    result.history_note = note
    _gaps(result, ticks)
    return result


def _verdict(age: timedelta | None, interval: timedelta, stale: timedelta | None) -> str:
    if age is None:
        return "never ran"
    if stale is not None and age > stale:
        return "stale"
    return "on time" if age <= interval + timedelta(minutes=5) else "late"


def tick_instants(
    root: Path, since: datetime, until: datetime
) -> tuple[list[datetime], str | None]:
    """Every tick instant state/tick.json was committed with in (since, until], oldest first;
    and, when git cannot tell, why."""
    try:
        shallow = git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"
        out = git(root, "log", "-p", "--no-color", "--format=", "--", TICK_FILE)
    except GitError:
        return [], (
            "the gaps between ticks come from git's history of state/tick.json, and this "
            "folder is not a git clone"
        )
    found = set()
    for match in _LINE.finditer(out):
        try:
            instant = parse_instant(match.group(1).decode("ascii"))
        except (ValueError, UnicodeDecodeError):  # UnicodeDecodeError is a ValueError too
            continue
        if since < instant <= until:
            found.add(instant)
    note = None
    if shallow:
        note = "this is a shallow clone: fetch the whole history (fetch-depth: 0) to see every tick"
    return sorted(found), note


def _gaps(result: Health, ticks: list[datetime]) -> None:
    result.ticks = len(ticks)
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    interval = result.interval
    edges = sorted({interval + timedelta(minutes=5), 2 * interval, 4 * interval, 8 * interval,
                    24 * interval})  # fmt: skip
    if not gaps:
        return
    counts = [0] * (len(edges) + 1)
    for gap in gaps:
        counts[next((n for n, edge in enumerate(edges) if gap <= edge), len(edges))] += 1
    labels = [f"up to {duration_words(edges[0], floor_minutes=True)}"]
    labels += [
        f"{duration_words(a, floor_minutes=True)} to {duration_words(b, floor_minutes=True)}"
        for a, b in itertools.pairwise(edges)
    ]
    labels.append(f"over {duration_words(edges[-1], floor_minutes=True)}")
    pairs = enumerate(zip(labels, counts, strict=True))
    result.buckets = [Bucket(label, count, n == 0) for n, (label, count) in pairs]
    ordered = sorted(gaps)
    result.median = ordered[len(ordered) // 2]
    result.p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
    longest = max(range(len(gaps)), key=lambda n: gaps[n])
    result.longest, result.longest_after = gaps[longest], ticks[longest]
    result.dropped = sum(max(0, round(gap / interval) - 1) for gap in gaps)
