"""Value types shared by schedule files and gitcron.yaml, each with an error anyone can act on.

Every parser here raises `bad(...)`, a pydantic error carrying our own phrase and a fix, so that
`validate` can print `'munday' is not a day of the week. Did you mean 'monday'?` rather than
pydantic's wording.

Over 250 lines on purpose: each parser sits beside the JSON Schema type editors see for it (the
last section), so the two cannot drift apart, and every model imports its scalars from one place.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from importlib import resources
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from gitcron.config.zones import accepted, suggest
from gitcron.timing.spec import LAST, LAST_DAY, LAST_WEEKDAY, WEEKDAYS
from gitcron.timing.words import listing

T = TypeVar("T")


def memo(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Cache a parser on text input: thousands of files repeat the same times, zones and names."""
    cached = functools.lru_cache(maxsize=8192)(fn)

    @functools.wraps(fn)
    def parse(value: Any) -> T:
        return cached(value) if type(value) is str else fn(value)

    return parse


def bad(message: str, hint: str | None = None, kind: str = "other") -> PydanticCustomError:
    """A validation error whose message and fix reach the user verbatim."""
    return PydanticCustomError("gitcron", message, {"hint": hint, "kind": kind})


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice; on a tie, one with the same first letter ('munday' -> 'monday')."""
    word = word.lower()
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return None
    best = max(  # the score get_close_matches ranked by, then the first letter
        close,
        key=lambda c: (round(difflib.SequenceMatcher(None, c, word).ratio(), 9), c[:1] == word[:1]),
    )
    return f"did you mean '{best}'?"


def each(value: Any, parse: Callable[[Any], T]) -> list[T]:
    """Parse a list item by item; an item's error carries its index, so it is shown on its line."""
    if not isinstance(value, list):
        return [parse(value)]
    parsed = []
    for index, item in enumerate(value):
        try:
            parsed.append(parse(item))
        except PydanticCustomError as error:
            context = {**(error.context or {}), "index": index}
            raise PydanticCustomError(error.type, error.message_template, context) from None
    return parsed


# --- times and durations -----------------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@memo
def parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    text = str(value).strip()
    match = _TIME.match(text)
    if isinstance(value, str) and match:
        return time(int(match[1]), int(match[2]))
    if isinstance(value, str) and re.match(r"^\d{1,2}:\d{2}$", text):
        raise bad(
            f"'{text}' is not a time of day",
            "use a 24-hour time from 00:00 to 23:59",
            kind="timing",
        )
    raise bad(
        f"'{text}' is not a time of day",
        'write it as "HH:MM" on a 24-hour clock, e.g. "09:30" or "17:00"',
        kind="timing",
    )


def parse_times(value: Any) -> tuple[time, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise bad("no time given", 'add at least one time, e.g. at: "09:00"', kind="timing")
    return tuple(sorted(set(each(value, parse_time))))


_DURATION = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$")


@memo
def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    text = str(value).strip().lower()
    match = _DURATION.match(text) if text else None
    if not match or not any(match.groups()) or isinstance(value, bool):
        raise bad(
            f"'{value}' is not a length of time",
            "write a number and a unit: 90s, 15m, 6h, 2d or combined like 1h30m",
        )
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    result = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if not result:
        raise bad(f"'{value}' is zero", "give a length of time greater than zero")
    return result


# --- days ----------------------------------------------------------------------------------------

_DAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)} | {
    name[:3]: i for i, name in enumerate(WEEKDAYS)
}


@memo
def parse_weekday(value: Any) -> int:
    text = str(value).strip().lower()
    if text in _DAY_NAMES:
        return _DAY_NAMES[text]
    raise bad(
        f"'{value}' is not a day of the week",
        did_you_mean(text, WEEKDAYS) or f"use one of {listing(WEEKDAYS, 'or')}",
        kind="timing",
    )


