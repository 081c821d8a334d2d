"""A schedule whose file name never finishes rendering fails its own run; the tick goes on.

Two schedules due at the same time in a fresh repo: one ordinary, one whose `filename` loops
10^10 times. Validate rehearses every template in the run's sandbox, so it refuses the second
with the budget it went over; a branch merged anyway still runs each schedule on its own: the
tick's first run only anchors, the second runs both: the ordinary one delivers, the other is
recorded failed, with the budget it went over in its error and marked permanent, so it is not
retried.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitcron.state.history import parse_line
from gitcron.state.records import record_to_json
from support import Run, invoke, variant

NO_SMTP = {"GITCRON_SMTP_URL": None}  # emails land in outbox/
LOOPS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}x.csv"
bounded: Callable[[Any], Any] = (
    pytest.mark.timeout(120) if importlib.util.find_spec("pytest_timeout") else (lambda test: test)
)


@bounded
def test_a_looping_file_name_fails_its_run_and_the_other_run_succeeds(empty_repo: Path) -> None:
    due = variant('daily: { at: "08:00" }', 'daily: { at: "13:00" }')  # 13:00 UTC in December
    bomb = variant('filename: "acme-{{ run.local_date }}.csv"', f'filename: "{LOOPS}"', due)
    (empty_repo / "schedules/acme").mkdir()
    (empty_repo / "schedules/acme/normal.yaml").write_text(due, "utf-8")
    (empty_repo / "schedules/acme/bomb.yaml").write_text(bomb, "utf-8")

    def gitcron(*args: str) -> Run:
        return invoke(["--repo", str(empty_repo), *args], NO_SMTP)

    checked = gitcron("validate")
    assert checked.code == 1
    assert "bomb.yaml:9:13: error: report.filename: this template fails for the run" in checked.out
    assert "the template loops more than 100,000 times" in checked.out
    assert "normal.yaml" not in checked.out
    assert gitcron("run", "--at", "2026-12-07T05:52:00Z").code == 0  # the first tick anchors
    tick = gitcron("run", "--at", "2026-12-07T14:07:00Z")
    tick.assert_clean_failure(1)  # one run failed; the tick itself finished
    assert "2 runs (1 succeeded, 1 failed)" in tick.out

    lines = "".join(p.read_text("utf-8") for p in (empty_repo / "state/history").glob("*.jsonl"))
    read = (record_to_json(parse_line(line, "history")) for line in lines.splitlines())
    records = {r["schedule"]: r for r in read}
    assert records["acme/normal"]["status"] == "succeeded"
    assert records["acme/normal"]["file"]["name"] == "acme-2026-12-07.csv"
    failed = records["acme/bomb"]
    assert failed["status"] == "failed"
    assert failed["permanent"] is True
    assert failed["error"].startswith(
        "the filename template: the template loops more than 100,000 times"
    )
