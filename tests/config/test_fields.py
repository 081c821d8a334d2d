"""Value parsers: what they accept, and the phrase and fix they give for what they refuse."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from gitcron.config import fields
from gitcron.config.addresses import parse_email, parse_emails
from gitcron.timing.spec import LAST, LAST_DAY, LAST_WEEKDAY


def refusal(parse: Any, value: Any) -> tuple[str, str | None, str]:
    with pytest.raises(PydanticCustomError) as caught:
        parse(value)
    context = caught.value.context or {}
    return caught.value.message(), context.get("hint"), context.get("kind")


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        pytest.param(
            "munday", fields.WEEKDAYS, "did you mean 'monday'?", id="tie-same-first-letter"
        ),
        pytest.param("tusday", fields.WEEKDAYS, "did you mean 'tuesday'?", id="tuesday"),
        pytest.param("Timzone", ["timezone", "owner"], "did you mean 'timezone'?", id="case"),
        pytest.param("xyz", ["timezone", "owner"], None, id="nothing-close"),
        pytest.param("prodcts", [], None, id="no-choices"),
    ],
)
def test_did_you_mean(word: str, choices: Any, expected: str | None) -> None:
    assert fields.did_you_mean(word, choices) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09:00", time(9)),
        ("9:30", time(9, 30)),
        ("23:59", time(23, 59)),
        ("00:00", time(0)),
        (" 7:05 ", time(7, 5)),
    ],
)
def test_parse_time(value: str, expected: time) -> None:
    assert fields.parse_time(value) == expected


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ("25:00", "'25:00' is not a time of day", "use a 24-hour time from 00:00 to 23:59"),
        ("9:75", "'9:75' is not a time of day", "use a 24-hour time from 00:00 to 23:59"),
        ("noon", "'noon' is not a time of day", 'write it as "HH:MM" on a 24-hour clock'),
        (930, "'930' is not a time of day", 'write it as "HH:MM"'),
        ("9.30", "'9.30' is not a time of day", 'write it as "HH:MM"'),
    ],
)
def test_parse_time_refuses(value: Any, message: str, hint: str) -> None:
    said, fix, kind = refusal(fields.parse_time, value)
    assert said == message
    assert fix is not None
    assert fix.startswith(hint)
    assert kind == "timing"


def test_times_are_sorted_and_deduplicated() -> None:
    assert fields.parse_times(["17:30", "08:00", "8:00"]) == (time(8), time(17, 30))


def test_a_bad_list_item_carries_its_index() -> None:
    with pytest.raises(PydanticCustomError) as caught:
        fields.parse_times(["08:00", "09:00", "noon"])
    assert (caught.value.context or {})["index"] == 2
    with pytest.raises(PydanticCustomError) as scalar:
        fields.parse_times("noon")
    assert "index" not in (scalar.value.context or {})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2d", timedelta(days=2)),
        ("90s", timedelta(seconds=90)),
    ],
)
def test_parse_duration(value: str, expected: timedelta) -> None:
    assert fields.parse_duration(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("15 minutes", "'15 minutes' is not a length of time"),
        ("0m", "'0m' is zero"),
        (True, "'True' is not a length of time"),
        ("", "'' is not a length of time"),
    ],
)
def test_parse_duration_refuses(value: Any, message: str) -> None:
    assert refusal(fields.parse_duration, value)[0] == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("first monday", (1, 0)),
        ("2nd tue", (2, 1)),
        ("last friday", (LAST, 4)),
        (15, (15, None)),
        ("15", (15, None)),
        ("last day", (LAST_DAY, None)),
        ("last weekday", (LAST_WEEKDAY, None)),
    ],
)
def test_parse_monthly_on(value: Any, expected: tuple[int, int | None]) -> None:
    assert fields.parse_monthly_on(value) == expected


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "fifth monday",
            "'fifth' is not an ordinal gitcron knows: not every month has a fifth monday",
            "use 'last monday', or first, second, third or fourth",
        ),
        ("frist monday", "'frist' is not an ordinal gitcron knows", "did you mean 'first'?"),
        ("first munday", "'munday' is not a day of the week", "did you mean 'monday'?"),
        (32, "32 is not a day of the month", "use a day from 1 to 31, or 'last day'"),
        ("every day", "'every' is not an ordinal gitcron knows", "use first, second"),
    ],
)
def test_parse_monthly_on_refuses(value: Any, message: str, hint: str) -> None:
    said, fix, _ = refusal(fields.parse_monthly_on, value)
    assert said == message
    assert fix is not None
    assert fix.startswith(hint)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("Europe/Lodnon", "did you mean 'Europe/London'?"),
        ("europe/london", "did you mean 'Europe/London'?"),
        ("Mars/Olympus", "use an IANA timezone name like Europe/London"),
        ("EST5EDT/x", "did you mean 'America/New_York'?"),  # never a name gitcron refuses
    ],
)
def test_parse_timezone_refuses(value: str, hint: str) -> None:
    said, fix, kind = refusal(fields.parse_timezone, value)
    assert said == f"'{value}' is not a timezone gitcron knows"
    assert fix is not None
    assert fix.startswith(hint)
    assert kind == "timing"


def test_parse_local_datetime_refuses_an_offset() -> None:
    said, _, _ = refusal(fields.parse_local_datetime, datetime.fromisoformat("2026-12-01T09:00Z"))
    assert said == "'2026-12-01 09:00:00+00:00' carries its own UTC offset"
    assert fields.parse_local_datetime("2026-12-01 09:00") == datetime(2026, 12, 1, 9)


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "secret",
            "this looks like a secret value, and secrets must never be written in files",
        ),
        ("my-secret", "other", "'my-secret' is not the name of an environment variable"),
    ],
)
def test_parse_env_name_refuses(value: str, kind: str, message: str) -> None:
    said, _, found_kind = refusal(fields.parse_env_name, value)
    assert (said, found_kind) == (message, kind)
    assert fields.parse_env_name("ACME_WEBHOOK_SECRET") == "ACME_WEBHOOK_SECRET"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not-an-email", "it has no '@'"),
        ("a@b.com, c@d.com", "write one address per list item"),
        ("a@b.com c@d.com", "write one address per list item"),
        ("a@b.com;c@d.com", "write one address per list item"),
        ("a@b", "The part after the @-sign is not valid. It should have a period"),
    ],
)
def test_parse_email_refuses(value: str, reason: str) -> None:
    said, fix, kind = refusal(parse_email, value)
    assert said == f"'{value}' is not an email address: {reason}"
    assert fix == "write it like name@example.com (or 'Name <name@example.com>'), one per line"
    assert kind == "target"


def test_parse_emails() -> None:
    assert parse_emails("a@example.com") == ("a@example.com",)
    assert parse_emails(["a@example.com", "Ann <ann@example.com>"]) == (
        "a@example.com",
        "Ann <ann@example.com>",
    )
    assert refusal(parse_emails, [])[0] == "no address given"
    with pytest.raises(PydanticCustomError) as caught:
        parse_emails(["a@example.com", "nope"])
    assert (caught.value.context or {})["index"] == 1
