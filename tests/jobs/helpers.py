"""Helpers: one run of acme/weekly-products, and a JobContext around any schedule and settings.

The builders live in tests/factories.py (the job_* family); these are their short names here.
"""

from __future__ import annotations

from factories import FIRE, START, job_ctx
from factories import JOB_SCHEDULE_ID as SCHEDULE_ID
from factories import JOB_SETTINGS as SETTINGS
from factories import job_run as run_info
from factories import job_schedule as schedule
from factories import job_settings as settings

__all__ = [
    "FIRE",
    "SCHEDULE_ID",
    "SETTINGS",
    "START",
    "job_ctx",
    "run_info",
    "schedule",
    "settings",
]
