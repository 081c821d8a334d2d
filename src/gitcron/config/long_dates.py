"""A day written out as a person writes it in a letter: `7 December 2026`, `December 7, 2026`.

`config.customer.local_day` writes a day in figures (`07/12/2026`), as forms and tables do; a
subject line written by hand names the month. CLDR's long date form (through Babel) writes it in
the customer's locale, with its month names and its order: a table of our own would drift from
the data every platform formats with. Without a customer locale the day is written in British
English (`gitcron.config.cldr`). Babel is imported when a day is written, not before.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from gitcron.config.cldr import babel_locale
from gitcron.config.customer import CustomerFile


def long_date(day: date, locale: str | None) -> str:
    """`day` with its month in words in `locale` (`7. Dezember 2026` in de-DE, `2026年12月7日`
    in ja-JP); `7 December 2026` without one."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=babel_locale(locale)))


def long_day(day: date, customer: CustomerFile | None) -> str:
    """`day` as the customer file's locale writes it in words; British English without one."""
    return long_date(day, customer.locale if customer else None)


def day_of(value: Any) -> date:
    """The day a template value names: a date, or its ISO text (`run.local_date`, `run.local`)
    as written, so `run.local` gives the day in the schedule's zone."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    shown = repr(value)[:40]
    raise ValueError(f"long_date writes a day, such as run.local_date or run.local, not {shown}")
