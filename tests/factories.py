"""Model factories: the RunInfo, Schedule, Settings, JobContext and ScheduleView the tests build.

A test cares about one or two fields of a run or a schedule; these builders fill in the rest, so a
change to a model's required fields is made here once. Three families, each re-exported under short
names by its folder's helpers (tests/jobs/helpers.py, tests/channels/helpers.py,
tests/engine/helpers.py):

- job_*: a run of acme/weekly-products making a products xlsx report (the jobs, datasets and render
  tests);
- channel_*: a run of customer-001/weekly-products whose csv report is delivered (the channels);
- planner_*: schedule views with any `schedule:` section, delivering by email and to the outbox
  (the planner's simulations).

The job and channel runs share one fire: Monday 2026-11-23 09:00 in New York (EST, UTC-5), which is
14:00 UTC, with the previous fire a week before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from gitcron.catalog.view import ScheduleView, view_of
from gitcron.config.settings import Settings
from gitcron.core import RunInfo
from gitcron.jobs.base import JobContext
from gitcron.schedule import Delivery, Schedule

FIRE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
START = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
ZONE = "America/New_York"
WEEKLY: dict[str, Any] = {"timezone": ZONE, "schedule": {"weekly": {"on": "monday", "at": "09:00"}}}


def run_info(run_id: str, start: datetime | None = START, zone: str = ZONE) -> RunInfo:
    """The first, scheduled attempt at FIRE; the schedule id is the part of `run_id` before '@'."""
    return RunInfo(
        run_id=run_id,
        schedule_id=run_id.split("@", 1)[0],
        fire=FIRE,
        interval_start=start,
        trigger="scheduled",
        attempt=1,
        zone=ZoneInfo(zone),
    )


# --- job_*: acme/weekly-products, a products xlsx report -----------------------------------------

JOB_SCHEDULE_ID = "acme/weekly-products"
JOB_SETTINGS: dict[str, Any] = {
    "datasets": {
        "products": {
            "sample": "products",
            "params": {"customer": {}, "category": {"description": "only this category"}},
        }
    }
}


def job_run(
    schedule_id: str = JOB_SCHEDULE_ID, start: datetime | None = START, zone: str = ZONE
) -> RunInfo:
    return run_info(f"{schedule_id}@2026-11-23T14:00:00Z", start, zone)


def job_schedule(report: dict[str, Any] | None = None, **extra: Any) -> Schedule:
    """A weekly schedule; `report` keys are merged over a products xlsx report."""
    data: dict[str, Any] = {**WEEKLY, **extra}
    if "event" not in extra:
        data["report"] = {"dataset": "products", "format": "xlsx", **(report or {})}
    return Schedule.model_validate(data)


def job_settings(**overrides: Any) -> Settings:
    return Settings.model_validate({**JOB_SETTINGS, **overrides})


def job_ctx(
    tmp_path: Path,
    the_schedule: Schedule | None = None,
    the_settings: Settings | None = None,
    run: RunInfo | None = None,
) -> JobContext:
    """A JobContext rooted at `tmp_path`, its work folder made; the job_* defaults fill the gaps."""
    work = tmp_path / "work"
    work.mkdir(parents=True, exist_ok=True)
    return JobContext(
        run=run or job_run(),
        schedule=the_schedule or job_schedule(),
        settings=the_settings or job_settings(),
        root=tmp_path,
        work_dir=work,
        env={},
    )


# --- channel_*: customer-001/weekly-products, a csv report to deliver ----------------------------

CHANNEL_RUN_ID = "customer-001/weekly-products@2026-11-23T14:00:00Z"


def channel_run(run_id: str = CHANNEL_RUN_ID) -> RunInfo:
    return run_info(run_id)


def channel_schedule(*deliveries: dict[str, Any], labels: dict[str, str] | None = None) -> Schedule:
    """A weekly csv report for customer-001, delivered to `deliveries` (by default one email)."""
    return Schedule.model_validate(
        {
            **WEEKLY,
            "report": {
                "dataset": "products",
                "params": {"customer": "customer-001"},
                "format": "csv",
            },
            "deliver": list(deliveries) or [{"email": {"to": ["buyer@acme.example"]}}],
            "labels": labels or {"team": "americas"},
        }
    )


LOOPBACK = ("127.0.0.1",)  # the test servers' address, allowed as an engineer allows a relay
# Every host the channel tests send to, so the checks under test (the address guard, the
# answers) are reached: the credentials below are granted to them (docs/grants.md).
TEST_HOSTS = (
    *("127.0.0.1", "localhost", "::1", "169.254.169.254", "10.0.0.1", "::ffff:10.0.0.1"),
    *("0.0.0.0", "224.0.0.1", "100.64.0.1", "hooks.example"),
)


def credentials(kind: str, *variables: str) -> dict[str, Any]:
    """`credentials:` granting each variable to `kind` deliveries to the test hosts."""
    return {
        variable.lower().replace("_", "-"): {"env": variable, "for": kind, "to": list(TEST_HOSTS)}
        for variable in variables
    }


GRANTED = {
    **credentials("webhook", "HOOK_SECRET", "HOOK_TOKEN"),
    **credentials("sftp", "SFTP_PASSWORD", "SFTP_KEY", "UNSET"),
}


def channel_settings(allow: tuple[str, ...] = LOOPBACK, **email: Any) -> Settings:
    """Settings with the email channel's `email` keys over a default sender, and an outbox;
    `network.allow` is `allow` (by default the loopback test servers)."""
    channel = {"from": "Reports <reports@ourco.example>", **email}
    return Settings.model_validate(
        {
            "datasets": {"products": {"sample": "products", "params": ["customer"]}},
            "channels": {"email": channel, "outbox": {"dir": "outbox"}},
            "network": {"allow": list(allow)},
            "credentials": GRANTED,
        }
    )


def delivery(**spec: Any) -> Delivery:
    """One `deliver:` item, e.g. delivery(email={"to": [...]})."""
    return Delivery.model_validate(spec)


# --- planner_*: views for the planner, delivering to email:buyer@acme.example and outbox:out -----

PLANNER_SETTINGS = Settings.model_validate({"datasets": {"products": {"sample": "products"}}})
PLANNER_REPORT = {"dataset": "products", "format": "csv"}
PLANNER_DELIVER = [{"email": {"to": ["buyer@acme.example"]}}, {"outbox": {"dir": "out"}}]


def planner_view(when: dict[str, Any], sid: str = "acme/report", **extra: Any) -> ScheduleView:
    """The view of a schedule whose `schedule:` section is `when`; `extra` adds top-level keys."""
    data = {"schedule": when, "report": PLANNER_REPORT, "deliver": PLANNER_DELIVER, **extra}
    return view_of(sid, f"schedules/{sid}.yaml", Schedule.model_validate(data), PLANNER_SETTINGS)
