"""Helpers: one run of acme/weekly-products, and a JobContext around any schedule and settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from gitcron.config.settings import Settings
from gitcron.jobs.base import JobContext, RunInfo
from gitcron.schedule import Schedule

# Monday 2026-11-23 09:00 in New York (EST, UTC-5) is 14:00 UTC; the previous fire a week before.
FIRE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
START = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
SCHEDULE_ID = "acme/weekly-products"

SETTINGS: dict[str, Any] = {
    "datasets": {
        "products": {
            "sample": "products",
            "params": {"customer": {}, "category": {"description": "only this category"}},
        }
    }
}


def run_info(
    schedule_id: str = SCHEDULE_ID, start: datetime | None = START, zone: str = "America/New_York"
) -> RunInfo:
    return RunInfo(
        run_id=f"{schedule_id}@2026-11-23T14:00:00Z",
        schedule_id=schedule_id,
        fire=FIRE,
        interval_start=start,
        trigger="scheduled",
        attempt=1,
        zone=ZoneInfo(zone),
    )


def schedule(report: dict[str, Any] | None = None, **extra: Any) -> Schedule:
    """A weekly schedule; `report` keys are merged over a products xlsx report."""
    data: dict[str, Any] = {
        "timezone": "America/New_York",
        "schedule": {"weekly": {"on": "monday", "at": "09:00"}},
        **extra,
    }
    if "event" not in extra:
        data["report"] = {"dataset": "products", "format": "xlsx", **(report or {})}
    return Schedule.model_validate(data)


def settings(**overrides: Any) -> Settings:
    return Settings.model_validate({**SETTINGS, **overrides})


def job_ctx(
    tmp_path: Path,
    the_schedule: Schedule | None = None,
    the_settings: Settings | None = None,
    run: RunInfo | None = None,
) -> JobContext:
    work = tmp_path / "work"
    work.mkdir(parents=True, exist_ok=True)
    return JobContext(
        run=run or run_info(),
        schedule=the_schedule or schedule(),
        settings=the_settings or settings(),
        root=tmp_path,
        work_dir=work,
        env={},
    )
