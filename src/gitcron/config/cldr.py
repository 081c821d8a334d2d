"""A customer's locale as Babel reads it: the one place a locale name becomes CLDR's locale.

A customer file names its locale as people write it (`de-DE`); Babel (CLDR, the Unicode locale
data every platform formats with) parses it. Every text gitcron writes in the customer's locale
goes through `babel_locale`: the day in a subject (`gitcron.config.long_dates`) and the declared
column formats of a file (`gitcron.render.formats`), so both read alike. Without a locale, British
English: gitcron's own texts are English, and `7 December 2026` cannot be misread.

Babel is imported inside the function, where a text is written: a tick with nothing due, and
a validate of files that format nothing, never load its locale data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DEFAULT_LOCALE = "en-GB"  # without a customer locale: British English


def babel_locale(name: str | None) -> Locale:
    """`de-DE` (the customer file's form) as Babel's Locale; British English when none is given."""
    from babel import Locale

    return Locale.parse(name or DEFAULT_LOCALE, sep="-")
