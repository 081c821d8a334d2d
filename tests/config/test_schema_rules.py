"""Each rule the schema states agrees with the parser validate runs, and every key has help.

A pattern that refuses what the parser accepts would put a red squiggle under a valid file, so
each pattern is checked against its parser on generated text: both ways where the pattern is
exact, and "refused by the pattern, so refused by the parser" where the parser knows more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from gitcron.channels.sftp.target import URL_WITH_PARENT_FOLDER, URL_WITH_USER
from gitcron.cli.schema import duration_text, schema_text
from gitcron.config import fields
from gitcron.config.addresses import EMAIL_PATTERN, parse_email
from gitcron.config.base import FILENAME_PATTERN, url_field
from gitcron.config.templates import filename_template_problem
from gitcron.config.when import CRON_PATTERN
from gitcron.schedule import EmailTarget, SftpTarget
from gitcron.timing import check_cron

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


def _every_minute(minute: str) -> bool:
    """A minute field firing in consecutive minutes: validate refuses it under any tick > 1m."""
    return re.fullmatch(r"[*?](?:/0*1)?", minute) is not None


CRON_FIELD = text_of("0123456789*,-/#?LWMONJAF", 5).filter(bool)


@FEW
@given(st.lists(CRON_FIELD, min_size=4, max_size=6), st.sampled_from([" ", "  ", "\t"]))
@example(["*", "*", "*", "*", "*"], " ")
@example(["0", "9", "?", "*", "MON#1"], " ")
def test_cron_pattern_refuses_only_what_validate_refuses(fields_: list[str], gap: str) -> None:
    text = gap.join(fields_)
    if not matches(CRON_PATTERN, text):
        assert check_cron(text).error is not None or _every_minute(fields_[0])


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
@given(text_of("sftp:/@.a?#u ", 18))
@example("sftp://gitcron@sftp.example.com/in/../etc")
@example("sftp://gitcron@sftp.example.com/in/..x")
@example("sftp://sftp.example.com/incoming")
def test_sftp_address_rules_refuse_only_what_validate_refuses(url: str) -> None:
    target = SCHEMAS["schedule"]["$defs"]["SftpTarget"]
    rules = [rule["properties"]["url"] for rule in target["allOf"] if "properties" in rule]
    refused = not matches(URL_WITH_USER, url) or matches(URL_WITH_PARENT_FOLDER, url)
    assert rules == [{"pattern": URL_WITH_USER}, {"not": {"pattern": URL_WITH_PARENT_FOLDER}}]
    if refused:
        with pytest.raises(ValidationError):
            SftpTarget.model_validate(
                {"url": url, "key_env": "K", "known_hosts": "h ssh-ed25519 A"}
            )


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


# --- booleans: only true and false, in validate as in the schema -------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "1", 1, 0, "true"])
def test_booleans_are_only_true_or_false(word: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        EmailTarget.model_validate({"to": "a@example.com", "attach": word})
    assert [e["type"] for e in caught.value.errors()] == ["bool_type"]
    assert EmailTarget.model_validate({"to": "a@example.com", "attach": False}).attach is False


# --- help on every key --------------------------------------------------------------------------


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of the document and of every model in $defs, as `Model.key`."""
    yield from ((f"(top).{k}", v) for k, v in schema["properties"].items())
    for model, definition in schema.get("$defs", {}).items():
        yield from ((f"{model}.{k}", v) for k, v in definition.get("properties", {}).items())


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_property_has_a_description_and_an_example(name: str) -> None:
    missing = [
        where
        for where, prop in properties(SCHEMAS[name])
        if not str(prop.get("description", "")).strip() or not prop.get("examples")
    ]
    assert missing == []


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


def test_models_without_help_would_be_caught() -> None:
    class Bare(BaseModel):
        key: int = 1

    schema = Bare.model_json_schema()
    assert [w for w, p in properties(schema) if not p.get("description")] == ["(top).key"]
