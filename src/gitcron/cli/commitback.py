"""Commit-back as `run`, `trigger` and `commit` share it: the same replay, commit, push and words.

Before its own work, a committing command folds in the records a failed push left in the pending
file; afterwards it commits state/ (and pushes, replaying on a moved remote) through
`gitops.commit.commit_back`, then says what happened. A heartbeat follows the whole step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from gitcron.cli import output
from gitcron.engine import replay as record_files
from gitcron.gitops import sparse
from gitcron.gitops.commit import Pushing, commit_back
from gitcron.gitops.heartbeat import with_heartbeat
from gitcron.state import Record, StateError, StateStore
from gitcron.state.history import months_before


def replay_pending(root: Path) -> list[Record]:
    """Records a tick could not push: folded in first, so this tick plans after them."""
    pending = record_files.load_pending(root)
    if pending:
        output.say(
            f"replaying {len(pending)} record(s) whose push failed ({record_files.PENDING_FILE})"
        )
        record_files.replay(root, pending)
    return pending


def commit(
    root: Path,
    at: datetime,
    records: list[Record],
    message: str,
    env: Mapping[str, str],
    push: bool,
    pushing: Pushing | None = None,
) -> None:
    """Commit state/ with `message` (and push it, replaying `records` on a moved remote)."""
    done = commit_back(root, at, records, message, env, push, pushing, output.say)
    output.outcome(done, push)


def open_history(root: Path, now: datetime) -> None:
    """In a checkout without old history, add the day files a tick at `now` reads or appends to:
    from the last tick's day to the day after `now` (gitops/sparse.py)."""
    try:
        last = StateStore(root).load_tick(now)
    except StateError:
        last = None  # the tick reports the damaged file itself
    first = min((last or now).date(), now.date())
    days = [first + timedelta(days=n) for n in range((now.date() - first).days + 2)]
    sparse.open_days(root, days)


def prune_left_out(root: Path, now: datetime, keep_months: int) -> None:
    """Retention for the day files a sparse checkout left out (the tick prunes the others)."""
    removed = sparse.prune_left_out(root, months_before(now.date(), keep_months))
    if removed:
        output.say(f"history: {len(removed)} day file(s) past retention removed")


def heartbeat_after(root: Path, env: Mapping[str, str], step: Callable[[], int]) -> int:
    """Run `step`, then ping the heartbeat URL (if set): plain on success, `/fail` on failure."""
    return with_heartbeat(root, env, step, output.warn)
