"""The promise, as a property: a generated schedule that validates clean renders every template at
run time, for many runs (weekdays, months, month ends, daylight-saving days, retries with no rows).

Templates branch on what changes from run to run (the date, the hour, the attempt, the rows, the
first run's empty interval start); some branches hold mistakes (a name that does not exist, a
division by the row count, a slice of an empty interval start). Validate must refuse every
schedule one of whose runs would fail: hypothesis looks for a schedule it lets through that fails.
Rows are the sample's count or none: how many rows a query returns is the data's, not the file's.
"""

from __future__ import annotations

import itertools
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitcron.catalog.build import timing_for
from gitcron.catalog.load import load
from gitcron.catalog.rehearsal import places
from gitcron.core.run import RunInfo
from gitcron.errors import GitcronError
from gitcron.jobs.context import template_context
from gitcron.state.codec import make_run_id
from gitcron.timing import iter_fires
from gitcron.timing.fires import previous_fire
from support import REPO, utc

ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago", "UTC"]
CONDITIONS = [
    "run.local_date.endswith('-01')",
    "run.local_date[5:7] == '12'",
    "run.local_time < '1200'",
    "run.attempt > 1",
    "rows == 0",
    "run.interval_start",
    "params.category",
    "run.local[-6:] == '-04:00'",  # summer time in New York
]
BODIES = [
    "{{ run.local_date }}",
    "{{ customer | upper }}",
    "{{ (run.interval_start or run.fire)[:10] }}",
    "{{ rows }} rows",
    "plain",
    "{{ run.interval_start[:10] }}",  # fails on a first run without an earlier one
    "{{ 100 // rows }}",  # fails with no rows
    "{{ run.nope }}",  # fails whenever the branch is taken
    "{{ params.category | upper }}",
]
FORMS = st.one_of(
    st.builds(
        lambda h, m: f'daily: {{ at: "{h:02d}:{m:02d}" }}',
        st.sampled_from([0, 1, 2, 3, 9, 12, 23]),
        st.sampled_from([0, 30, 45]),
    ),
    st.builds(
        lambda d, h: f'weekly: {{ on: {d}, at: "{h:02d}:30" }}',
        st.sampled_from(["monday", "[tuesday, friday]", "sunday"]),
        st.sampled_from([2, 8, 17]),
    ),
    st.builds(
        lambda on: f'monthly: {{ on: {on}, at: "06:00" }}',
        st.sampled_from(["1", "15", "last day", "first monday", "last weekday"]),
    ),
    st.sampled_from(['cron: "30 1,13 * * *"', 'cron: "0 2 * * 0"', "once: '2027-03-28 01:30'"]),
)


@st.composite
def templates(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 2))):
        condition = draw(st.sampled_from(CONDITIONS))
        yes, no = draw(st.sampled_from(BODIES)), draw(st.sampled_from(BODIES))
        parts.append(f"{{% if {condition} %}}{yes}{{% else %}}{no}{{% endif %}}")
    return " ".join(parts)


@st.composite
def schedules(draw: st.DrawFn) -> str:
    category = draw(st.sampled_from(["", ", category: Bakery"]))
    suffix = draw(st.sampled_from(["", "{% if run.attempt > 1 %}-retry{% endif %}"]))
    subject = draw(templates()).replace('"', "'")
    return (
        f"timezone: {draw(st.sampled_from(ZONES))}\n"
        f"schedule:\n  {draw(FORMS)}\n"
        "report:\n  dataset: products\n"
        f"  params: {{ customer: acme{category} }}\n  format: csv\n"
        f'  filename: "acme-{{{{ run.local_date }}}}{suffix}.csv"\n'
        f'deliver:\n  - email: {{ to: [buyer@example.com], subject: "{subject}" }}\n'
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("property")
    (root / "schedules/acme").mkdir(parents=True)
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    return root


REL = "schedules/acme/generated.yaml"


def run_time_failures(repo: Path, now: datetime) -> list[str]:
    """Each template rendered as the run renders it, for the runs of the next year."""
    catalog = load(repo, now, [REL], rehearse=False)
    schedule = catalog.entries[0].schedule
    assert schedule is not None
    timing = timing_for(schedule, catalog.settings, now)
    year = itertools.takewhile(lambda f: f.at <= now + timedelta(days=370), iter_fires(timing, now))
    fires = [f.at for f in year if f.closed is None]
    failures = []
    for count, fire in enumerate(fires):
        local = fire.astimezone(timing.zone)
        dst_day = (local + timedelta(days=1)).utcoffset() != local.utcoffset()
        if count > 14 and not dst_day and local.day not in (1, 30, 31) and count % 11:
            continue  # two weeks, month starts and ends, daylight-saving days, and some others
        start = previous_fire(timing, fire)
        for trigger, attempt, rows in (("scheduled", 1, 5), ("retry", 2, 0)):
            info = RunInfo(make_run_id("acme/generated", fire), "acme/generated", fire, start,
                           trigger, attempt, timing.zone)  # fmt: skip
            values = template_context(info, schedule, catalog.settings, rows=rows)
            for place in places(schedule):
                try:
                    place.make(place.source, values)
                except GitcronError as error:
                    failures.append(f"{local:%Y-%m-%d %H:%M} {trigger}: {error.message}")
    return failures


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schedules(), st.sampled_from(["2026-03-01", "2026-10-20", "2026-12-30", "2027-03-20"]))
def test_a_schedule_that_validates_clean_renders_for_every_run(
    repo: Path, text: str, day: str
) -> None:
    (repo / REL).write_text(text, encoding="utf-8")
    now = utc(f"{day}T12:00:00")
    errors = [p for p in load(repo, now, [REL]).problems if p.severity == "error"]
    if errors:
        return  # refused: the promise is about what validate lets through
    assert run_time_failures(repo, now) == [], text
