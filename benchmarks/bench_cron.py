"""Compare croniter 7.0.0, cronsim 2.8 and gitcron's engine: DST/`#`/`L` correctness, then speed.

Run: python benchmarks/bench_cron.py  (figures are recorded in docs/timing.md)
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

from croniter import croniter
from cronsim import CronSim

from gitcron.timing import (
    LAST,
    LAST_WEEKDAY,
    Cron,
    Daily,
    Form,
    MonthlyDay,
    MonthlyNth,
    Timing,
    Weekly,
    next_fires,
)


@dataclass(frozen=True)
class Case:
    """One correctness case: an expression, where to start, and the fires our rules demand."""

    title: str
    expr: str
    zone: str
    start: datetime  # naive local
    expected: tuple[str, ...]  # local ISO readings with offsets
    croniter_expr: str | None = None  # croniter's spelling when it differs (L5 for 5L)


CASES = (
    Case(
        "gap, fixed time (New York 2026-03-08 02:00->03:00)",
        "30 2 * * *",
        "America/New_York",
        datetime(2026, 3, 7),
        ("2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"),
    ),
    Case(
        "overlap, fixed time (New York 2026-11-01 02:00->01:00)",
        "30 1 * * *",
        "America/New_York",
        datetime(2026, 10, 31),
        ("2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"),
    ),
    Case(
        "overlap, '*' cron fires twice (New York 2026-11-01)",
        "*/30 1 * * *",
        "America/New_York",
        datetime(2026, 11, 1),
        (
            "2026-11-01T01:00:00-04:00",
            "2026-11-01T01:30:00-04:00",
            "2026-11-01T01:00:00-05:00",
            "2026-11-01T01:30:00-05:00",
        ),
    ),
    Case(
        "gap, '*' cron skips (New York 2026-03-08)",
        "0 * * * *",
        "America/New_York",
        datetime(2026, 3, 8, 0, 30),
        ("2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"),
    ),
    Case(
        "overlap, fixed time, negative DST (Dublin 2019-10-27)",
        "0 1 * * *",
        "Europe/Dublin",
        datetime(2019, 10, 26, 12),
        ("2019-10-27T01:00:00+01:00", "2019-10-28T01:00:00+00:00"),
    ),
    Case(
        "30-minute gap (Lord Howe 2019-10-06 02:00->02:30)",
        "15 2 * * *",
        "Australia/Lord_Howe",
        datetime(2019, 10, 5, 12),
        ("2019-10-06T02:30:00+11:00", "2019-10-07T02:15:00+11:00"),
    ),
    Case(
        "30-minute overlap (Lord Howe 2019-04-07 02:00->01:30)",
        "45 1 * * *",
        "Australia/Lord_Howe",
        datetime(2019, 4, 6, 12),
        ("2019-04-07T01:45:00+11:00", "2019-04-08T01:45:00+10:30"),
    ),
    Case(
        "midnight gap (Hebron 2022-03-27 00:00->01:00)",
        "0 0 * * *",
        "Asia/Hebron",
        datetime(2022, 3, 25, 12),
        ("2022-03-26T00:00:00+02:00", "2022-03-27T01:00:00+03:00", "2022-03-28T00:00:00+03:00"),
    ),
    Case(
        "'#' with a day list is OR (croniter issue 177)",
        "0 0 8-9 * 0#2",
        "UTC",
        datetime(2026, 1, 1),
        (
            "2026-01-08T00:00:00+00:00",
            "2026-01-09T00:00:00+00:00",
            "2026-01-11T00:00:00+00:00",
            "2026-02-08T00:00:00+00:00",
            "2026-02-09T00:00:00+00:00",
        ),
    ),
    Case(
        "last Friday written 5L",
        "0 10 * * 5L",
        "UTC",
        datetime(2026, 1, 1),
        ("2026-01-30T10:00:00+00:00", "2026-02-27T10:00:00+00:00", "2026-03-27T10:00:00+00:00"),
    ),
    Case(
        "last Friday written L5",
        "0 10 * * L5",
        "UTC",
        datetime(2026, 1, 1),
        ("2026-01-30T10:00:00+00:00", "2026-02-27T10:00:00+00:00", "2026-03-27T10:00:00+00:00"),
    ),
    Case(
        "'59/15' is minute 59 only",
        "59/15 * * * *",
        "UTC",
        datetime(2026, 1, 1),
        ("2026-01-01T00:59:00+00:00", "2026-01-01T01:59:00+00:00", "2026-01-01T02:59:00+00:00"),
    ),
    Case(
        "'59-59/15' is minute 59 only",
        "59-59/15 * * * *",
        "UTC",
        datetime(2026, 1, 1),
        ("2026-01-01T00:59:00+00:00", "2026-01-01T01:59:00+00:00", "2026-01-01T02:59:00+00:00"),
    ),
)

Engine = Callable[[str, datetime, int], list[str]]


def run_croniter(expr: str, start: datetime, count: int) -> list[str]:
    """croniter 7.0.0, iterating from an aware start."""
    it = croniter(expr, start)
    return [it.get_next(datetime).isoformat() for _ in range(count)]


def run_cronsim(expr: str, start: datetime, count: int) -> list[str]:
    """cronsim 2.8 with an aware start (its own DST handling)."""
    it = CronSim(expr, start)
    return [next(it).isoformat() for _ in range(count)]


def run_gitcron(expr: str, start: datetime, count: int) -> list[str]:
    """gitcron's engine; `after` is one second before the start so a fire at start counts."""
    assert isinstance(start.tzinfo, ZoneInfo)
    timing = Timing(Cron(expr), start.tzinfo)
    fires = next_fires(timing, start.astimezone(UTC).replace(microsecond=0) - _SECOND, count)
    return [fire.at.astimezone(start.tzinfo).isoformat() for fire in fires]


