"""A year of ticks against ~20 schedules: late, dropped and doubled ticks, compared to the engine.

Every fire the timing engine enumerates must end up recorded exactly once: run when the first
tick after it came within max_delay (and, for `catchup: latest`, it was the newest fire due),
missed otherwise, skipped on closed days.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest

from engine.helpers import SETTINGS, Sim, utc, view
from gitcron.catalog.build import closed_days_of
from gitcron.catalog.view import ScheduleView
from gitcron.timing.fires import iter_fires

START = utc("2026-01-01T00:07")
END = utc("2027-01-01T00:00")

SCHEDULES = [
    view({"daily": {"at": "09:00"}}, "ny/daily", timezone="America/New_York"),
    view({"daily": {"at": ["06:00", "18:00"]}}, "tokyo/twice", timezone="Asia/Tokyo"),
    view({"daily": {"at": "02:30"}}, "ny/gap", timezone="America/New_York"),
    view({"daily": {"at": "01:30"}}, "london/overlap", timezone="Europe/London"),
    view(
        {"weekly": {"on": ["monday", "wednesday", "friday"], "at": "08:00"}},
        "berlin/mwf",
        timezone="Europe/Berlin",
    ),
    view({"weekly": {"on": "sunday", "at": "23:45"}}, "sydney/sunday", timezone="Australia/Sydney"),
    view(
        {"monthly": {"on": "first monday", "at": "10:00"}},
        "london/first-monday",
        timezone="Europe/London",
    ),
    view(
        {"monthly": {"on": "last friday", "at": "17:00"}},
        "la/last-friday",
        timezone="America/Los_Angeles",
    ),
    view({"monthly": {"on": 31, "at": "12:00"}}, "utc/day-31"),
    view(
        {"monthly": {"on": "last day", "at": "23:00"}}, "kolkata/month-end", timezone="Asia/Kolkata"
    ),
    view({"cron": "*/20 * * * *"}, "utc/every-20"),
    view({"cron": "30 */3 * * *"}, "saopaulo/3h", timezone="America/Sao_Paulo", catchup="all"),
    view(
        {"cron": "0 9 * * 1-5"},
        "paris/weekdays",
        timezone="Europe/Paris",
        skip=[{"holidays": "FR"}],
    ),
    view({"cron": "15 1 * * *"}, "dublin/night", timezone="Europe/Dublin", catchup="all"),
    view({"once": "2026-06-15T12:00"}, "singapore/once", timezone="Asia/Singapore"),
    view({"every": "90m"}, "utc/every-90m"),
    view({"every": "7h"}, "chicago/every-7h", timezone="America/Chicago"),
    view(
        {"daily": {"at": "09:00"}},
        "us/open-days",
        timezone="America/New_York",
        skip=["weekends", {"holidays": "US"}],
        on_closed="next-open-day",
    ),
    view(
        {"weekly": {"on": "friday", "at": "16:00"}},
        "denver/friday",
        timezone="America/Denver",
        catchup="all",
    ),
    view({"daily": {"at": "12:00"}}, "auckland/noon", timezone="Pacific/Auckland", catchup="none"),
    view({"daily": {"at": "05:00"}}, "dubai/strict", timezone="Asia/Dubai", max_delay="30m"),
    view({"daily": {"at": "07:00"}}, "skip/weekends", skip=["weekends"], catchup="all"),
]


def tick_instants(rng: random.Random) -> list[datetime]:
    """GitHub's scheduler: 15-minute ticks, late by 0-90 min, some dropped, some doubled."""
    ticks = [START]
    slot, outage = START, 0
    while slot < END:
        slot += timedelta(minutes=15)
        if outage:
            outage -= 1
            continue
        if rng.random() < 0.002:
            outage = rng.randint(4, 40)  # an outage of 1 to 10 hours
            continue
        if rng.random() < 0.05:
            continue  # dropped
        late = slot + timedelta(
            minutes=rng.uniform(0, 90) if rng.random() < 0.3 else rng.uniform(0, 8)
        )
        ticks.append(late.replace(microsecond=0))
        if rng.random() < 0.03:
            ticks.append(late.replace(microsecond=0))  # the same tick twice
    return sorted(ticks)


def expected(
    v: ScheduleView, ticks: list[datetime]
) -> tuple[list[datetime], list[datetime], list[datetime]]:
    """(runs, missed, skipped) by the rules, from the engine's own enumeration of fires."""
    timing = v.timing(closed_days_of(v.skip, SETTINGS), ticks[0])
    runs: list[datetime] = []
    missed: list[datetime] = []
    skipped: list[datetime] = []
    unique = sorted(set(ticks))
    batch: list[datetime] = []
    index = 0
    last = unique[-1]

    def settle(tick: datetime) -> None:
        fresh = [f for f in batch if tick - f <= v.max_delay]
        chosen = fresh if v.catchup == "all" else fresh[-1:]
        runs.extend(chosen)
        missed.extend(f for f in batch if f not in chosen)
        batch.clear()

    for fire in iter_fires(timing, ticks[0]):
        if fire.at > last:
            break
        while unique[index] < fire.at:
            index += 1
            if batch:
                settle(unique[index - 1])
        if fire.closed is not None:
            skipped.append(fire.at)
        else:
            batch.append(fire.at)
    if batch:
        settle(unique[index])
    return runs, missed, skipped


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2026])
def test_a_simulated_year_records_every_fire_exactly_once(seed: int) -> None:
    rng = random.Random(seed)
    ticks = tick_instants(rng)
    sim = Sim(*SCHEDULES)
    for now in ticks:
        sim.tick(now)
    keys = Counter((r.run_id, r.trigger, r.attempt) for r in sim.history)
    assert [k for k, n in keys.items() if n > 1] == []  # nothing recorded twice
    total = Counter(r.status for r in sim.history)
    assert total["missed"] > 0
    assert total["skipped"] > 0
    assert total["succeeded"] > 10_000
    for v in SCHEDULES:
        runs, missed, skipped = expected(v, ticks)
        mine = [r for r in sim.history if r.schedule == v.id]
        assert [r.fire for r in mine if r.status == "succeeded"] == runs, v.id
        assert sorted(r.fire for r in mine if r.status == "missed") == missed, v.id
        assert [r.fire for r in mine if r.status == "skipped"] == skipped, v.id
        state = sim.states[v.id]
        assert state.runs == len(runs) == state.succeeded, v.id
