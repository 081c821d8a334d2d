"""Commit-back: one commit of `state/`, pushed; a lost race is won by replaying, never by force.

On a rejected push: wait (jittered exponential backoff), fetch, move to the remote's commit,
replay the records this checkout has that the remote may not (this tick's, the pending file's,
and those of local commits not pushed yet) onto the remote's state, commit, push again. After
`MAX_TRIES` refusals the records are kept in the pending file for the next tick.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gitcron.engine import faults
from gitcron.engine.replay import clear_pending, replay, save_pending
from gitcron.errors import GitcronError
from gitcron.gitops import repo
from gitcron.gitops.git import GitError, git, read_blobs
from gitcron.state import Record, StateError
from gitcron.state.history import HISTORY_DIR, parse_line

MAX_TRIES = 10
BASE_DELAY = 0.1  # seconds before the second try at most; doubles each time, full jitter
MAX_DELAY = 8.0
Say = Callable[[str], None]


def sleep(seconds: float) -> None:
    """The backoff's wait; tests replace it."""
    time.sleep(seconds)


class PushFailedError(GitcronError):
    """The push was refused every time; the records wait in the pending file."""


@dataclass
class Pushing:
    """How to push: the retry budget and the clock, injectable for tests."""

    tries: int = MAX_TRIES
    sleep: Callable[[float], None] | None = None  # default: `sleep` below, looked up each time
    rng: random.Random | None = None

    def pause(self, attempt: int) -> None:
        (self.sleep or sleep)(self.delay(attempt))

    def delay(self, attempt: int) -> float:
        """Full jitter: uniform in [0, base * 2^(attempt-1)], capped."""
        top = min(MAX_DELAY, BASE_DELAY * (1 << (attempt - 1)))
        return (self.rng or random).uniform(0, top)


@dataclass
class Outcome:
    committed: bool
    pushed: bool = False
    tries: int = 0
    replays: int = 0
    # records no replay could fold (their customer's state file is damaged): kept pending
    refused: list[Record] = field(default_factory=list)
    problems: list[StateError] = field(default_factory=list)


def commit_back(
    root: Path,
    at: datetime,
    records: list[Record],
    message: str,
    env: Mapping[str, str],
    push: bool,
    pushing: Pushing | None = None,
    say: Say = print,
    held: Iterable[Record] = (),
) -> Outcome:
    """Commit state/ (if it changed) and, with `push`, push it until it lands or tries run out.

    `held`: records an earlier replay could not fold (a damaged state file); they stay in the
    pending file after the push, with those a replay here cannot fold (`Outcome.refused`)."""
    if not push:
        return Outcome(repo.commit_state(root, message, env))
    up = repo.upstream(root)  # before committing: a checkout we cannot push fails early
    committed = repo.commit_state(root, message, env)
    try:
        outcome = _push(root, up, at, records, message, env, pushing or Pushing(), say)
    except GitcronError as error:
        kept = save_pending(root, records)
        raise PushFailedError(
            f"state was committed here but not pushed: {error.message}",
            f"its {len(records)} record(s) are kept in {kept.relative_to(root)}; the next "
            "`gitcron run --push` replays them first. Check the branch protection and the "
            "token's write permission",
        ) from error
    clear_pending(root)
    outcome.refused = _union(held, outcome.refused)
    if outcome.refused:
        save_pending(root, outcome.refused)
    outcome.committed = committed or outcome.committed
    return outcome


def _push(
    root: Path,
    up: repo.Upstream,
    at: datetime,
    records: list[Record],
    message: str,
    env: Mapping[str, str],
    pushing: Pushing,
    say: Say,
) -> Outcome:
    outcome = Outcome(committed=False)
    faults.reached("before-outcome-push")
    for attempt in range(1, pushing.tries + 1):
        outcome.tries = attempt
        result = repo.push(root, up)
        if result.ok:
            outcome.pushed = True
            return outcome
        say(f"push {attempt}/{pushing.tries} refused: {result.message}")
        if attempt == pushing.tries:
            break
        pushing.pause(attempt)
        if not _catch_up(root, up, at, records, message, env, say, outcome):
            return outcome  # the remote already holds everything this tick did
        outcome.replays += 1
        outcome.committed = True
    raise GitError(
        f"`git push` to {up.remote}/{up.remote_branch} was refused {pushing.tries} times "
        f"(last: {result.message})"
    )


def _catch_up(
    root: Path,
    up: repo.Upstream,
    at: datetime,
    records: list[Record],
    message: str,
    env: Mapping[str, str],
    say: Say,
    outcome: Outcome,
) -> bool:
    """Rebuild this tick on the remote's newest commit; False when nothing is left to commit."""
    remote, unpushed = move_to_remote(root, up)
    carried = _union(records, unpushed)
    done = replay(root, carried, at)
    say(
        f"replayed {len(done.result.records) + len(done.kept)} record(s) onto "
        f"{up.remote}/{up.remote_branch} ({remote[:12]}); "
        f"{len(done.duplicates)} were already there"
    )
    outcome.refused = done.refused
    outcome.problems = done.problems
    return repo.commit_state(root, message, env)


def move_to_remote(root: Path, up: repo.Upstream) -> tuple[str, list[Record]]:
    """Fetch and move the branch to the remote's newest commit; that commit, and the records of
    local commits it lacks (to replay onto it). Local work outside state/ stops it first."""
    before = repo.tracked(root, up)
    remote = repo.fetch(root, up)
    local = repo.local_work(root, remote, before)
    if local:
        raise GitError(
            f"the branch has {len(local)} local commit(s) outside state/ that are not on "
            f"{up.remote}, starting with {local[-1][:12]}",
            "push or drop them yourself first; gitcron only rebuilds state/ on the remote",
        )
    unpushed = unpushed_records(root, remote)
    repo.reset_to(root, remote)
    return remote, unpushed


def unpushed_records(root: Path, remote: str) -> list[Record]:
    """History lines that HEAD has and `remote` lacks: records of local commits not pushed."""
    names = git(root, "diff", "--name-only", "--relative", "-z", remote, "HEAD", "--",
                HISTORY_DIR)  # fmt: skip
    paths = [p for p in names.decode("utf-8", "surrogateescape").split("\0") if p]
    ours, theirs = read_blobs(root, "HEAD", paths), read_blobs(root, remote, paths)
    found = []
    for path in paths:
        old = set((theirs[path] or b"").decode("utf-8", "replace").split("\n"))
        for line in (ours[path] or b"").decode("utf-8", "replace").split("\n"):
            if line.strip() and line not in old:
                try:
                    found.append(parse_line(line, path))
                except GitcronError:
                    continue  # a torn line is skipped by every reader of history too
    return found


def _union(*groups: Iterable[Record]) -> list[Record]:
    merged: dict[tuple[object, ...], Record] = {}
    for group in groups:
        for record in group:
            merged.setdefault(record.key, record)
    return list(merged.values())
