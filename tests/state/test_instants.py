"""Instants are spelled and read without strftime/strptime, and exactly as those would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitcron.state.codec import INSTANT_FORMAT, format_instant, parse_instant

OFFSETS = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
INSTANTS = st.datetimes(
    min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS
)
DIGIT = st.sampled_from("0123456789")
# the shape parse_instant accepts, with any digits: months 13, days 31 in April, hour 24, ...
SHAPED = st.lists(DIGIT, min_size=14, max_size=14).map(
    lambda d: "{}{}{}{}-{}{}-{}{}T{}{}:{}{}:{}{}Z".format(*d)
)


@settings(max_examples=2000, deadline=None)
@given(INSTANTS)
def test_format_is_strftime(instant: datetime) -> None:
    assert format_instant(instant) == instant.astimezone(UTC).strftime(INSTANT_FORMAT)


def _strptime(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, INSTANT_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _parse(text: str) -> datetime | None:
    try:
        return parse_instant(text)
    except ValueError:
        return None


@settings(max_examples=3000, deadline=None)
@given(st.one_of(SHAPED, INSTANTS.map(format_instant)))
def test_parse_accepts_and_refuses_as_strptime(text: str) -> None:
    assert _parse(text) == _strptime(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2026-02-29T00:00:00Z", id="no-leap-day"),
        pytest.param("2026-11-22T24:00:00Z", id="hour-24"),
        pytest.param("2026-11-22T14:00:60Z", id="second-60"),
        pytest.param("2026-13-01T00:00:00Z", id="month-13"),
        pytest.param("2026-11-22T14:00:00+00:00", id="offset"),
        pytest.param("2026-11-22t14:00:00z", id="lower-case"),
    ],
)
def test_parse_refuses_what_is_not_an_instant(text: str) -> None:
    with pytest.raises(ValueError):
        parse_instant(text)
