"""A declared column's CLDR pattern (`render.formats`) as an Excel number format.

Excel writes `#,##0.00` with the separators of the machine that opens the file, so a workbook's
numbers are never "wrong" for its reader; what the locale decides is the rest: where a currency's
symbol goes (`€1,234.50` or `1.234,50 €`), the order of a date's parts, and the language of month
and weekday names, which Excel takes from a locale id written into the format (`[$-407]` is
German). The ids below are Windows' (MS-LCID) for the locales a customer file accepts.
"""

from __future__ import annotations

import itertools
import re

from gitcron.render.formats import Resolved

LCIDS: dict[str, int] = {
    "en-US": 0x0409,
    "en-GB": 0x0809,
    "en-IE": 0x1809,
    "en-AU": 0x0C09,
    "en-CA": 0x1009,
    "de-DE": 0x0407,
    "de-AT": 0x0C07,
    "de-CH": 0x0807,
    "fr-FR": 0x040C,
    "fr-CH": 0x100C,
    "nl-NL": 0x0413,
    "es-ES": 0x0C0A,
    "it-IT": 0x0410,
    "pt-BR": 0x0416,
    "sv-SE": 0x041D,
    "nb-NO": 0x0414,
    "da-DK": 0x0406,
    "fi-FI": 0x040B,
    "pl-PL": 0x0415,
    "ja-JP": 0x0411,
    "zh-CN": 0x0804,
}
_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[#0,.]+|.", re.DOTALL)
_NUMBER_CORE = re.compile(r"^[#0,.]+$")
_PLAIN = frozenset(" -/.,:()")  # characters Excel shows as they are in a date format
# CLDR letter runs -> Excel's codes, by letter and run length (the longest applies beyond)
_DATE_CODES: dict[str, list[str]] = {
    "y": ["yyyy", "yy", "yyyy"],
    "M": ["m", "mm", "mmm", "mmmm", "mmmmm"],
    "L": ["m", "mm", "mmm", "mmmm", "mmmmm"],
    "d": ["d", "dd"],
    "E": ["ddd", "ddd", "ddd", "dddd"],
    "H": ["h", "hh"],
    "h": ["h", "hh"],
    "m": ["m", "mm"],
    "s": ["s", "ss"],
    "a": ["AM/PM"],
}


def excel_format(resolved: Resolved, locale_name: str | None) -> str:
    """The Excel number format showing what `resolved` shows."""
    if resolved.numeric:
        return _number(resolved)
    return _date(resolved.pattern, locale_name)


def _number(resolved: Resolved) -> str:
    parts: list[str] = []
    for match in _TOKEN.finditer(resolved.pattern):
        token = match.group(0)
        if _NUMBER_CORE.match(token) or token == "%":
            parts.append(token)
        elif token == "¤":
            parts.append(_quoted(resolved.symbol))
        else:
            parts.append(_quoted(_unquoted(token)))
    return "".join(_merged(parts))


def _date(pattern: str, locale_name: str | None) -> str:
    parts: list[str] = []
    names = False  # month or weekday names: shown in the locale's language
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        letter = match.group(1)
        if letter in _DATE_CODES:
            codes = _DATE_CODES[letter]
            code = codes[min(len(token), len(codes)) - 1]
            names = names or code.startswith(("mmm", "ddd"))
            parts.append(code)
        elif letter is not None or token.startswith("'"):
            parts.append(_quoted(_unquoted(token)))
        else:
            parts.append(token if token in _PLAIN else _quoted(token))
    text = "".join(_merged(parts))
    lcid = LCIDS.get(locale_name or "")
    return f"[$-{lcid:X}]{text}" if names and lcid else text


def _merged(parts: list[str]) -> list[str]:
    """Neighbouring quoted pieces as one (`"a""b"` reads as a quote in Excel): `"ab"`."""
    out: list[str] = []
    for quoted, group in itertools.groupby(parts, key=lambda p: p.startswith('"')):
        pieces = list(group)
        out.append('"' + "".join(p[1:-1] for p in pieces) + '"' if quoted else "".join(pieces))
    return out


def _unquoted(token: str) -> str:
    """CLDR text: `'at'` → `at`, `''` → `'`."""
    if token.startswith("'") and len(token) > 1:
        return token[1:-1].replace("''", "'") or "'"
    return token


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""
