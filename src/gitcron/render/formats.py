"""Declared column formats in the customer's locale, resolved once per file with Babel (CLDR).

A column's `format` (gitcron.yaml, `gitcron.config.columns`) and the customer file's `locale`
become one CLDR pattern per column: `#,##0.00 ¤` for `{currency: EUR}` in de-DE, `d MMM y` for
`date` in en-GB. The PDF applies that pattern to each value with Babel; the workbook gets the same
pattern as an Excel number format (`render.excel_formats`), so both files read alike. Babel holds
CLDR, the Unicode locale data every platform formats with: separators, currency symbols and their
place, month names, date order; a table of our own would drift from it.

Undeclared number columns in the PDF still follow the locale's separators (`1.234,50` in de-DE),
through `separators` and str.translate (fast: no Babel call a cell); undeclared dates stay ISO
(`2026-12-07`), unambiguous everywhere. The PDF's standard fonts draw WinAnsi only, so a currency
symbol outside it (`zł`) is written as its ISO code there. Babel is imported inside the
functions, only when a file declares a format or has a locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from gitcron.config.cldr import babel_locale
from gitcron.config.columns import Column, ColumnFormat
from gitcron.core.run import RunScope
from gitcron.render.base import local

if TYPE_CHECKING:
    from babel import Locale

NUMERIC = frozenset({"number", "currency", "percent"})  # the formats of numbers: right-aligned
_CORE = re.compile(r"[#0,.]+")  # the digits part of a CLDR number pattern
# WinAnsi (the PDF's standard fonts) has no narrow no-break space (fr-FR groups with it)
PDF_SAFE = str.maketrans({"\u202f": "\u00a0"})

Show = Callable[[Any], str]
_STYLES: dict[str, Literal["short", "medium", "long", "full"]] = {
    "short": "short",
    "medium": "medium",
    "long": "long",
    "full": "full",
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """One column's format in one locale: a CLDR pattern, a number's or a date's."""

    kind: str  # number, currency, percent, date or datetime (ColumnFormat.kind)
    pattern: str
    currency: str | None = None
    symbol: str = ""  # the currency's symbol in the locale (€, US$, CHF)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


def resolve(fmt: ColumnFormat, locale: Locale, places: int = 0) -> Resolved:
    """The pattern of `fmt` in `locale`; `places` are the data's decimals where none is declared."""
    from babel.dates import get_date_format, get_time_format
    from babel.numbers import get_currency_precision, get_currency_symbol

    if fmt.kind == "number":
        return Resolved("number", core(places if fmt.places is None else fmt.places))
    if fmt.kind == "currency":
        code = fmt.currency or "XXX"
        standard = _positive(locale.currency_formats["standard"].pattern)
        pattern = _CORE.sub(core(get_currency_precision(code)), standard, count=1)
        return Resolved("currency", pattern, code, get_currency_symbol(code, locale))
    if fmt.kind == "percent":
        standard = _positive(locale.percent_formats[None].pattern)
        return Resolved("percent", _CORE.sub(core(fmt.places or 0), standard, count=1))
    style = fmt.style or "medium"
    named = _STYLES.get(style)
    if named is None:  # a pattern of its own
        return Resolved(fmt.kind, style)
    day = get_date_format(named, locale=locale).pattern
    if fmt.kind == "date":
        return Resolved("date", day)
    glue = str(locale.datetime_formats.get(style, "{1} {0}"))
    hours = get_time_format("short", locale=locale).pattern  # hours and minutes, no zone
    return Resolved("datetime", glue.replace("{1}", day).replace("{0}", hours))


def core(places: int) -> str:
    """`#,##0` with `places` zeros after the point: grouped, always that many decimals."""
    return "#,##0" + ("." + "0" * places if places else "")


def _positive(pattern: str) -> str:
    """A CLDR number pattern's positive half (before an unquoted `;`)."""
    return pattern.split(";", 1)[0]


def shower(resolved: Resolved, locale: Locale, ctx: RunScope) -> Show:
    """A function from a value to its text under `resolved`; values of another kind than the
    format reads (text in a number column) are shown as they are."""
    from babel.dates import parse_pattern as date_pattern
    from babel.numbers import parse_pattern as number_pattern

    if resolved.numeric:
        code, text = resolved.currency, resolved.pattern
        if code and not drawable(resolved.symbol):  # `zł`: the PDF's fonts cannot draw it
            text = text.replace("¤", "¤¤")  # CLDR's ISO code instead: `1 234,50 PLN`
        pattern = number_pattern(text)

        def number(value: Any) -> str:
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                return _plain(value)
            if isinstance(value, float) and value - value != 0:
                return ""  # NaN, infinities
            if isinstance(value, Decimal) and not value.is_finite():
                return ""
            return str(pattern.apply(value, locale, currency=code)).translate(PDF_SAFE)

        return number
    moment = date_pattern(resolved.pattern)

    def day(value: Any) -> str:
        if isinstance(value, datetime):
            value = local(value, ctx)
        elif isinstance(value, date):
            value = datetime(value.year, value.month, value.day)  # a pattern may show hours
        else:
            return _plain(value)
        return str(moment.apply(value, locale)).translate(PDF_SAFE)

    return day


def drawable(text: str) -> bool:
    """Whether the PDF's standard fonts (WinAnsi, that is cp1252) can draw `text`."""
    try:
        text.translate(PDF_SAFE).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def shows_numbers(column: Column | None) -> bool:
    """Declared as number, currency or percent: right-aligned in the PDF, as numbers are."""
    return column is not None and column.format is not None and column.format.kind in NUMERIC


def column_showers(
    declared: list[Column | None], places: list[int], locale_name: str | None, ctx: RunScope
) -> list[Show | None]:
    """Each column's text function when it declares a format, else None (the default text)."""
    if not any(column and column.format for column in declared):
        return [None] * len(declared)
    locale = babel_locale(locale_name)
    shown: list[Show | None] = []
    for index, column in enumerate(declared):
        if column is None or column.format is None:
            shown.append(None)
            continue
        data_places = places[index] if index < len(places) else 0
        shown.append(shower(resolve(column.format, locale, data_places), locale, ctx))
    return shown


@dataclass(frozen=True, slots=True)
class Separators:
    """How a locale writes the point and the thousands of an undeclared number."""

    decimal: str
    group: str

    def table(self) -> dict[int, str] | None:
        """For str.translate on `f"{x:,.2f}"`; None when the locale writes it that way already."""
        if (self.decimal, self.group) == (".", ","):
            return None
        return str.maketrans({",": self.group, ".": self.decimal})


def separators(locale_name: str | None) -> Separators:
    """The locale's decimal and group symbols, PDF-safe; `.` and `,` without a locale."""
    if locale_name is None:
        return Separators(".", ",")
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = babel_locale(locale_name)
    return Separators(
        get_decimal_symbol(locale).translate(PDF_SAFE), get_group_symbol(locale).translate(PDF_SAFE)
    )
