"""`every:` counts from where the tick counts: `next` and the preview show the fires it will run.

An interval's anchor is the local midnight of the day its first tick saw it (in Los Angeles,
05:52 UTC on 7 December is still 6 December), kept in state after that. These tests let real
ticks (`gitcron run --at`) decide, then compare with what `next` and the preview had said.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from gitcron.state import iter_records
from support import Run

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
SID = "acme/every-7h"
FILE = "schedules/acme/every-7h.yaml"
EVERY_7H = """\
description: Stock every seven hours
timezone: America/Los_Angeles
schedule:
  every: 7h
report:
  dataset: products
  params: { customer: acme }
  format: csv
deliver:
  - email: { to: [buyer@acme.example] }
"""
FIRST = "2026-12-07T05:52:00Z"  # README's first tick: 21:52 PST on Sunday 6 December
SECOND = "2026-12-07T14:07:00Z"  # and its second

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, **_GIT_ENV}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _commit(root: Path, message: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message)


def _next(gitcron: Callable[..., Run], at: str, count: int) -> list[str]:
    run = gitcron("--at", at, "next", SID, "-n", str(count), "--format", "json")
    assert run.code == 0, run.both
    runs: list[str] = run.json()["runs"]
    return runs


def _preview_next(gitcron: Callable[..., Run], at: str, count: int) -> list[str]:
    """The local instants the preview lists for the schedule's new version."""
    run = gitcron("--at", at, "preview", "--base", "main", "--format", "json")
    assert run.code == 0, run.both
    [item] = [c for c in run.json()["changes"] if c["id"] == SID]
    return [fire["local"] for fire in item["after"]["next"][:count]]


def _tick(gitcron: Callable[..., Run], at: str) -> None:
    run = gitcron("--at", at, "run")
    assert run.code == 0, run.both


def _ran(root: Path, zone: ZoneInfo = LOS_ANGELES) -> list[str]:
    """The fires the ticks ran for the schedule, as local ISO instants (from state/history)."""
    fires = [r.fire for r in iter_records(root) if r.schedule == SID and r.status == "succeeded"]
    return [fire.astimezone(zone).isoformat() for fire in sorted(fires)]


def test_next_and_preview_show_the_fires_the_ticks_run(
    gitcron: Callable[..., Run], repo: Path
) -> None:
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "examples")
    (repo / FILE).parent.mkdir()
    (repo / FILE).write_text(EVERY_7H, encoding="utf-8")

    # (a) No tick has seen it: the first one will (at 05:52 UTC, 6 December in Los Angeles).
    before = "2026-12-07T05:30:00Z"
    shown = _next(gitcron, before, 3)
    assert shown == [
        "2026-12-07T04:00:00-08:00",
        "2026-12-07T11:00:00-08:00",
        "2026-12-07T18:00:00-08:00",
    ]  # 00:00 PST on 6 December + 7h * k, not 00:00 on 7 December (UTC's day)
    assert _preview_next(gitcron, before, 3) == shown
    for at in (FIRST, SECOND, "2026-12-07T19:22:00Z", "2026-12-08T02:07:00Z"):
        _tick(gitcron, at)
    assert _ran(repo) == shown

    # (b) Days later, from state: the anchor the first tick stored, not that day's midnight.
    later = "2026-12-09T10:00:00Z"
    shown = _next(gitcron, later, 2)
    assert shown == ["2026-12-09T05:00:00-08:00", "2026-12-09T12:00:00-08:00"]
    _commit(repo, "the schedule and its state")
    (repo / FILE).write_text(EVERY_7H.replace("Stock every", "Stock, every"), encoding="utf-8")
    assert _preview_next(gitcron, later, 2) == shown
    for at in ("2026-12-09T13:07:00Z", "2026-12-09T20:07:00Z"):
        _tick(gitcron, at)
    assert _ran(repo)[-2:] == shown


def test_a_new_schedule_counts_from_the_next_tick_after_the_last(
    gitcron: Callable[..., Run], repo: Path
) -> None:
    """Added at 23:55 in Tokyo, 3 minutes after a tick: the next tick, 15 minutes after that
    one (tick: 15m), is on the next local day, and counts from that day's midnight."""
    _tick(gitcron, "2026-12-08T14:52:00Z")  # 23:52 JST, 8 December
    (repo / FILE).parent.mkdir()
    (repo / FILE).write_text(EVERY_7H.replace("America/Los_Angeles", "Asia/Tokyo"), "utf-8")
    shown = _next(gitcron, "2026-12-08T14:55:00Z", 3)
    assert shown == [
        "2026-12-09T00:00:00+09:00",
        "2026-12-09T07:00:00+09:00",
        "2026-12-09T14:00:00+09:00",
    ]  # not 04:00, 11:00, 18:00: from 8 December's midnight, where a tick at 23:55 would count
    for at in ("2026-12-08T15:07:00Z", "2026-12-08T22:07:00Z", "2026-12-09T05:07:00Z"):
        _tick(gitcron, at)
    assert _ran(repo, ZoneInfo("Asia/Tokyo")) == shown
