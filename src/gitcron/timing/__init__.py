"""When schedules fire: the timing engine behind the planner and the validator.

Everything here is pure (no clock reads): callers pass the instant to look after.
"""

from __future__ import annotations

from gitcron.timing.analysis import min_gap, never_fires
from gitcron.timing.calendars import (
    AnyClosed,
    ClosedDates,
    Holidays,
    Weekends,
    holiday_country_problem,
)
from gitcron.timing.cron import CronCheck, check_cron
from gitcron.timing.fires import iter_fires, next_fires
from gitcron.timing.spec import (
    LAST,
    LAST_DAY,
    LAST_WEEKDAY,
    MAX_CALENDAR_MOVE,
    WEEKDAYS,
    ClosedDays,
    Cron,
    Daily,
    Fire,
    Form,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekly,
)

__all__ = [
    "LAST",
    "LAST_DAY",
    "LAST_WEEKDAY",
    "MAX_CALENDAR_MOVE",
    "WEEKDAYS",
    "AnyClosed",
    "ClosedDates",
    "ClosedDays",
    "Cron",
    "CronCheck",
    "Daily",
    "Fire",
    "Form",
    "Holidays",
    "Interval",
    "MonthlyDay",
    "MonthlyNth",
    "Once",
    "Timing",
    "Weekends",
    "Weekly",
    "check_cron",
    "holiday_country_problem",
    "iter_fires",
    "min_gap",
    "never_fires",
    "next_fires",
]
