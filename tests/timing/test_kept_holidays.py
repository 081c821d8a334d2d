"""Holiday answers kept by the parse cache: the package's own words, only for its own version.

2026-11-26 is Thanksgiving (US); 2026-02-12 is Lincoln's Birthday in New York only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from gitcron.errors import TimingError
from gitcron.timing import AnyClosed, Holidays, Weekends
from gitcron.timing.kept_holidays import keep, kept_from_package, package_version


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    keep([], 2026)
    yield
    keep([], 2026)


def days(first: int, last: int) -> Iterator[date]:
    day = date(first, 1, 1)
    while day.year <= last:
        yield day
        day += timedelta(days=1)


def test_the_installed_package_s_version_is_told() -> None:
    import holidays

    assert package_version() == holidays.__version__


def test_kept_answers_are_the_package_s_for_every_day_of_the_years_around() -> None:
    calendars = [AnyClosed((Weekends(), Holidays("US"))), Holidays("US", "ny"), None]
    kept = kept_from_package(calendars, 2026)
    assert [(k.country, k.subdivision, k.first, k.last) for k in kept] == [
        ("US", None, 2025, 2027),
        ("US", "NY", 2025, 2027),
    ]
    assert keep(kept, 2026) is True
    for calendar in (Holidays("US"), Holidays("US", "NY")):
        for day in days(2025, 2027):
            assert calendar.reason(day) == calendar.package_reason(day), day
    assert Holidays("US").reason(date(2026, 11, 26)) == "holiday: Thanksgiving Day (US)"
    assert Holidays("US", "NY").reason(date(2026, 2, 12)) == "holiday: Lincoln's Birthday (US-NY)"


def test_a_kept_calendar_answers_its_years_and_the_package_the_others() -> None:
    [us] = kept_from_package([Holidays("US")], 2026)
    planted = replace(us, reasons={date(2026, 3, 3): "holiday: planted (US)"})
    assert keep([planted], 2026) is True
    assert Holidays("US").reason(date(2026, 3, 3)) == "holiday: planted (US)"  # kept: answered
    assert Holidays("US").reason(date(2026, 11, 26)) is None
    assert Holidays("US").reason(date(2028, 11, 23)) == "holiday: Thanksgiving Day (US)"


def test_answers_kept_by_another_version_of_the_package_are_never_used() -> None:
    [us] = kept_from_package([Holidays("US")], 2026)
    other = replace(us, reasons={date(2026, 3, 3): "holiday: planted (US)"}, version="0.1")
    assert keep([other], 2026) is False  # worth keeping anew
    assert Holidays("US").reason(date(2026, 3, 3)) is None
    assert Holidays("US").reason(date(2026, 11, 26)) == "holiday: Thanksgiving Day (US)"


def test_kept_years_that_no_longer_surround_the_year_are_worth_keeping_anew() -> None:
    kept = kept_from_package([Holidays("US")], 2026)
    assert keep(kept, 2026) is True
    assert keep(kept, 2027) is False  # 2028 is not kept
    assert Holidays("US").reason(date(2027, 11, 25)) == "holiday: Thanksgiving Day (US)"


def test_a_calendar_the_package_refuses_is_still_refused() -> None:
    keep(kept_from_package([Holidays("US")], 2026), 2026)
    with pytest.raises(TimingError, match="unknown holiday country 'XX'"):
        Holidays("XX")
