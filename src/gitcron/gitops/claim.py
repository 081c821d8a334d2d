"""Claim, then deliver: a pushing tick with runs due first pushes its claims on them.

git's push is the compare-and-swap: of ticks racing at one instant (a hand-run `--push`, a
runner thought dead, more ticks than a concurrency group holds), only the one whose claim
commit lands delivers those runs. A refused claim push moves to the remote's commit (replaying
any records this checkout has that it lacks), plans again on that state, where the runs another
tick claimed are its own, and claims what is left. A tick with nothing due pushes nothing here.
See docs/commit.md, "Claims".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gitcron.engine import faults
from gitcron.engine.lock import tick_lock
from gitcron.engine.phases import prepare
from gitcron.engine.replay import replay
from gitcron.gitops import repo
from gitcron.gitops.commit import Pushing, Say, move_to_remote
from gitcron.gitops.git import GitError, read_blobs
from gitcron.state import StateError, StateStore
from gitcron.state.claims import CLAIMS_FILE, claims_from_json


@dataclass
class Claimed:
    """What the claim step did: runs claimed (0: nothing due), pushes refused on the way."""

    runs: int = 0
    refused: int = 0
    held: int = 0  # schedules left to other ticks' live claims
    outdated: datetime | None = None  # the remote's last tick, when later than this one


def claim_due_runs(
    root: Path,
    now: datetime,
    holder: str,
    only: tuple[str, ...],
    env: Mapping[str, str],
    pushing: Pushing | None = None,
    say: Say = print,
) -> Claimed:
    """Claim the runs due at `now` for `holder` and push the claims; the tick then delivers them.

    When the remote turns out to have ticked later than `now` (`Claimed.outdated`), that tick
    decided every fire up to now: this one has nothing left to do.

    Raises GitError when the claims cannot be pushed in `pushing.tries` tries: nothing was
    delivered, and the next tick plans the same runs again."""
    pushing = pushing or Pushing()
    up = repo.upstream(root)  # before writing anything: a checkout we cannot push fails early
    _drop_unpushed(root, up)
    done = Claimed()
    result = repo.PushResult(False, "")
    for attempt in range(1, pushing.tries + 1):
        with tick_lock(root):
            last = StateStore(root).load_tick()
            if attempt > 1 and last is not None and last > now:
                done.outdated = last  # a later tick decided every fire up to now already
                return done
            ready = prepare(root, now, only, holder=holder)
            runs = ready.plan.runs
            done.held = len(ready.held)
            if not runs:
                return done
            life = ready.loaded.settings.liveness.claims_expire_after
            done.runs = ready.states.claim(runs, holder, now, life)
        message = f"gitcron: claim {done.runs} run(s) for the tick at {now:%Y-%m-%d %H:%M:%S} UTC"
        before = repo.head(root)
        repo.commit_state(root, message, env)
        faults.reached("before-claim-push")
        result = repo.push(root, up)
        if result.ok:
            faults.reached("after-claim-push")
            return done
        done.refused += 1
        say(f"claim push {attempt}/{pushing.tries} refused: {result.message}")
        if attempt == pushing.tries:
            repo.reset_to(root, before)  # claims never pushed are no one's: the next tick's
            break
        pushing.pause(attempt)
        _, unpushed = move_to_remote(root, up)
        if unpushed:
            replay(root, unpushed)
            repo.commit_state(root, "gitcron: records not pushed yet", env)
    raise GitError(
        f"the claims on {done.runs} run(s) could not be pushed to {up.remote}/{up.remote_branch}: "
        f"refused {pushing.tries} times (last: {result.message}); nothing was delivered",
        "check the branch protection and the token's write permission; the next tick plans "
        "these runs again",
    )


def _drop_unpushed(root: Path, up: repo.Upstream) -> None:
    """End the claims this checkout holds that the remote never had: a tick here died before
    its claim push landed, so it delivered nothing, and no tick may wait for them to expire.

    A claim another checkout made reaches this one only by a fetch, which also moves the
    remote-tracking branch; one pushed from here moved it too. So a claim missing from the
    remote-tracking branch's state/claims.json was made here and never pushed."""
    tracking = repo.tracked(root, up)
    store = StateStore(root)
    if tracking is None or not (root / CLAIMS_FILE).exists():
        return
    blob = read_blobs(root, tracking, [CLAIMS_FILE])[CLAIMS_FILE]
    try:
        pushed = {c.key for c in claims_from_json(json.loads(blob))} if blob else set()
    except (ValueError, StateError):
        return  # the remote's file is damaged: the tick reports it when it reads state
    with tick_lock(root):
        claims = store.load_claims()
        kept = [c for c in claims if c.key in pushed]
        if len(kept) < len(claims):
            store.save_claims(kept)
