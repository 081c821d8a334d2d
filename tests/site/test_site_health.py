"""The scheduler's health: the last tick's age, and the gaps between ticks from git's history."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from gitcron.site.ticks import health, words
from gitcron.state import StateStore
from support import utc

QUARTER = timedelta(minutes=15)
STALE = timedelta(hours=2)


def commit_ticks(root: Path, instants: list[str]) -> None:
    """Each instant committed as state/tick.json, as each tick does."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    for at in instants:
        StateStore(root).save_tick(utc(at))
        subprocess.run(["git", "add", "state"], cwd=root, check=True)
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", at],
            cwd=root,
            check=True,
        )


def test_gaps_are_counted_against_the_interval(tmp_path: Path) -> None:
    commit_ticks(
        tmp_path,
        [
            "2026-12-07T08:07:00",
            "2026-12-07T08:22:00",
            "2026-12-07T08:41:00",  # 19 min: on time (late starts of a few minutes are usual)
            "2026-12-07T09:07:00",  # 26 min
            "2026-12-07T11:07:00",  # 2 h: 7 ticks never came
            "2026-12-07T11:22:00",
        ],
    )
    found = health(tmp_path, utc("2026-12-07T11:30:00"), QUARTER, STALE)
    assert found.verdict == "on time"
    assert found.age_words == "8 min"
    assert found.ticks == 6
    assert [(b.label, b.count) for b in found.buckets] == [
        ("up to 20 minutes", 3),
        ("20 minutes to 30 minutes", 1),
        ("30 minutes to 1 hour", 0),
        ("1 hour to 2 hours", 1),  # up to and including 2 hours
        ("2 hours to 6 hours", 0),
        ("over 6 hours", 0),
    ]
    assert found.median == timedelta(minutes=19)
    assert found.longest == timedelta(hours=2)
    assert found.longest_after == utc("2026-12-07T09:07:00")
    assert found.dropped == 1 + 7  # the 26-minute gap and the 2-hour gap
    assert found.history_note is None


def test_a_late_and_a_stale_last_tick(tmp_path: Path) -> None:
    commit_ticks(tmp_path, ["2026-12-07T08:07:00"])
    assert health(tmp_path, utc("2026-12-07T08:40:00"), QUARTER, STALE).verdict == "late"
    stale = health(tmp_path, utc("2026-12-07T12:00:00"), QUARTER, STALE)
    assert stale.verdict == "stale"
    assert stale.age_words == "3 h 53 min"


def test_without_git_the_age_is_shown_and_the_gaps_are_explained(tmp_path: Path) -> None:
    StateStore(tmp_path).save_tick(utc("2026-12-07T08:07:00"))
    found = health(tmp_path, utc("2026-12-07T08:10:00"), QUARTER, STALE)
    assert found.verdict == "on time"
    assert found.buckets == []
    assert found.history_note is not None
    assert "this folder is not a git clone" in found.history_note


def test_a_repository_that_never_ticked(tmp_path: Path) -> None:
    found = health(tmp_path, utc("2026-12-07T08:10:00"), QUARTER, STALE)
    assert found.verdict == "never ran"
    assert found.last_tick is None


def test_words() -> None:
    assert words(timedelta(seconds=30)) == "under a minute"
    assert words(timedelta(minutes=74)) == "1 h 14 min"
    assert words(timedelta(days=2, hours=3, minutes=5)) == "2 d 3 h"