def parse_weekdays(value: Any) -> frozenset[int]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise bad("no day given", "add at least one day, e.g. on: monday", kind="timing")
    if items == ["weekdays"]:
        return frozenset(range(5))
    return frozenset(each(value, parse_weekday))


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": LAST}
_ORDINAL_ALIASES = ORDINALS | {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


@memo
def parse_monthly_on(value: Any) -> tuple[int, int | None]:
    """`first monday` -> (1, 0); `15` -> (15, None); `last day` -> (LAST_DAY, None)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= 31:
            return value, None
        raise bad(f"{value} is not a day of the month", "use a day from 1 to 31, or 'last day'")
    words = str(value).strip().lower().split()
    if len(words) == 1 and words[0].isdigit():
        return parse_monthly_on(int(words[0]))
    if words == ["last", "day"]:
        return LAST_DAY, None
    if words in (["last", "weekday"], ["last", "business", "day"]):
        return LAST_WEEKDAY, None
    if len(words) == 2:
        ordinal, day = words
        if ordinal in ("fifth", "5th"):
            raise bad(
                f"'{ordinal}' is not an ordinal gitcron knows: not every month has a fifth {day}",
                f"use 'last {day}', or first, second, third or fourth",
                kind="timing",
            )
        if ordinal not in _ORDINAL_ALIASES:
            raise bad(
                f"'{ordinal}' is not an ordinal gitcron knows",
                did_you_mean(ordinal, ORDINALS) or "use first, second, third, fourth or last",
                kind="timing",
            )
        return _ORDINAL_ALIASES[ordinal], parse_weekday(day)
    raise bad(
        f"'{value}' is not a day of the month",
        "write a day (15), 'last day', 'last weekday', or an ordinal and a weekday"
        " ('first monday', 'last friday')",
        kind="timing",
    )


def parse_local_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise bad(
                f"'{value}' carries its own UTC offset",
                "write the local time without an offset; the schedule's timezone applies",
                kind="timing",
            )
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise bad(
            f"'{text}' is not a date and time",
            'write it as "YYYY-MM-DD HH:MM", e.g. "2026-12-01 09:00"',
            kind="timing",
        ) from None
    return parse_local_datetime(parsed)


# --- timezones -----------------------------------------------------------------------------------


@functools.cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@memo
def parse_timezone(value: Any) -> str:
    text = str(value).strip()
    try:
        if accepted(text):
            zone(text)
            return text
    except (ZoneInfoNotFoundError, ValueError):
        pass
    hint = suggest(text) or "use an IANA timezone name like Europe/London, America/New_York or UTC"
    raise bad(f"'{text}' is not a timezone gitcron knows", hint, kind="timing")


# --- names of things ----------------------------------------------------------------------------

_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_SECRETISH = re.compile(
    r"^(?:whsec_|sk_|pk_|rk_|ghp_|gho_|ghs_|github_pat_|xox[abpr]-|AKIA|ASIA|SG\.|key-)"
    r"|^[A-Za-z0-9+/=_\-.]{20,}$"
)


def looks_secret(text: str) -> bool:
    """True for strings shaped like tokens or keys rather than words."""
    if _SECRETISH.match(text) is None:
        return False
    return text.startswith(("whsec_", "sk_", "ghp_", "github_pat_", "xox", "AKIA", "SG.")) or (
        any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
    )


@memo
def parse_env_name(value: Any) -> str:
    text = str(value).strip()
    if _ENV.match(text):
        return text
    if looks_secret(text):
        raise bad(
            "this looks like a secret value, and secrets must never be written in files",
            "store it as a repository secret and write the name of its environment variable"
            " here, e.g. ACME_WEBHOOK_SECRET",
            kind="secret",
        )
    raise bad(
        f"'{text}' is not the name of an environment variable",
        "write the variable's name in UPPER_SNAKE_CASE, e.g. ACME_WEBHOOK_SECRET",
    )


_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@memo
def parse_slug(value: Any) -> str:
    text = str(value).strip()
    if _SLUG.match(text) and ".." not in text:
        return text
    raise bad(
        f"'{text}' is not a valid name",
        "use letters, digits, '-', '_' or '.', starting with a letter or digit (at most 64)",
    )


# --- JSON Schema types for editors ---------------------------------------------------------------
# Each pattern accepts what its parser accepts: the parsers strip spaces and ignore case, so the
# patterns allow spaces around and spell words in either case (ECMA-262 patterns have no flags).


def any_case(words: Iterable[str]) -> str:
    """`(?:[fF][iI]...|...)`: JSON Schema patterns (ECMA-262) have no case-insensitive flag."""
    spelled = ("".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in w) for w in words)
    return "(?:" + "|".join(spelled) + ")"


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    """One value, or a list of at least one (the parsers refuse an empty list)."""
    return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}


_TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*([01]?\d|2[0-3]):[0-5]\d\s*$",
    "examples": ["09:00"],
}
TimeOfDay = Annotated[time, BeforeValidator(parse_time), WithJsonSchema(_TIME_SCHEMA)]
Times = Annotated[
    tuple[time, ...], BeforeValidator(parse_times), WithJsonSchema(_list_of(_TIME_SCHEMA))
]
_DAY_NAMES_SHOWN = [name for day in WEEKDAYS for name in (day, day[:3])]
_DAY_SCHEMA = {  # the names offered for completion, then every spelling parse_weekday reads
    "anyOf": [
        {"enum": [*_DAY_NAMES_SHOWN, *(n.title() for n in _DAY_NAMES_SHOWN)]},
        {"type": "string", "pattern": rf"^\s*{any_case(_DAY_NAMES)}\s*$"},
    ],
    "examples": ["monday", "fri"],
}
_WEEKDAYS_WORD = {"const": "weekdays", "description": "Monday to Friday"}
Weekdays = Annotated[
    frozenset[int],
    BeforeValidator(parse_weekdays),
    WithJsonSchema(
        {
            "anyOf": [
                _WEEKDAYS_WORD,
                *_list_of(_DAY_SCHEMA)["anyOf"],
                {"type": "array", "items": _WEEKDAYS_WORD, "minItems": 1, "maxItems": 1},
            ]
        }
    ),
]
_MONTHLY_ON_PATTERN = (
    rf"^\s*(?:{any_case(_ORDINAL_ALIASES)}\s+{any_case(_DAY_NAMES)}"
    rf"|{any_case(['last'])}\s+{any_case(['day', 'weekday'])}"
    rf"|{any_case(['last'])}\s+{any_case(['business'])}\s+{any_case(['day'])}"
    r"|0*(?:[1-9]|[12]\d|3[01]))\s*$"
)
MonthlyOn = Annotated[
    tuple[int, int | None],
    BeforeValidator(parse_monthly_on),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 31},
                {"type": "string", "pattern": _MONTHLY_ON_PATTERN},
            ],
            "examples": ["first monday", "last friday", 15, "last day", "last weekday"],
        }
    ),
]
# A number and a unit, any case, spaces allowed between the parts; some digit other than 0, so
# that the length is not zero (which parse_duration refuses).
_DURATION_PATTERN = (
    r"^\s*(?=[\s\S]*[1-9])(?:\d+[dD])?\s*(?:\d+[hH])?\s*(?:\d+[mM])?\s*(?:\d+[sS])?\s*$"
)
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "pattern": _DURATION_PATTERN, "examples": ["15m", "1h30m"]}),
]
# `YYYY-MM-DD`, then optionally a time (`09`, `09:00`, `09:00:30.5`), without an offset.
_LOCAL_DATETIME_PATTERN = (
    r"^\s*\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"(?:[T ](?:[01]\d|2[0-3])(?::?[0-5]\d(?::?[0-5]\d(?:[.,]\d+)?)?)?)?\s*$"
)
LocalDateTime = Annotated[
    datetime,
    BeforeValidator(parse_local_datetime),
    WithJsonSchema(
        {"type": "string", "pattern": _LOCAL_DATETIME_PATTERN, "examples": ["2026-12-01 09:00"]}
    ),
]


@functools.cache
def timezone_names() -> list[str]:
    """Every name parse_timezone accepts from the tz database gitcron depends on (tzdata), sorted.

    Read from tzdata's own list rather than `available_timezones()`, which adds whatever the
    machine has installed: the published schema must not depend on the machine that wrote it.
    """
    listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return sorted(name for name in set(listed) if "/" in name or name in ("UTC", "GMT"))


class _TimezoneSchema:
    """The names as an enum, so editors complete them; computed only when a schema is made."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "enum": timezone_names(),
            "examples": ["Europe/London", "America/New_York", "UTC"],
        }


Timezone = Annotated[str, BeforeValidator(parse_timezone), _TimezoneSchema()]
EnvName = Annotated[
    str,
    BeforeValidator(parse_env_name),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*[A-Z_][A-Z0-9_]*\s*$",
            "examples": ["ACME_WEBHOOK_SECRET"],
        }
    ),
]
Slug = Annotated[
    str,
    BeforeValidator(parse_slug),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\s*(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}\s*$"}
    ),
]
