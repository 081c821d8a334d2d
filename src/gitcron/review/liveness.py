"""Is the scheduler alive? A stale `state/tick.json` means ticks stopped (or GitHub disabled them).

`validate` and `preview` both warn, so people notice a stalled scheduler before customers do.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.state.store import TICK_FILE, StateStore
from gitcron.timing.words import duration_words

HINT = (
    "look at the tick workflow's recent runs in the Actions tab (GitHub disables scheduled "
    "workflows after 60 days without activity in public repos); see docs/gitops.md"
)


def last_tick(root: Path) -> tuple[datetime | None, Problem | None]:
    """The last tick's instant, or a warning when state/tick.json cannot be read."""
    try:
        return StateStore(root).load_tick(), None
    except GitcronError as error:
        message = f"the last tick's time cannot be read: {error.message}"
        return None, Problem(TICK_FILE, message, hint=error.hint, severity="warning")


def stale_tick(root: Path, settings: Settings, now: datetime) -> Problem | None:
    """A warning when the last tick is older than `liveness.stale_after`, else None."""
    last, problem = last_tick(root)
    if problem is not None or last is None:
        return problem  # no tick yet is a new repo, not a stalled one
    return stale_problem(last, settings, now)


def stale_problem(last: datetime, settings: Settings, now: datetime) -> Problem | None:
    limit = settings.liveness.stale_after
    age = now - last
    if age <= limit:
        return None
    stale_after = duration_words(limit, floor_minutes=True)
    return Problem(
        TICK_FILE,
        f"the last tick ran {_ago(age)} ago ({last:%Y-%m-%d %H:%M} UTC), longer than"
        f" liveness.stale_after ({stale_after}): scheduled runs may not be happening",
        hint=HINT,
        severity="warning",
        kind="timing",
    )


def _ago(age: timedelta) -> str:
    """Rounded down to a unit a person reads at a glance: 95 minutes, 26 hours, 3 days."""
    # an age, approximate on purpose; timing.words.duration_words says an exact length
    minutes = int(age.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours"
    return f"{minutes // 1440} days"
