"""What to write instead of a timezone gitcron refuses: `Paris` -> Europe/Paris, `EST` -> a city.

People name a zone the way they say it: a city (`Paris`, `new york`), an abbreviation from an
email signature (`EST`, `CET`), an offset (`UTC+2`). gitcron wants the tz database's region names,
whose clocks follow daylight saving, so the fix names one: matched on the name's last part,
ignoring case, spaces and underscores, then by spelling. Abbreviations and offsets are not places,
so they get a city and a note on what the abbreviation misses; the suggestion is never the refused
name itself, nor another name gitcron would refuse.
"""

from __future__ import annotations

import difflib
import functools
import re
from zoneinfo import available_timezones

# The areas of the tz database's region names; the others (US/, Canada/, Etc/...) are older links.
_REGIONS = ("Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian")

# (names people write, the zone to use, its winter abbreviation, its summer one or None)
_ABBREVIATIONS: tuple[tuple[tuple[str, ...], str, str, str | None], ...] = (
    (("EST", "EDT", "ET", "EST5EDT", "Eastern"), "America/New_York", "EST", "EDT"),
    (("CST", "CDT", "CT", "CST6CDT", "Central"), "America/Chicago", "CST", "CDT"),
    (("MST", "MDT", "MT", "MST7MDT", "Mountain", "Navajo"), "America/Denver", "MST", "MDT"),
    (("PST", "PDT", "PT", "PST8PDT", "Pacific"), "America/Los_Angeles", "PST", "PDT"),
    (("AKST", "AKDT"), "America/Anchorage", "AKST", "AKDT"),
    (("AST", "ADT"), "America/Halifax", "AST", "ADT"),
    (("NST", "NDT"), "America/St_Johns", "NST", "NDT"),
    (("HST",), "Pacific/Honolulu", "HST", None),
    (("BST", "GB", "GB-Eire"), "Europe/London", "GMT", "BST"),
    (("IST",), "Asia/Kolkata", "IST", None),
    (("WET", "WEST", "Portugal"), "Europe/Lisbon", "WET", "WEST"),
    (("CET", "CEST", "MET", "MEST"), "Europe/Paris", "CET", "CEST"),
    (("EET", "EEST"), "Europe/Athens", "EET", "EEST"),
    (("MSK", "W-SU"), "Europe/Moscow", "MSK", None),
    (("JST", "Japan"), "Asia/Tokyo", "JST", None),
    (("KST", "ROK"), "Asia/Seoul", "KST", None),
    (("HKT", "Hongkong"), "Asia/Hong_Kong", "HKT", None),
    (("SGT",), "Asia/Singapore", "SGT", None),
    (("AEST", "AEDT"), "Australia/Sydney", "AEST", "AEDT"),
    (("ACST", "ACDT"), "Australia/Adelaide", "ACST", "ACDT"),
    (("AWST",), "Australia/Perth", "AWST", None),
    (("NZST", "NZDT", "NZ"), "Pacific/Auckland", "NZST", "NZDT"),
    (("SAST",), "Africa/Johannesburg", "SAST", None),
    (("EAT",), "Africa/Nairobi", "EAT", None),
    (("WAT",), "Africa/Lagos", "WAT", None),
    (("CAT",), "Africa/Maputo", "CAT", None),
    (("PRC",), "Asia/Shanghai", "CST", None),
    (("ROC",), "Asia/Taipei", "CST", None),
    (("Eire",), "Europe/Dublin", "GMT", "IST"),
    (("Iceland",), "Atlantic/Reykjavik", "GMT", None),
    (("Iran",), "Asia/Tehran", "IRST", None),
    (("Israel",), "Asia/Jerusalem", "IST", "IDT"),
    (("Egypt",), "Africa/Cairo", "EET", "EEST"),
    (("Cuba",), "America/Havana", "CST", "CDT"),
    (("Poland",), "Europe/Warsaw", "CET", "CEST"),
    (("Turkey",), "Europe/Istanbul", "TRT", None),
    (("Libya",), "Africa/Tripoli", "EET", None),
    (("UCT", "Universal", "Zulu", "Z", "GMT0", "GMT+0", "GMT-0", "Greenwich"), "UTC", "UTC", None),
)

