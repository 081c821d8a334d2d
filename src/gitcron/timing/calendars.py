"""Closed-day calendars (weekends, public holidays, named date lists) and holiday code checks.

A schedule's `closed` calendar decides which fires are skipped or moved; these are the
calendars the config can name, all implementing the `ClosedDays` protocol.

The holidays package is imported by the functions that read it: it costs a tick that plans from
the parse cache more than the rest of the timing engine, and most ticks never open a table. A
calendar whose answers the parse cache kept (`kept_holidays.py`) answers from those instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from gitcron.errors import TimingError
from gitcron.timing.kept_holidays import kept_for
from gitcron.timing.spec import ClosedDays

_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class Weekends:
    """Saturday and Sunday are closed."""

    def reason(self, day: date) -> str | None:
        """'weekend' on Saturdays and Sundays."""
        return "weekend" if day.weekday() >= _SATURDAY else None


def _canonical_subdivision(country: str, subdivision: str) -> str:
    """The holidays package's spelling of a subdivision code, matched case-insensitively."""
    import holidays

    supported = holidays.list_supported_countries().get(country, [])
    wanted = subdivision.upper()
    return next((known for known in supported if known.upper() == wanted), wanted)


@lru_cache(maxsize=64)
def _holiday_table(country: str, subdivision: str | None) -> Any:
    """One lazily-filled holidays table per (country, subdivision), shared by all schedules."""
    import holidays

    table = holidays.country_holidays(country, subdiv=subdivision)
    if "en_US" in getattr(table, "supported_languages", ()):
        table = holidays.country_holidays(country, subdiv=subdivision, language="en_US")
    return table


@dataclass(frozen=True, slots=True)
class Holidays:
    """The public holidays of a country (and optionally one subdivision: US-NY, GB-ENG)."""

    country: str
    subdivision: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", self.country.upper())
        kept = kept_for(self.country, self.subdivision)
        if kept is not None:  # the package checked it (kept_holidays.py)
            object.__setattr__(self, "subdivision", kept.subdivision)
            return
        code = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
        problem = holiday_country_problem(code)
        if problem is not None:
            raise TimingError(problem)
        if self.subdivision is not None:
            object.__setattr__(
                self, "subdivision", _canonical_subdivision(self.country, self.subdivision)
            )

    def reason(self, day: date) -> str | None:
        """'holiday: Christmas Day (US)' on a public holiday."""
        kept = kept_for(self.country, self.subdivision)
        if kept is not None and kept.first <= day.year <= kept.last:
            return kept.reasons.get(day)
        return self.package_reason(day)

    def package_reason(self, day: date) -> str | None:
        """`reason` as the holidays package gives it."""
        name = _holiday_table(self.country, self.subdivision).get(day)
        if name is None:
            return None
        where = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
        return f"holiday: {name} ({where})"


@dataclass(frozen=True, slots=True)
class ClosedDates:
    """A named list of closed dates (a company shutdown, an inventory day)."""

    name: str
    dates: frozenset[date]

    def reason(self, day: date) -> str | None:
        """'closed: <name>' on a listed date."""
        return f"closed: {self.name}" if day in self.dates else None


@dataclass(frozen=True, slots=True)
class AnyClosed:
    """A day is closed when any part says so; the first part's reason wins."""

    parts: tuple[ClosedDays, ...]

    def reason(self, day: date) -> str | None:
        """The reason of the first part that closes `day`."""
        for part in self.parts:
            found = part.reason(day)
            if found is not None:
                return found
        return None


_COMMON_ALIASES = {"UK": "GB", "EL": "GR"}  # codes people write that ISO 3166 spells otherwise


@lru_cache(maxsize=1)
def _country_codes() -> tuple[dict[str, str], dict[str, str]]:
    """(two-letter code -> readable name, three-letter code -> two-letter code)."""
    import holidays

    names: dict[str, str] = {}
    three: dict[str, str] = {}
    for key, (_class_name, *codes) in holidays.registry.COUNTRIES.items():
        two_letter = next((code for code in codes if len(code) == 2 and code.isupper()), None)
        if two_letter:
            names[two_letter] = key.replace("_", " ").title()
            for code in codes:
                if len(code) == 3 and code.isupper():
                    three[code] = two_letter
    return names, three


def _country_suggestions(country: str) -> list[str]:
    """Two-letter codes the user probably meant by an unknown country code or name."""
    names, three = _country_codes()
    if country in _COMMON_ALIASES:
        return [_COMMON_ALIASES[country]]
    if country in three:
        return [three[country]]
    by_name = {name.upper(): iso for iso, name in names.items()}
    found = [by_name[m] for m in difflib.get_close_matches(country, list(by_name), n=3)]
    found += difflib.get_close_matches(country, list(names), n=3, cutoff=0.5)
    return list(dict.fromkeys(found))[:3]


def holiday_country_problem(code: str) -> str | None:
    """What is wrong with a holiday calendar code ('US', 'US-NY', 'GB-ENG'), or None if fine."""
    import holidays

    country, _, subdivision = code.strip().upper().partition("-")
    names, _three = _country_codes()
    if country not in names:
        known = [f"{iso} ({names[iso]})" for iso in _country_suggestions(country)]
        hint = f"; did you mean {' or '.join(known)}?" if known else ""
        return f"unknown holiday country '{country}' (use a two-letter code like US or GB){hint}"
    if not subdivision:
        return None
    supported = holidays.list_supported_countries(include_aliases=False).get(country, [])
    if subdivision in (known.upper() for known in supported):
        return None
    if not supported:
        return f"{names[country]} ({country}) has no subdivisions; use '{country}'"
    aliases = {alias.upper(): sub for alias, sub in _subdivision_aliases(country).items()}
    if subdivision in aliases:
        return f"write the subdivision as '{country}-{aliases[subdivision]}'"
    matches = difflib.get_close_matches(subdivision, supported, n=4, cutoff=0.3)
    listing = ", ".join(f"{country}-{m}" for m in matches) if matches else ", ".join(supported)
    label = "close matches" if matches else "known subdivisions"
    return (
        f"unknown subdivision '{subdivision}' of {names[country]} ({country}); {label}: {listing}"
    )


def _subdivision_aliases(country: str) -> dict[str, str]:
    """Full subdivision names the holidays package knows ('England' -> 'ENG')."""
    aliases = getattr(_holiday_table(country, None), "subdivisions_aliases", {})
    return dict(aliases) if isinstance(aliases, dict) else {}