_SECOND = datetime(2000, 1, 1, 0, 0, 1) - datetime(2000, 1, 1)
ENGINES: dict[str, Engine] = {
    "croniter 7.0.0": run_croniter,
    "cronsim 2.8": run_cronsim,
    "gitcron": run_gitcron,
}


def correctness() -> None:
    """Print, for each case and engine, whether the fire list matches our rules."""
    print("== correctness (expected = Debian cron's rules, gitcron's contract) ==")
    for case in CASES:
        print(f"\n{case.title}: '{case.expr}' in {case.zone}")
        print(f"  expected        {list(case.expected)}")
        start = case.start.replace(tzinfo=ZoneInfo(case.zone))
        for name, engine in ENGINES.items():
            expr = (
                case.croniter_expr
                if name.startswith("croniter") and case.croniter_expr
                else case.expr
            )
            try:
                got = engine(expr, start, len(case.expected))
            except Exception as error:
                print(f"  {name:15s} ERROR {type(error).__name__}: {error}")
                continue
            verdict = "ok  " if tuple(got) == case.expected else "DIFF"
            print(f"  {name:15s} {verdict} {got}")


# Each gives 1,000 fires within 42 years of 2026.
SPEED_EXPRS = ("*/15 * * * *", "30 9 * * 1-5", "0 0 1,15 * *", "0 9,17 * * 5L", "0 6 * * 0#2,0#4")


def speed() -> None:
    """Time 1,000 consecutive fires, and one 'next fire' from scratch (the planner's call)."""
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 1, 1, tzinfo=zone)
    print("\n== speed, America/New_York (best of 5) ==")
    print(f"{'expression':16s} {'engine':15s} {'1000 fires':>12s} {'next from scratch':>18s}")
    for expr in SPEED_EXPRS:
        for name, engine in ENGINES.items():
            spelled = expr.replace("5L", "L5") if name.startswith("croniter") else expr
            try:
                engine(spelled, start, 1)
            except Exception as error:
                print(f"{expr:16s} {name:15s} ERROR {type(error).__name__}")
                continue
            bulk = min(timeit.repeat(partial(engine, spelled, start, 1000), number=1, repeat=5))
            single = min(timeit.repeat(partial(engine, spelled, start, 1), number=200, repeat=5))
            print(f"{expr:16s} {name:15s} {bulk * 1e3:9.1f} ms {single / 200 * 1e6:15.1f} us")


NAMED: dict[str, Form] = {
    "daily 09:00,17:30": Daily((time(9), time(17, 30))),
    "weekly mon,fri 09:00": Weekly(frozenset({0, 4}), (time(9),)),
    "monthly last friday": MonthlyNth(LAST, 4, (time(9),)),
    "monthly last weekday": MonthlyDay(LAST_WEEKDAY, (time(9),)),
}


def named_speed() -> None:
    """The planner's per-tick call for named forms: one next fire from scratch."""
    zone = ZoneInfo("America/New_York")
    after = datetime(2026, 5, 5, 13, 7, tzinfo=UTC)
    print("\n== gitcron named forms, next fire from scratch (best of 5) ==")
    for title, form in NAMED.items():
        call = partial(next_fires, Timing(form, zone), after, 1)
        single = min(timeit.repeat(call, number=500, repeat=5))
        print(f"{title:24s} {single / 500 * 1e6:8.1f} us")


if __name__ == "__main__":
    correctness()
    speed()
    named_speed()
