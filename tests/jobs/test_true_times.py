"""True times: a file says when the run's first attempt made it, and a retry keeps that time.

The engine keeps the first attempt's start in the retry it plans (`PendingRetry.generated`), and
the job renders with it, so a retry of an unchanged report is the same bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.plans import PlannedRun
from gitcron.state.history import parse_line
from gitcron.state.records import Record, encode_line

from .helpers import FIRE, SCHEDULE_ID, START, schedule, settings

FIRST = datetime(2026, 11, 23, 14, 7, 12, tzinfo=UTC)  # the tick that made the first attempt
LATER = datetime(2026, 11, 23, 14, 22, 40, tzinfo=UTC)  # the tick of the retry


def attempt(root: Path, now: datetime, keep: Path, generated: datetime | None = None) -> Record:
    run = PlannedRun(
        f"{SCHEDULE_ID}@2026-11-23T14:00:00Z",
        SCHEDULE_ID,
        FIRE,
        START,
        "scheduled" if generated is None else "retry",
        attempt=1 if generated is None else 2,
        generated=generated,
    )
    the_schedule = schedule({"format": "pdf"}, deliver=[{"outbox": {}}])
    env = RunEnv(root, settings(), now, {}, outbox=root / "out", keep_files=keep)
    return run_one(run, the_schedule, "America/New_York", env)


def test_a_retry_renders_the_first_attempt_s_time_and_the_same_bytes(tmp_path: Path) -> None:
    first = attempt(tmp_path, FIRST, tmp_path / "first")
    retry = attempt(tmp_path, LATER, tmp_path / "retry", generated=FIRST)
    [made] = list((tmp_path / "first").iterdir())
    [again] = list((tmp_path / "retry").iterdir())
    assert b"/CreationDate (D:20261123140712+00'00')" in made.read_bytes()
    assert made.read_bytes() == again.read_bytes()
    assert first.generated is None  # the first attempt's time is its `started`
    assert retry.generated == FIRST
    # a history line writes it as the seconds after the fire (state/line_spelling.py)
    assert json.loads(encode_line(retry))["generated"] == (FIRST - retry.fire).total_seconds()
    assert parse_line(encode_line(retry), "h:1").generated == FIRST
    assert "generated" not in encode_line(first)


def test_a_first_attempt_shows_its_own_time_not_the_fire(tmp_path: Path) -> None:
    attempt(tmp_path, FIRST, tmp_path / "kept")
    [made] = list((tmp_path / "kept").iterdir())
    assert b"/CreationDate (D:20261123140000" not in made.read_bytes()  # not the fire
    assert b"/CreationDate (D:20261123140712+00'00')" in made.read_bytes()
