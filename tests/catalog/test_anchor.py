"""The `every:` anchor rule (`catalog.anchor`), and validate judging an interval by it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from gitcron.catalog.anchor import FirstSeen, expected_first_tick, interval_anchor
from support import Run, utc, variant

QUARTER = timedelta(minutes=15)


def test_the_anchor_is_the_local_midnight_of_the_first_seen_day() -> None:
    # 05:52 UTC on 7 December is 21:52 on the 6th in Los Angeles
    seen = utc("2026-12-07T05:52:00")
    assert interval_anchor("America/Los_Angeles", None, seen) == utc("2026-12-06T08:00:00")
    assert interval_anchor("Asia/Tokyo", None, seen) == utc("2026-12-06T15:00:00")


def test_a_midnight_in_the_spring_gap_is_the_first_instant_after_it() -> None:
    # Santiago skips 00:00-00:59 on 6 September 2026: the day starts at 01:00 -03
    seen = utc("2026-09-06T15:00:00")
    assert interval_anchor("America/Santiago", None, seen) == utc("2026-09-06T04:00:00")


def test_active_from_wins() -> None:
    start = utc("2026-12-01T09:30:00")
    assert interval_anchor("Asia/Tokyo", start, utc("2026-12-07T05:52:00")) == start


def test_the_first_tick_expected() -> None:
    now = utc("2026-12-08T14:55:00")
    assert expected_first_tick(now, None, QUARTER) == now  # no tick yet: one now
    last = utc("2026-12-08T14:52:00")
    assert expected_first_tick(now, last, QUARTER) == utc("2026-12-08T15:07:00")
    overdue = utc("2026-12-08T10:00:00")
    assert expected_first_tick(now, overdue, QUARTER) == now  # late: not before now


def test_first_seen_reads_state_and_shrugs_off_damage(tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "schedules").mkdir(parents=True)
    (state / "tick.json").write_text('{"format": 1, "last_tick": "2026-12-08T14:52:00Z"}\n')
    (state / "schedules/acme.json").write_text(
        '{"format": 1, "schedules": {"seen": {"fingerprint": "x",'
        ' "first_seen": "2026-12-01T07:07:00Z"}}}\n'
    )
    (state / "schedules/broken.json").write_text("{not json")
    first_seen = FirstSeen(tmp_path, utc("2026-12-08T14:55:00"), QUARTER)
    assert first_seen("acme/seen") == utc("2026-12-01T07:07:00")
    assert first_seen("acme/new") == utc("2026-12-08T15:07:00")
    assert first_seen("broken/any") == utc("2026-12-08T15:07:00")
    (state / "tick.json").write_text("{not json")
    assert FirstSeen(tmp_path, utc("2026-12-08T14:55:00"), QUARTER)("acme/new") == utc(
        "2026-12-08T14:55:00"
    )


WEEKLY_BY_HOURS = variant('daily: { at: "08:00" }', "every: 168h") + "skip: [weekends]\n"
NEVER = "it will never run"


def test_validate_judges_an_interval_from_where_the_tick_counts(
    gitcron: Callable[..., Run], repo: Path
) -> None:
    """Every 168 hours with weekends closed runs on the weekday of its first tick, or never."""
    rel = "schedules/acme/weekly-by-hours.yaml"
    (repo / rel).parent.mkdir()
    (repo / rel).write_text(WEEKLY_BY_HOURS, encoding="utf-8")
    sunday = gitcron("--at", "2026-11-22T12:00:00Z", "validate", rel)
    assert NEVER in sunday.out  # a tick now, on a Sunday, would anchor it on Sundays
    assert gitcron("--at", "2026-11-23T10:00:00Z", "run").code == 0  # first seen on a Monday
    later = gitcron("--at", "2026-11-29T12:00:00Z", "validate", rel)  # a Sunday again
    assert (later.code, NEVER in later.out) == (0, False), later.out
    shown = gitcron("--at", "2026-11-29T12:00:00Z", "next", "acme/weekly-by-hours", "-n", "1")
    assert shown.out.splitlines()[1:] == ["  Mon 2026-11-30 00:00 GMT   2026-11-30 00:00 UTC"]
