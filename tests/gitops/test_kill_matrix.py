"""kill -9 a pushing tick at each point where its guarantees change hands, several times, then
let the next ticks run on fresh shallow clones (as Actions does): no fire that reached the
receiver is recorded missed or left without a record, and a fire reaches it twice only when its
tick died after claiming it (the claim expired, a later tick sent it again with the same run id).
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from gitcron.engine.faults import ENV
from gitops.fleet import Receiver, gitcron, history, receiver, seed, standing
from gitops.gitrepo import fresh, shallow

FIRST = "2026-12-07T11:52:00Z"
AT = "2026-12-07T12:07:00Z"  # 8 runs due
HELD = "2026-12-07T12:22:00Z"  # the dead tick's claims still hold
TAKEOVER = "2026-12-07T12:52:00Z"  # 45 minutes after the claims: expired, taken over
# each point with how many times it is passed before the kill (mid-delivery: after 1 run or 5)
TRIALS = [
    ("before-claim-push", "1"),
    ("before-claim-push", "1"),
    ("after-claim-push", "1"),
    ("after-claim-push", "1"),
    ("mid-delivery", "1"),
    ("mid-delivery", "5"),
    ("before-outcome-push", "1"),
    ("before-outcome-push", "1"),
    ("mid-replay", "1"),
    ("mid-replay", "4"),
]
REFUSE_ONCE = """#!/bin/sh
while read old new ref; do
  case "$(git log -1 --format=%s "$new")" in
    "gitcron: claim "*) ;;
    *) if [ ! -e refused-once ]; then touch refused-once; echo 'refused once' >&2; exit 1; fi;;
  esac
done
"""


def trial(tmp: Path, smtp: Receiver, point: str, times: str) -> None:
    origin = seed(tmp, FIRST)
    if point == "mid-replay":  # its outcome push is refused once, so it replays
        hook = origin / "hooks/pre-receive"
        hook.write_text(REFUSE_ONCE)
        hook.chmod(0o755)
    killed = gitcron(shallow(origin, tmp / "dies"), smtp, "run", "--at", AT, "--push",
                     extra={ENV: f"{point}:{times}"})  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    after = {at: gitcron(shallow(origin, tmp / at[11:16]), smtp, "run", "--at", at, "--push")
             for at in (HELD, TAKEOVER)}  # fmt: skip
    for done in after.values():
        assert done.returncode == 0, done.stdout + done.stderr
    claimed = point != "before-claim-push"
    if claimed:
        assert "8 schedule(s) held by another tick's claims" in after[HELD].stdout

    delivered = smtp.delivered()
    pushed = fresh(origin, tmp)
    outcome = standing(history(pushed))
    label = f"{point}:{times}"
    assert delivered, label
    for run_id, copies in delivered.items():
        assert outcome.get(run_id) == "succeeded", (label, run_id, outcome.get(run_id))
        assert copies <= (2 if claimed else 1), (label, run_id, copies)
    assert "missed" not in {outcome[run_id] for run_id in delivered}
    assert not (pushed / "state/claims.json").exists(), label  # every claim was taken over
    twice = sum(n == 2 for n in delivered.values())
    if point in ("before-claim-push", "after-claim-push"):
        assert twice == 0, label  # its tick never delivered: one copy in all
    if point == "mid-delivery":  # at least those its tick had sent (runs are in parallel)
        assert int(times) <= twice, label
    if point in ("before-outcome-push", "mid-replay"):
        assert twice == 8, label  # every run its tick had sent, sent again by the takeover


@pytest.mark.slow
def test_kill_nine_at_every_point_loses_no_delivered_fire(tmp_path: Path) -> None:
    with receiver() as smtp:
        for number, (point, times) in enumerate(TRIALS):
            smtp.inbox.received.clear()
            trial(tmp_path / f"trial-{number}", smtp, point, times)


@pytest.mark.slow
def test_claims_a_dead_tick_never_pushed_do_not_hold_the_same_checkout(tmp_path: Path) -> None:
    origin = seed(tmp_path, FIRST)
    root = shallow(origin, tmp_path / "runner")
    with receiver() as smtp:
        killed = gitcron(root, smtp, "run", "--at", AT, "--push",
                         extra={ENV: "before-claim-push"})  # fmt: skip
        assert killed.returncode == -signal.SIGKILL
        again = gitcron(root, smtp, "run", "--at", HELD, "--push")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "held by another tick" not in again.stdout
        assert "claims: 8 run(s) claimed and pushed" in again.stdout
        delivered = smtp.delivered()
    assert len(delivered) == 8
    assert set(delivered.values()) == {1}
    assert not (fresh(origin, tmp_path) / "state/claims.json").exists()
