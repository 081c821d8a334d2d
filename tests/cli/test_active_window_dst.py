"""`active.from` / `active.until` on a clock-change day follow the same rules as the runs.

A window edge is a wall-clock reading in the schedule's zone, turned into an instant by the
one rule of docs/timing.md: a reading in a spring-forward gap means the first instant after
the gap, a reading that happens twice means the first time. Before, a `from` in the gap was
read with the old offset (02:30 EST = 03:30 EDT) and dropped the day's 03:00 run.

America/New_York, 2026 (zoneinfo):
- 2026-03-08T07:00Z: 02:00 EST -> 03:00 EDT, so 02:00-02:59 that day does not exist;
  02:30 means 03:00 EDT = 07:00Z.
- 2026-11-01T06:00Z: 02:00 EDT -> 01:00 EST, so 01:00-01:59 happens twice;
  01:30 means the first time, 01:30 EDT = 05:30Z (the second is 01:30 EST = 06:30Z).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run

SCHEDULE = """\
description: Window edges on clock-change days
timezone: America/New_York
schedule:
  {when}
active: {active}
report:
  dataset: products
  params: {{ customer: acme }}
  format: csv
deliver:
  - email: {{ to: [buyer@example.com] }}
"""


def runs(repo: Path, gitcron: Callable[..., Run], when: str, active: str, at: str) -> list[str]:
    path = repo / "schedules" / "acme" / "window.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SCHEDULE.format(when=when, active=active), encoding="utf-8")
    checked = gitcron("validate", "--at", at)
    assert checked.code == 0, checked.both
    run = gitcron("next", "acme/window", "-n", "3", "--at", at, "--format", "json")
    assert run.code == 0, run.both
    found: list[str] = run.json()["runs"]
    return found


@pytest.mark.parametrize(
    ("when", "active", "want"),
    [
        pytest.param(
            'daily: { at: "03:00" }',
            '{ from: "2026-03-08 02:30" }',
            # from = 03:00 EDT (07:00Z): that day's 03:00 run is in the window
            ["2026-03-08T03:00:00-04:00", "2026-03-09T03:00:00-04:00", "2026-03-10T03:00:00-04:00"],
            id="from-in-gap-keeps-03:00",
        ),
        pytest.param(
            'daily: { at: "02:30" }',
            '{ from: "2026-03-08 02:30" }',
            # the 02:30 run and the window's start are the same reading: both are 03:00 EDT
            ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"],
            id="from-and-run-in-the-same-gap",
        ),
        pytest.param(
            'cron: "0 * * * *"',
            '{ from: "2026-03-08 02:30" }',
            # hourly: 02:00 does not exist; 03:00 EDT (07:00Z) is the first run in the window
            ["2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00", "2026-03-08T05:00:00-04:00"],
            id="from-in-gap-hourly-cron",
        ),
        pytest.param(
            'daily: { at: "03:00" }',
            '{ until: "2026-03-08 02:30" }',
            # until = 03:00 EDT (07:00Z), exclusive: the 8th's 03:00 run is after the window
            ["2026-03-06T03:00:00-05:00", "2026-03-07T03:00:00-05:00"],
            id="until-in-gap-ends-before-03:00",
        ),
        pytest.param(
            'cron: "30 * * * *"',
            '{ from: "2026-11-01 01:30" }',
            # from = the first 01:30 (EDT, 05:30Z); a `*` cron runs at both 01:30s
            ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-05:00"],
            id="from-in-overlap-is-the-first-time",
        ),
        pytest.param(
            'cron: "30 * * * *"',
            '{ until: "2026-11-01 01:30" }',
            # until = the first 01:30 (05:30Z): neither 01:30 is in the window
            ["2026-11-01T00:30:00-04:00"],
            id="until-in-overlap-is-the-first-time",
        ),
    ],
)
def test_window_edges_on_clock_change_days(
    repo: Path, gitcron: Callable[..., Run], when: str, active: str, want: list[str]
) -> None:
    at = "2026-11-01T04:00:00Z" if "11-01" in active else "2026-03-06T05:00:00Z"  # local midnight
    assert runs(repo, gitcron, when, active, at) == want
