"""Each rule the schema states agrees with the parser validate runs.

A pattern that refuses what the parser accepts would put a red squiggle under a valid file, so
each pattern is checked against its parser on generated text: both ways where the pattern is
exact, and "refused by the pattern, so refused by the parser" where the parser knows more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from gitcron.cli.schema import duration_text, schema_text
from gitcron.config import fields
from gitcron.config.addresses import EMAIL_PATTERN, parse_email
from gitcron.config.base import FILENAME_PATTERN, url_field
from gitcron.config.templates import filename_template_problem

SCHEMAS = {name: json.loads(schema_text(name)) for name in ("schedule", "settings")}
FEW = settings(max_examples=300, deadline=None)


def accepts(parse: Callable[[Any], Any], text: str) -> bool:
    try:
        parse(text)
    except (PydanticCustomError, ValueError):
        return False
    return True


def matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None  # as jsonschema runs `pattern`


def text_of(alphabet: str, size: int = 8) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), max_size=size)


# --- exact patterns: the same verdict as the parser --------------------------------------------


@FEW
@given(text_of("0123456789dhmsDHMS "))
@example("1h 30m")
@example("0m")
@example("")
def test_duration_pattern_is_the_parser(text: str) -> None:
    assert matches(fields._DURATION_PATTERN, text) == accepts(fields.parse_duration, text)


@FEW
@given(text_of("0123456789: "))
@example(" 9:30 ")
@example("24:00")
def test_time_pattern_is_the_parser(text: str) -> None:
    assert matches(fields._TIME_SCHEMA["pattern"], text) == accepts(fields.parse_time, text)


WEEKDAY_PATTERN = fields._DAY_SCHEMA["anyOf"][1]["pattern"]


@FEW
@given(st.sampled_from(["monday", "tue", "sunday", "sat", "wednes", "mond", "thurs"]), st.data())
def test_weekday_pattern_is_the_parser(word: str, data: st.DataObject) -> None:
    spelled = "".join(c.upper() if data.draw(st.booleans()) else c for c in word)
    text = data.draw(st.sampled_from(["", " "])) + spelled
    assert matches(WEEKDAY_PATTERN, text) == accepts(fields.parse_weekday, text)


MONTHLY_WORDS = ["first", "2nd", "last", "fifth", "monday", "FRI", "day", "weekday", "business"]


@FEW
@given(st.lists(st.sampled_from([*MONTHLY_WORDS, "15", "0", "31", "32", "007"]), max_size=3))
def test_monthly_on_pattern_is_the_parser(words: list[str]) -> None:
    text = "  ".join(words)
    assert matches(fields._MONTHLY_ON_PATTERN, text) == accepts(fields.parse_monthly_on, text)


@FEW
@given(text_of("aZ09._- ", 10))
@example("a..b")
@example(" acme ")
def test_slug_pattern_is_the_parser(text: str) -> None:
    pattern = SCHEMAS["schedule"]["properties"]["customer"]["anyOf"][0]["pattern"]
    assert matches(pattern, text) == accepts(fields.parse_slug, text)


@FEW
@given(text_of("AZ_09a- ", 10))
def test_env_name_pattern_is_the_parser(text: str) -> None:
    env = SCHEMAS["schedule"]["$defs"]["WebhookTarget"]["properties"]["secret_env"]
    assert matches(env["anyOf"][0]["pattern"], text) == accepts(fields.parse_env_name, text)


def test_timezone_enum_holds_every_name_validate_accepts_from_tzdata() -> None:
    names = fields.timezone_names()
    assert 500 < len(names) < 700, "the tz database has about 600 names"
    assert names == sorted(names)
    assert all(accepts(fields.parse_timezone, name) for name in names)
    assert {"Europe/London", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"} <= set(names)
    for refused in ("EST", "Japan", "localtime", "europe/london"):
        assert refused not in names
        assert not accepts(fields.parse_timezone, refused)
    (choice,) = [s for s in SCHEMAS["schedule"]["properties"]["timezone"]["anyOf"] if "enum" in s]
    assert choice["enum"] == names


# --- shape patterns: what they refuse, the parser refuses too ---------------------------------


@FEW
@given(text_of('ab.@ <>,;"', 14))
@example("Acme Buying <buying@acme.example>")
@example("a@b.c")
def test_email_pattern_refuses_only_what_the_parser_refuses(text: str) -> None:
    if not matches(EMAIL_PATTERN, text):
        assert not accepts(parse_email, text)


@FEW
@given(text_of("{}%#./\\ax -+", 12))
@example("{{ a }}/{{ b }}")
@example("a.{{ run.local_date }}.csv")
@example("{{{ a }}")
def test_filename_pattern_refuses_only_what_validate_refuses(text: str) -> None:
    if not matches(FILENAME_PATTERN, text):
        assert filename_template_problem(text) is not None


@FEW
@given(text_of("htpsf3:/@a.b ?#", 16), st.sampled_from([("https", "http"), ("s3", "file")]))
@example("HTTPS://hooks.example.com/x", ("https", "http"))
@example("https://user:pw@hooks.example.com", ("https", "http"))
def test_url_pattern_refuses_only_what_validate_refuses(text: str, schemes: Any) -> None:
    field = url_field(schemes)
    schema = field.__get_pydantic_json_schema__(None, None)  # type: ignore[arg-type]
    refused = not matches(schema["pattern"], text) or matches(schema["not"]["pattern"], text)
    if refused:
        assert not accepts(field.check, text)


@FEW
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)))
def test_local_datetime_pattern_takes_the_written_forms(moment: datetime) -> None:
    pattern = fields._LOCAL_DATETIME_PATTERN
    for text in (
        f"{moment:%Y-%m-%d}",
        f"{moment:%Y-%m-%d %H:%M}",
        f"{moment:%Y-%m-%dT%H:%M:%S}",
        str(moment),  # what a YAML timestamp becomes as JSON text
    ):
        assert matches(pattern, text), text
        assert accepts(fields.parse_local_datetime, text)
    assert not matches(pattern, f"{moment:%Y-%m-%d %H:%M}+01:00")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_examples_and_defaults_read_as_a_user_writes_them(name: str) -> None:
    text = schema_text(name)
    assert not re.search(r'"P(?:\d+D)?T?\d', text), "a default in ISO 8601 (PT6H), not 6h"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=6), "6h"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(seconds=30), "30s"),
        (timedelta(days=2, seconds=1), "2d1s"),
    ],
)
def test_duration_text_reads_back(delta: timedelta, text: str) -> None:
    assert duration_text(delta) == text
    assert fields.parse_duration(text) == delta
