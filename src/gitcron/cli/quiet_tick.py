"""The quiet tick: `gitcron run` when the quiet record says nothing can be due.

A full tick that ended clean left a record of until when nothing can be due and of the inputs
it decided from (engine/quiet.py). When it still holds, `gitcron run` does what a full tick with
nothing due does, and no more: it opens the history days a sparse checkout needs, stamps
state/tick.json (the same writer), prints the same lines, applies retention to a sparse
checkout's left-out days, commits and pushes (`--commit`/`--push`) through the same commit-back,
appends the same job summary and pings the heartbeat. Deciding imports the standard library and
click only: no pydantic, no settings or state models, no planner (tests/cli/test_light_tick.py).
Commit-back, a sparse checkout's history and the heartbeat import what they need, since git or
the network costs more there. Whenever the record does not hold, `run` takes the full tick.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.cli import closing, output, summary, tick_text
from gitcron.engine import quiet
from gitcron.engine.lock import tick_lock
from gitcron.errors import GitcronError
from gitcron.gitops.git import is_sparse
from gitcron.state.tick_file import write_tick

if TYPE_CHECKING:
    from gitcron.gitops.commit import Pushing


class _Full(Exception):
    """The record does not hold after all: the full tick runs. Nothing was said yet, and nothing
    written but what the full tick writes first too (a sparse checkout's history days)."""


def tick(
    root: Path,
    now: datetime,
    options: Sequence[str],
    env: Mapping[str, str],
    push: tuple[bool, bool],
    pushing: Pushing | None = None,
) -> int | None:
    """A quiet tick's exit code, or None when the full tick must run (`push`: commit, push)."""
    if not quiet.enabled(env):
        return None
    first = quiet.read(root)
    if first is None or not quiet.in_time(root, first, now):  # before git is asked anything
        return None

    def step() -> int:
        return _tick(root, now, options, env, first, push, pushing)

    try:
        if not first.heartbeat_env:  # as the full tick: no variable named, no ping
            return step()
        from gitcron.cli import commitback

        return commitback.heartbeat_after(root, env, step)
    except _Full:
        return None


def _tick(
    root: Path,
    now: datetime,
    options: Sequence[str],
    env: Mapping[str, str],
    first: quiet.QuietRecord,
    push: tuple[bool, bool],
    pushing: Pushing | None,
) -> int:
    """The quiet tick, in the full tick's order; `_Full` if the record no longer holds."""
    sparse = is_sparse(root)
    if sparse:  # the days a full tick opens: the record's key covers their files
        from gitcron.cli import commitback

        try:
            commitback.open_history(root, now)
        except GitcronError:
            raise _Full from None  # the full tick tries again, and says what went wrong
    with tick_lock(root):
        record = quiet.quiet_at(root, now, options, env)
        if record is None or record.heartbeat_env != first.heartbeat_env:
            raise _Full
        output.tick_heading(now)
        commit, pushed = push
        if pushed:  # a full tick's claim step checks the upstream first; nothing is due to claim
            from gitcron.gitops import repo

            repo.upstream(root)
        changed = write_tick(root, now)
    said = tick_text.summary([])
    output.say(said)
    output.state_written(int(changed))
    if sparse:
        from gitcron.cli import commitback

        commitback.prune_left_out(root, now, record.keep_months)

    def commit_back() -> None:
        from gitcron.cli import commitback

        nothing = commitback.Pending()  # the record holds only when no push failed before
        message = f"gitcron: {said}"
        commitback.commit_after(nothing, root, now, [], message, env, pushed, pushing)

    return closing.finish(
        0,
        commit_back if commit or pushed else None,
        lambda code, after: summary.publish_nothing_due(env, now, code, after),
    )
