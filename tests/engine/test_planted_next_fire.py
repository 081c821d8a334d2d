"""A planted next fire or completion through a real tick: reported as damage, never a silent stop.

The planner's fast path trusts a schedule's `next_fire` and `status: completed` without its
timing. A state file merged by hand with a next fire in 2150, or a completion while the timing
has fires left, would stop the schedule without a word; the tick reports it like any damaged
file instead (exit 1, the file, the schedule and the field named), runs the other customers, and
`gitcron state repair` is the way out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.test_hostile_state import (
    DAMAGED,
    FIRST,
    LATE,
    assert_only_customer_002_stopped,
    monthly,
    ran,
    tick,
)
from support import invoke

NEXT = "2027-01-04T10:07:00Z"  # the first Monday of January, just after its fire
JANUARY = "customer-002/monthly-products@2027-01-04T10:00:00Z"


def plant(repo: Path, **fields: Any) -> str:
    """Set `fields` on monthly-products in customer-002's state file; the text written."""
    path = repo / DAMAGED
    data = json.loads(path.read_text())
    monthly(data).update(fields)
    text = json.dumps(data)
    path.write_text(text)
    return text


PLANTED = [
    pytest.param(
        {"next_fire": "2150-01-01T00:00:00Z"},
        "schedules.monthly-products.next_fire: 2150-01-01T00:00:00Z is later than its timing's "
        "next fire (2026-12-07T10:00:00Z)",
        id="next-fire-2150",
    ),
    pytest.param(
        {"status": "completed", "completed_reason": "once: its one fire has passed"},
        'schedules.monthly-products.status: "completed", but its timing has a fire left '
        "(2026-12-07T10:00:00Z)",
        id="completed-with-fires-left",
    ),
]


@pytest.mark.parametrize(("fields", "where"), PLANTED)
def test_a_planted_stop_is_damage_and_repair_is_the_way_out(
    repo: Path, fields: dict[str, Any], where: str
) -> None:
    assert tick(repo, FIRST).code == 0
    text = plant(repo, **fields)
    assert_only_customer_002_stopped(repo, f"{DAMAGED}: {where}")
    assert (repo / DAMAGED).read_text() == text  # never reset nor rewritten
    checked = invoke(["--repo", str(repo), "state", "check", "--at", LATE])
    checked.assert_clean_failure(1)
    assert f"{DAMAGED}: {where}" in checked.out
    repaired = invoke(["--repo", str(repo), "state", "repair", "--at", LATE])
    assert repaired.code == 0, repaired.both
    assert "moved aside to state/schedules/customer-002.json.corrupt-" in repaired.out
    later = tick(repo, NEXT)
    assert "✗ state" not in later.out, later.out
    assert JANUARY in ran(repo)
