"""Commit-back as `run`, `trigger` and `commit` share it: the same replay, commit, push and words.

Before its own work, a committing command folds in the records a failed push left in the pending
file; afterwards it commits state/ (and pushes, replaying on a moved remote) through
`gitops.commit.commit_back`, then says what happened. A heartbeat follows the whole step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.cli import output
from gitcron.engine import replay as record_files
from gitcron.errors import GitcronError
from gitcron.gitops import sparse
from gitcron.gitops.heartbeat import Known, with_heartbeat
from gitcron.state import Record, StateError, StateStore
from gitcron.state.history import months_before

if TYPE_CHECKING:
    from gitcron.gitops.claim import Claimed
    from gitcron.gitops.commit import Pushing


@dataclass
class Pending:
    """The records a failed push left: all of them, and those a damaged state file refused."""

    records: list[Record] = field(default_factory=list)
    refused: list[Record] = field(default_factory=list)


def replay_pending(root: Path) -> Pending:
    """Records a tick could not push: folded in first, so this tick plans after them."""
    pending = Pending(record_files.load_pending(root))
    if pending.records:
        output.say(
            f"replaying {len(pending.records)} record(s) whose push failed "
            f"({record_files.PENDING_FILE})"
        )
        pending.refused = record_files.replay(root, pending.records).refused
    return pending


def commit_after(
    pending: Pending,
    root: Path,
    at: datetime,
    records: list[Record],
    message: str,
    env: Mapping[str, str],
    push: bool,
    pushing: Pushing | None = None,
) -> None:
    """`commit` a command's `records` after those a failed push left (`replay_pending`): all are
    pushed together, and the ones a damaged state file refused stay held."""
    commit(root, at, [*pending.records, *records], message, env, push, pushing, pending.refused)


def commit(
    root: Path,
    at: datetime,
    records: list[Record],
    message: str,
    env: Mapping[str, str],
    push: bool,
    pushing: Pushing | None = None,
    held: Iterable[Record] = (),
) -> None:
    """Commit state/ with `message` (and push it, replaying `records` on a moved remote).

    Records no replay could fold (their customer's state file is damaged) stay in the pending
    file, and the command fails naming the file, once everything else is pushed."""
    from gitcron.gitops.commit import commit_back  # git's plumbing: only a committing command

    done = commit_back(root, at, records, message, env, push, pushing, output.say, held)
    output.outcome(done, push)
    if done.refused:
        problems = "; ".join(p.message for p in done.problems) or "a state file is damaged"
        hints = "; ".join(p.hint for p in done.problems if p.hint)
        raise GitcronError(
            f"{len(done.refused)} record(s) could not be folded into state: {problems}",
            f"{hints}; they are kept in {record_files.PENDING_FILE} and folded in by the next "
            "`gitcron run --push` once the file is sound (nothing of them was written)",
        )


def claim(
    root: Path,
    now: datetime,
    holder: str,
    only: tuple[str, ...],
    env: Mapping[str, str],
    pushing: Pushing | None = None,
    say: Callable[[str], None] = output.say,
) -> Claimed:
    """Push claims on the runs due now before delivering any (docs/commit.md, "Claims")."""
    from gitcron.gitops.claim import claim_due_runs  # only a tick that pushes claims

    done = claim_due_runs(root, now, holder, only, env, pushing, say)
    if done.outdated is not None:
        say(
            f"claims: {done.outdated:%Y-%m-%d %H:%M:%S} UTC was ticked on the remote already, "
            "later than this tick: it decided every fire up to now, so nothing is left to do"
        )
    held = f"; {done.held} schedule(s) held by another tick's claims" if done.held else ""
    if done.runs:
        refused = f" after {done.refused} refused push(es)" if done.refused else ""
        say(f"claims: {done.runs} run(s) claimed and pushed{refused}{held}")
    elif held:
        say(f"claims: nothing left to claim{held}")
    return done


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


def heartbeat_after(
    root: Path, env: Mapping[str, str], step: Callable[[], int], known: Known = lambda: None
) -> int:
    """Run `step`, then ping the heartbeat URL (if set): plain on success, `/fail` on failure.
    `known`: the settings the step loaded (gitcron.yaml is then not loaded again)."""
    return with_heartbeat(root, env, step, output.warn, known)
