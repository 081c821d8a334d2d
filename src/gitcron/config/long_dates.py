"""A day written out as a person writes it in a letter: `7 December 2026`, `December 7, 2026`.

`config.customer.local_day` writes a day in figures (`07/12/2026`), as forms and tables do; a
subject line written by hand names the month. Each locale a customer file may name has its
month names and its order here (the standard library's `%B` follows the machine's locale, not
the customer's). Without a customer locale the day is written in British English, as the rest
of gitcron's default texts are English and `7 December 2026` cannot be misread.
"""

from __future__ import annotations

from datetime import date

from gitcron.config.customer import CustomerFile

_ENGLISH = "January February March April May June July August September October November December"
# language → the months (the form used after a day number) and how a day is written
_MONTHS: dict[str, tuple[str, str]] = {
    "en": (_ENGLISH, "{d} {month} {y}"),
    "en-US": (_ENGLISH, "{month} {d}, {y}"),
    "en-CA": (_ENGLISH, "{month} {d}, {y}"),
    "de": ("Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
           "{d}. {month} {y}"),
    "fr": ("janvier février mars avril mai juin juillet août septembre octobre novembre"
           " décembre", "{d} {month} {y}"),
    "nl": ("januari februari maart april mei juni juli augustus september oktober november"
           " december", "{d} {month} {y}"),
    "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
           " diciembre", "{d} de {month} de {y}"),
    "it": ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre"
           " dicembre", "{d} {month} {y}"),
    "pt": ("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro"
           " dezembro", "{d} de {month} de {y}"),
    "sv": ("januari februari mars april maj juni juli augusti september oktober november"
           " december", "{d} {month} {y}"),
    "nb": ("januar februar mars april mai juni juli august september oktober november desember",
           "{d}. {month} {y}"),
    "da": ("januar februar marts april maj juni juli august september oktober november december",
           "{d}. {month} {y}"),
    "fi": ("tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta"
           " elokuuta syyskuuta lokakuuta marraskuuta joulukuuta", "{d}. {month} {y}"),
    "pl": ("stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października"
           " listopada grudnia", "{d} {month} {y}"),
    "ja": ("", "{y}年{m}月{d}日"),
    "zh": ("", "{y}年{m}月{d}日"),
}  # fmt: skip


def long_day(day: date, customer: CustomerFile | None) -> str:
    """`day` with its month in words, in the customer's locale (`7. Dezember 2026` in de-DE,
    `2026年12月7日` in ja-JP); `7 December 2026` without one."""
    locale = (customer.locale if customer else None) or "en-GB"
    months, pattern = _MONTHS.get(locale) or _MONTHS[locale.split("-")[0]]
    month = months.split()[day.month - 1] if months else ""
    if locale.startswith("fr") and day.day == 1:
        return pattern.format(d="1er", month=month, y=day.year, m=day.month)
    return pattern.format(d=day.day, month=month, y=day.year, m=day.month)
