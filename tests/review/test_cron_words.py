"""Cron in words says which days run: either day field, or both when one starts with `*`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from gitcron.review.words import cron_words
from gitcron.timing import next_fires
from gitcron.timing.spec import Cron, Timing
from support import utc


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("0 9 */2 * 1", "at 09:00, every 2 days, when that day is also a Monday"),
        ("0 9 */2 * 1,5", "at 09:00, every 2 days, when that day is also a Monday or Friday"),
        ("0 9 1,15 * 1", "at 09:00, on day 1 and 15 of the month, or on Monday"),
        ("0 9 1-7 * 1", "at 09:00, between day 1 and 7 of the month, or on Monday"),
        ("0 9 * * 1", "at 09:00, only on Monday"),
    ],
)
def test_the_words_say_or_only_when_cron_runs_on_either(expr: str, words: str) -> None:
    assert cron_words(Cron(expr)) == f"{words} (cron `{expr}`)"


def test_the_and_words_match_the_fires() -> None:
    """`0 9 */2 * 1`: Mondays on odd days of the month, as `gitcron next` lists them."""
    timing = Timing(Cron("0 9 */2 * 1"), ZoneInfo("Europe/London"))
    fires = [f.at for f in next_fires(timing, utc("2026-11-22T12:00:00"), 4)]
    assert [(f.strftime("%a"), f.day % 2) for f in fires] == [("Mon", 1)] * 4
