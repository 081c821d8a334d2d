"""A refused timezone gets a fix that names a zone gitcron takes: the city, not the abbreviation."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, available_timezones

import pytest
from pydantic_core import PydanticCustomError

from gitcron.config.fields import parse_timezone


def fix_for(value: str) -> str:
    with pytest.raises(PydanticCustomError) as caught:
        parse_timezone(value)
    assert caught.value.message() == f"'{value}' is not a timezone gitcron knows"
    hint = (caught.value.context or {}).get("hint")
    assert isinstance(hint, str)
    return hint


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        pytest.param("Paris", "did you mean 'Europe/Paris'?", id="a-city"),
        pytest.param("paris", "did you mean 'Europe/Paris'?", id="a-city-in-lower-case"),
        pytest.param("new york", "did you mean 'America/New_York'?", id="a-city-with-a-space"),
        pytest.param("New_York", "did you mean 'America/New_York'?", id="the-last-part"),
        pytest.param("Sao Paulo", "did you mean 'America/Sao_Paulo'?", id="two-words"),
        pytest.param("Europe/Pari", "did you mean 'Europe/Paris'?", id="a-typo-in-a-name"),
        pytest.param("Lodnon", "did you mean 'Europe/London'?", id="a-typo-in-a-city"),
        pytest.param("Japan", "did you mean 'Asia/Tokyo'?", id="an-old-country-name"),
        pytest.param("EST5EDT/x", "did you mean 'America/New_York'?", id="a-legacy-name-inside"),
        pytest.param("UTC+0", "did you mean 'UTC'?", id="offset-zero"),
    ],
)
def test_the_fix_names_a_region_zone(value: str, fix: str) -> None:
    assert fix_for(value) == fix


@pytest.mark.parametrize(
    ("value", "zone", "note"),
    [
        ("EST", "America/New_York", "'EST' has no daylight saving"),
        ("PST", "America/Los_Angeles", "'PST' has no daylight saving"),
        ("CET", "Europe/Paris", "'CET' has no daylight saving"),
        ("EDT", "America/New_York", "'EDT' is only the summer time"),
        ("BST", "Europe/London", "'BST' is only the summer time"),
        ("JST", "Asia/Tokyo", None),
    ],
)
def test_an_abbreviation_gets_a_city_and_what_it_misses(
    value: str, zone: str, note: str | None
) -> None:
    fix = fix_for(value)
    assert fix.startswith(f"did you mean '{zone}'?")
    if note:
        assert note in fix
        assert "switches between" in fix
    else:
        assert fix == f"did you mean '{zone}'?"


def test_an_offset_explains_the_turned_sign() -> None:
    fix = fix_for("UTC+2")
    assert "'Etc/GMT-2' for UTC+2 all year round (the sign is turned around)" in fix
    assert "e.g. 'Europe/Athens'" in fix
    assert "'Etc/GMT+5' for UTC-5" in fix_for("GMT-5")
    assert fix_for("+05:30").endswith("e.g. 'Asia/Kolkata'")


REFUSED = sorted(n for n in available_timezones() if "/" not in n and n not in ("UTC", "GMT"))


@pytest.mark.parametrize("value", REFUSED)
def test_never_suggests_a_name_gitcron_refuses(value: str) -> None:
    """EST, CET, Cuba...: real tz names that gitcron refuses are never offered back."""
    fix = fix_for(value)
    for named in re.findall(r"'([^' ]+)'", fix):
        if named == value:
            continue  # said as the name refused ("'EST' has no daylight saving"), not offered
        assert "/" in named or named == "UTC", fix
        ZoneInfo(named)
    assert f"did you mean '{value}'" not in fix
