"""Eight clones ticking at eight instants 15 minutes apart, pushing at once, several rounds.

Their plans disagree: a fire one clone delivers is, for a clone ticking later, a fire passed
over (`catchup: latest`) and recorded missed. Whatever order the pushes land in, a fire that was
delivered must end with a delivered record, never only "missed", and no attempt is recorded as
run twice.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from gitcron.state import format_instant, parse_instant
from gitops.fleet import history, ran_lines, receiver, seed, standing, start
from gitops.gitrepo import fresh, shallow

CLONES = 8
ROUNDS = 3
FIRST = "2026-12-07T11:52:00Z"


@pytest.mark.slow
def test_every_delivered_fire_ends_delivered_whatever_order_the_pushes_land(
    tmp_path: Path,
) -> None:
    origin = seed(tmp_path, FIRST)
    base = parse_instant(FIRST)
    with receiver() as smtp:
        for round_ in range(ROUNDS):
            start_at = base + timedelta(minutes=15 + round_ * 15 * CLONES)
            instants = [format_instant(start_at + timedelta(minutes=15 * k)) for k in range(CLONES)]
            clones = [shallow(origin, tmp_path / f"r{round_}-{k}") for k in range(CLONES)]
            pairs = zip(clones, instants, strict=True)
            ticks = [start(c, smtp, "run", "--at", at, "--push") for c, at in pairs]
            outputs = [t.communicate(timeout=300)[0] for t in ticks]
            for tick, output in zip(ticks, outputs, strict=True):
                assert tick.returncode == 0, output

        delivered = smtp.delivered()
    found = history(fresh(origin, tmp_path))
    outcome = standing(found)
    assert delivered  # the clones did deliver
    for run_id in delivered:
        assert outcome.get(run_id) == "succeeded", (run_id, outcome.get(run_id))
    assert max(ran_lines(found).values()) == 1  # no attempt recorded as run twice
    missed = {run_id for run_id, status in outcome.items() if status == "missed"}
    assert not missed & set(delivered)
