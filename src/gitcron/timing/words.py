"""Words every message shares: "a, b and c", "the second Monday", "6 hours".

Validation messages, cron explanations, the pull-request preview and delivery notes all say
these; one wording here keeps them from drifting apart. It sits in timing, the lowest package
that uses it (cron's own messages list months), so config and everything above can import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from gitcron.timing.spec import LAST

NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", LAST: "last"}
_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60))


def listing(items: Iterable[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'; with last='or', 'a, b or c'."""
    words = list(items)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def duration_words(
    delta: timedelta, *, days: bool = True, short: bool = False, floor_minutes: bool = False
) -> str:
    """In the largest unit that counts it whole: '2 days', '6 hours', '90 minutes', '45 seconds'.

    days=False stops at hours ('48 hours'). short=True spells it as gitcron.yaml does ('2d',
    '90m', '45s'). floor_minutes=True counts anything of a minute or more in whole minutes,
    rounded down ('1m30s' reads '1 minute'), as the pull-request preview always has.
    """
    seconds = int(delta.total_seconds())
    if floor_minutes and seconds >= 60:
        seconds = int(delta.total_seconds() // 60) * 60
    for name, size in _UNITS if days else _UNITS[1:]:
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return f"{count}{name[0]}" if short else f"{count} {name}{'s' * (count != 1)}"
    return f"{seconds}s" if short else f"{seconds} seconds"


def duration_text(value: timedelta) -> str:
    """`6h`, `1m30s`, `2d1s`: any length of time exactly, as schedule files write it (duration_words
    with short=True rounds to one unit, for messages)."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"