# Offsets with no whole-hour Etc/GMT zone, and a city that keeps them.
_ODD_OFFSETS = {
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (9, 30): "Australia/Adelaide",
    (10, 30): "Australia/Lord_Howe",
    (12, 45): "Pacific/Chatham",
    (-3, 30): "America/St_Johns",
    (-9, 30): "Pacific/Marquesas",
}
# A well-known city for each whole-hour offset (its standard time), to show with Etc/GMT's form.
_CITIES = {
    -11: "Pacific/Pago_Pago",
    -10: "Pacific/Honolulu",
    -9: "America/Anchorage",
    -8: "America/Los_Angeles",
    -7: "America/Denver",
    -6: "America/Chicago",
    -5: "America/New_York",
    -4: "America/Halifax",
    -3: "America/Sao_Paulo",
    -2: "America/Noronha",
    -1: "Atlantic/Azores",
    1: "Europe/Paris",
    2: "Europe/Athens",
    3: "Europe/Moscow",
    4: "Asia/Dubai",
    5: "Asia/Karachi",
    6: "Asia/Dhaka",
    7: "Asia/Bangkok",
    8: "Asia/Singapore",
    9: "Asia/Tokyo",
    10: "Australia/Sydney",
    11: "Pacific/Noumea",
    12: "Pacific/Auckland",
    13: "Pacific/Tongatapu",
    14: "Pacific/Kiritimati",
}
_OFFSET = re.compile(r"^(?:UTC|GMT|Z)?\s*([+-])\s*(\d{1,2})(?:[:.h]?(\d{2}))?$", re.I)
_SEPARATORS = re.compile(r"[\s_\-]+")


def _key(text: str) -> str:
    """`New_York`, `new york`, `New-York` -> `newyork`."""
    return _SEPARATORS.sub("", text).lower()


def accepted(name: str) -> bool:
    """The names gitcron takes: region names with a `/`, and UTC or GMT."""
    return "/" in name or name in ("UTC", "GMT")


@functools.cache
def _names() -> tuple[str, ...]:
    """Every accepted name, region names first, so the first match found is the one to suggest."""
    names = [n for n in available_timezones() if accepted(n) and not n.startswith("Etc/")]
    area = {region: rank for rank, region in enumerate(_REGIONS)}
    return tuple(sorted(names, key=lambda n: (area.get(n.split("/")[0], 99), n.count("/"), n)))


@functools.cache
def _by_key() -> tuple[dict[str, str], dict[str, str]]:
    """Whole names and last parts (`paris`), without separators, to the name to suggest."""
    whole: dict[str, str] = {}
    last: dict[str, str] = {}
    for name in _names():
        whole.setdefault(_key(name), name)
        last.setdefault(_key(name.rsplit("/", 1)[-1]), name)
    return whole, last


@functools.cache
def _abbreviations() -> dict[str, tuple[str, str, str | None]]:
    return {_key(n): (zone, w, s) for names, zone, w, s in _ABBREVIATIONS for n in names}


def _said(zone: str, refused: str, winter: str, summer: str | None) -> str:
    mean = f"did you mean '{zone}'?"
    if summer is None or refused.upper() not in (winter, summer):
        return mean
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    switches = f"{place} switches between {winter} in winter and {summer} in summer"
    if refused.upper() == winter:
        return f"{mean} '{refused}' has no daylight saving: {switches}"
    return f"{mean} '{refused}' is only the summer time: {switches}"


def _offset(sign: str, hours: int, minutes: int) -> str | None:
    signed = hours if sign == "+" else -hours
    if minutes:
        city = _ODD_OFFSETS.get((signed, minutes))
        if city is None:
            return None
        return (
            f"no tz name is a fixed offset of {sign}{hours}:{minutes:02}: use the city whose clock"
            f" you mean, e.g. '{city}'"
        )
    if hours == 0:
        return "did you mean 'UTC'?"
    if not -12 <= signed <= 14:  # the range of the Etc/GMT zones
        return None
    inverted = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    fixed = f"'{inverted}' for UTC{sign}{hours} all year round (the sign is turned around)"
    city = _CITIES.get(signed)
    if city is None:
        return f"write {fixed}"
    return (
        f"write the city whose clock you mean, e.g. '{city}', and its daylight saving comes"
        f" with it; or {fixed}"
    )


@functools.lru_cache(maxsize=1024)
def suggest(text: str) -> str | None:
    """A fix for a refused zone name, or None when nothing is close."""
    key = _key(text)
    if not key:
        return None
    known = _abbreviations().get(key)
    if known:
        return _said(*(known[0], text.strip(), known[1], known[2]))
    offset = _OFFSET.match(text.strip())
    if offset:
        sign, hours, minutes = offset[1], int(offset[2]), int(offset[3] or 0)
        return _offset(sign, hours, minutes)
    whole, last = _by_key()
    found = whole.get(key) or last.get(key) or _closest(key, whole, last)
    if found is None and "/" in text:  # `EST5EDT/x`, `Mars/Paris`: one of its parts may be known
        head, tail = text.strip().rsplit("/", 1)
        return suggest(tail) or suggest(head)
    if found is None or found == text.strip():
        return None
    return f"did you mean '{found}'?"


def _closest(key: str, whole: dict[str, str], last: dict[str, str]) -> str | None:
    """By spelling, on whole names (`europe/pari`) or on their last part (`lodnon`)."""
    pool = whole if "/" in key else last
    close = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.75)
    return pool[close[0]] if close else None
