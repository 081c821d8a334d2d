"""DST gap and overlap rules, zone by zone, with the real transition instants.

Every transition below was computed with zoneinfo (tzdata 2026) before being written down.
Rules: a fixed-time schedule fires once in an overlap (first occurrence) and at the transition
instant for a gap; a cron whose minute or hour starts with `*` fires at both occurrences of an
overlap and not at all in a gap. Expected instants are UTC; the local reading is in comments.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from gitcron.timing import Cron, Daily, Form, MonthlyNth, Timing, Weekly

from .helpers import at, fires

SUNDAY = 6

# fmt: off
CASES: list[tuple[str, str, Form, str, list[str]]] = [
    # --- America/New_York: gap 2026-03-08T07:00Z (02:00 EST -> 03:00 EDT) ---
    ("ny gap daily", "America/New_York", Daily(at("02:30")), "2026-03-07T12:00Z",
     ["2026-03-08T07:00Z",  # 03:00 EDT, the transition instant
      "2026-03-09T06:30Z"]),  # 02:30 EDT
    ("ny gap fixed cron", "America/New_York", Cron("30 2 * * *"), "2026-03-07T12:00Z",
     ["2026-03-08T07:00Z", "2026-03-09T06:30Z"]),
    ("ny gap star cron", "America/New_York", Cron("*/30 * * * *"), "2026-03-08T06:00Z",
     ["2026-03-08T06:30Z",  # 01:30 EST
      "2026-03-08T07:00Z",  # 03:00 EDT (02:00 and 02:30 do not exist)
      "2026-03-08T07:30Z"]),  # 03:30 EDT
    # --- America/New_York: overlap 2026-11-01T06:00Z (02:00 EDT -> 01:00 EST) ---
    ("ny overlap daily", "America/New_York", Daily(at("01:30")), "2026-10-31T12:00Z",
     ["2026-11-01T05:30Z",  # 01:30 EDT, first occurrence only
      "2026-11-02T06:30Z"]),  # 01:30 EST
    ("ny overlap fixed cron", "America/New_York", Cron("30 1 * * *"), "2026-10-31T12:00Z",
     ["2026-11-01T05:30Z", "2026-11-02T06:30Z"]),
    ("ny overlap star cron", "America/New_York", Cron("30 * * * *"), "2026-11-01T04:00Z",
     ["2026-11-01T04:30Z",  # 00:30 EDT
      "2026-11-01T05:30Z",  # 01:30 EDT
      "2026-11-01T06:30Z",  # 01:30 EST
      "2026-11-01T07:30Z"]),  # 02:30 EST
    # --- Europe/London: gap 2026-03-29T01:00Z (01:00 GMT -> 02:00 BST) ---
    ("london gap daily", "Europe/London", Daily(at("01:15")), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z",  # 02:00 BST
      "2026-03-30T00:15Z"]),  # 01:15 BST
    ("london gap fixed cron", "Europe/London", Cron("0 1 * * *"), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z", "2026-03-30T00:00Z"]),
    ("london gap star cron", "Europe/London", Cron("*/20 * * * *"), "2026-03-29T00:30Z",
     ["2026-03-29T00:40Z",  # 00:40 GMT
      "2026-03-29T01:00Z",  # 02:00 BST (01:00-01:40 do not exist)
      "2026-03-29T01:20Z"]),  # 02:20 BST
    # --- Europe/London: overlap 2026-10-25T01:00Z (02:00 BST -> 01:00 GMT) ---
    ("london overlap daily", "Europe/London", Daily(at("01:30")), "2026-10-24T12:00Z",
     ["2026-10-25T00:30Z",  # 01:30 BST
      "2026-10-26T01:30Z"]),  # 01:30 GMT
    ("london overlap fixed cron", "Europe/London", Cron("15 1 * * *"), "2026-10-24T12:00Z",
     ["2026-10-25T00:15Z", "2026-10-26T01:15Z"]),
    ("london overlap star cron", "Europe/London", Cron("*/30 1 * * *"), "2026-10-24T12:00Z",
     ["2026-10-25T00:00Z",  # 01:00 BST
      "2026-10-25T00:30Z",  # 01:30 BST
      "2026-10-25T01:00Z",  # 01:00 GMT
      "2026-10-25T01:30Z",  # 01:30 GMT
      "2026-10-26T01:00Z"]),  # next day 01:00 GMT
    # --- Europe/Berlin: gap 2026-03-29T01:00Z (02:00 CET -> 03:00 CEST) ---
    ("berlin gap weekly", "Europe/Berlin", Weekly(frozenset({SUNDAY}), at("02:30")),
     "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z",  # 03:00 CEST
      "2026-04-05T00:30Z"]),  # 02:30 CEST
    ("berlin gap fixed cron", "Europe/Berlin", Cron("30 2 * * 0"), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z", "2026-04-05T00:30Z"]),
    ("berlin gap star cron", "Europe/Berlin", Cron("0 * * * *"), "2026-03-29T00:30Z",
     ["2026-03-29T01:00Z",  # 03:00 CEST (02:00 does not exist)
      "2026-03-29T02:00Z"]),
    # --- Europe/Berlin: overlap 2026-10-25T01:00Z (03:00 CEST -> 02:00 CET) ---
    ("berlin overlap weekly", "Europe/Berlin", Weekly(frozenset({SUNDAY}), at("02:30")),
     "2026-10-24T12:00Z",
     ["2026-10-25T00:30Z",  # 02:30 CEST
      "2026-11-01T01:30Z"]),  # 02:30 CET
    ("berlin overlap star cron", "Europe/Berlin", Cron("0 * * * *"), "2026-10-24T23:30Z",
     ["2026-10-25T00:00Z",  # 02:00 CEST
      "2026-10-25T01:00Z",  # 02:00 CET
      "2026-10-25T02:00Z"]),  # 03:00 CET
    # --- Australia/Sydney (south): overlap 2026-04-04T16:00Z (Apr 5 03:00 AEDT -> 02:00 AEST) ---
    ("sydney overlap first sunday", "Australia/Sydney", MonthlyNth(1, SUNDAY, at("02:30")),
     "2026-04-01T00:00Z",
     ["2026-04-04T15:30Z",  # Apr 5 02:30 AEDT
      "2026-05-02T16:30Z"]),  # May 3 02:30 AEST
    ("sydney overlap fixed cron #", "Australia/Sydney", Cron("30 2 * * 0#1"), "2026-04-01T00:00Z",
     ["2026-04-04T15:30Z", "2026-05-02T16:30Z"]),
    ("sydney overlap star cron", "Australia/Sydney", Cron("*/30 2 * * *"), "2026-04-04T14:00Z",
     ["2026-04-04T15:00Z",  # 02:00 AEDT
      "2026-04-04T15:30Z",  # 02:30 AEDT
      "2026-04-04T16:00Z",  # 02:00 AEST
      "2026-04-04T16:30Z",  # 02:30 AEST
      "2026-04-05T16:00Z"]),  # Apr 6 02:00 AEST
    # --- Australia/Sydney: gap 2026-10-03T16:00Z (Oct 4 02:00 AEST -> 03:00 AEDT) ---
    ("sydney gap first sunday", "Australia/Sydney", MonthlyNth(1, SUNDAY, at("02:30")),
     "2026-10-01T00:00Z",
     ["2026-10-03T16:00Z",  # Oct 4 03:00 AEDT
      "2026-10-31T15:30Z"]),  # Nov 1 02:30 AEDT
    ("sydney gap star cron", "Australia/Sydney", Cron("*/30 2 * * *"), "2026-10-03T12:00Z",
     ["2026-10-04T15:00Z",  # Oct 5 02:00 AEDT: nothing on Oct 4
      "2026-10-04T15:30Z"]),
    # --- Australia/Lord_Howe (30 min): overlap 2026-04-04T15:00Z (02:00 +11 -> 01:30 +1030) ---
    ("lord howe overlap daily", "Australia/Lord_Howe", Daily(at("01:45")), "2026-04-04T12:00Z",
     ["2026-04-04T14:45Z",  # Apr 5 01:45 +11
      "2026-04-05T15:15Z"]),  # Apr 6 01:45 +1030
    ("lord howe overlap star cron", "Australia/Lord_Howe", Cron("*/20 * * * *"),
     "2026-04-04T14:15Z",
     ["2026-04-04T14:20Z",  # 01:20 +11
      "2026-04-04T14:40Z",  # 01:40 +11
      "2026-04-04T15:10Z",  # 01:40 +1030 (second occurrence)
      "2026-04-04T15:30Z"]),  # 02:00 +1030
    # --- Australia/Lord_Howe: gap 2026-10-03T15:30Z (02:00 +1030 -> 02:30 +11) ---
    ("lord howe gap daily", "Australia/Lord_Howe", Daily(at("02:10")), "2026-10-03T12:00Z",
     ["2026-10-03T15:30Z",  # Oct 4 02:30 +11
      "2026-10-04T15:10Z"]),  # Oct 5 02:10 +11
    ("lord howe gap fixed cron", "Australia/Lord_Howe", Cron("10 2 * * *"), "2026-10-03T12:00Z",
     ["2026-10-03T15:30Z", "2026-10-04T15:10Z"]),
    ("lord howe gap star cron", "Australia/Lord_Howe", Cron("*/20 * * * *"), "2026-10-03T15:00Z",
     ["2026-10-03T15:10Z",  # 01:40 +1030
      "2026-10-03T15:40Z",  # 02:40 +11 (02:00 and 02:20 do not exist; 02:30 is not :00/:20/:40)
      "2026-10-03T16:00Z"]),  # 03:00 +11
    # --- America/Santiago: gap at midnight 2026-09-06T04:00Z (00:00 -04 -> 01:00 -03) ---
    ("santiago gap midnight daily", "America/Santiago", Daily(at("00:00")), "2026-09-05T12:00Z",
     ["2026-09-06T04:00Z",  # Sep 6 01:00 -03
      "2026-09-07T03:00Z"]),  # Sep 7 00:00 -03
    ("santiago gap fixed cron", "America/Santiago", Cron("0 0 * * *"), "2026-09-05T12:00Z",
     ["2026-09-06T04:00Z", "2026-09-07T03:00Z"]),
    ("santiago gap star cron", "America/Santiago", Cron("*/30 * * * *"), "2026-09-06T03:00Z",
     ["2026-09-06T03:30Z",  # Sep 5 23:30 -04
      "2026-09-06T04:00Z",  # Sep 6 01:00 -03
      "2026-09-06T04:30Z"]),
    # --- America/Santiago: overlap 2026-04-05T03:00Z (24:00 -03 -> Apr 4 23:00 -04) ---
    ("santiago overlap daily", "America/Santiago", Daily(at("23:30")), "2026-04-04T12:00Z",
     ["2026-04-05T02:30Z",  # Apr 4 23:30 -03
      "2026-04-06T03:30Z"]),  # Apr 5 23:30 -04
    ("santiago overlap star cron", "America/Santiago", Cron("*/30 23 * * *"), "2026-04-04T12:00Z",
     ["2026-04-05T02:00Z",  # Apr 4 23:00 -03
      "2026-04-05T02:30Z",  # Apr 4 23:30 -03
      "2026-04-05T03:00Z",  # Apr 4 23:00 -04
      "2026-04-05T03:30Z",  # Apr 4 23:30 -04
      "2026-04-06T03:00Z"]),  # Apr 5 23:00 -04
    # --- Europe/Dublin (negative DST in tzdata): gap 2026-03-29T01:00Z (01:00 GMT -> 02:00 IST) ---
    ("dublin gap daily", "Europe/Dublin", Daily(at("01:30")), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z",  # 02:00 IST
      "2026-03-30T00:30Z"]),  # 01:30 IST
    ("dublin gap fixed cron", "Europe/Dublin", Cron("30 1 * * *"), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z", "2026-03-30T00:30Z"]),
    # --- Europe/Dublin: overlap 2026-10-25T01:00Z (02:00 IST -> 01:00 GMT) ---
    ("dublin overlap daily", "Europe/Dublin", Daily(at("01:30")), "2026-10-24T12:00Z",
     ["2026-10-25T00:30Z",  # 01:30 IST
      "2026-10-26T01:30Z"]),  # 01:30 GMT
    ("dublin overlap star cron", "Europe/Dublin", Cron("*/30 1 * * *"), "2026-10-24T12:00Z",
     ["2026-10-25T00:00Z", "2026-10-25T00:30Z", "2026-10-25T01:00Z", "2026-10-25T01:30Z"]),
    # --- Asia/Tehran (DST until 2022): gap 2022-03-21T20:30Z (Mar 22 00:00 +0330 -> 01:00 +0430)
    ("tehran gap daily", "Asia/Tehran", Daily(at("00:30")), "2022-03-21T12:00Z",
     ["2022-03-21T20:30Z",  # Mar 22 01:00 +0430
      "2022-03-22T20:00Z"]),  # Mar 23 00:30 +0430
    ("tehran gap star cron", "Asia/Tehran", Cron("0 * * * *"), "2022-03-21T19:45Z",
     ["2022-03-21T20:30Z",  # Mar 22 01:00 +0430 (00:00 does not exist)
      "2022-03-21T21:30Z"]),
    # --- Asia/Tehran: overlap 2022-09-21T19:30Z (Sep 22 00:00 +0430 -> Sep 21 23:00 +0330) ---
    ("tehran overlap daily", "Asia/Tehran", Daily(at("23:30")), "2022-09-21T12:00Z",
     ["2022-09-21T19:00Z",  # Sep 21 23:30 +0430
      "2022-09-22T20:00Z"]),  # Sep 22 23:30 +0330
    ("tehran overlap fixed cron", "Asia/Tehran", Cron("30 23 * * *"), "2022-09-21T12:00Z",
     ["2022-09-21T19:00Z", "2022-09-22T20:00Z"]),
    ("tehran overlap star cron", "Asia/Tehran", Cron("*/30 23 * * *"), "2022-09-21T18:00Z",
     ["2022-09-21T18:30Z",  # 23:00 +0430
      "2022-09-21T19:00Z",  # 23:30 +0430
      "2022-09-21T19:30Z",  # 23:00 +0330
      "2022-09-21T20:00Z"]),  # 23:30 +0330
    # --- America/Nuuk: gap crossing midnight 2026-03-29T01:00Z (Sat 23:00 -02 -> Sun 00:00 -01)
    ("nuuk gap across midnight", "America/Nuuk", Daily(at("23:30")), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z",  # Sun Mar 29 00:00 -01 (Saturday 23:30 does not exist)
      "2026-03-30T00:30Z"]),  # Sun Mar 29 23:30 -01
    # --- America/Nuuk: overlap 2026-10-25T01:00Z (Oct 25 00:00 -01 -> Oct 24 23:00 -02) ---
    ("nuuk overlap daily", "America/Nuuk", Daily(at("23:30")), "2026-10-24T12:00Z",
     ["2026-10-25T00:30Z",  # Oct 24 23:30 -01
      "2026-10-26T01:30Z"]),  # Oct 25 23:30 -02
    # --- Pacific/Chatham (+1245/+1345): gap 2026-09-26T14:00Z (Sep 27 02:45 -> 03:45) ---
    ("chatham gap daily", "Pacific/Chatham", Daily(at("03:00")), "2026-09-26T00:00Z",
     ["2026-09-26T14:00Z",  # Sep 27 03:45 +1345
      "2026-09-27T13:15Z"]),  # Sep 28 03:00 +1345
    # --- Antarctica/Troll (2-hour jumps): gap 2026-03-29T01:00Z (01:00 +00 -> 03:00 +02) ---
    ("troll 2h gap daily", "Antarctica/Troll", Daily(at("02:00")), "2026-03-28T12:00Z",
     ["2026-03-29T01:00Z",  # 03:00 +02
      "2026-03-30T00:00Z"]),  # 02:00 +02
    # --- Antarctica/Troll: overlap 2026-10-25T01:00Z (03:00 +02 -> 01:00 +00) ---
    ("troll 2h overlap daily", "Antarctica/Troll", Daily(at("01:30")), "2026-10-24T12:00Z",
     ["2026-10-24T23:30Z",  # Oct 25 01:30 +02
      "2026-10-26T01:30Z"]),  # Oct 26 01:30 +00
]
# fmt: on


@pytest.mark.parametrize(
    ("zone", "form", "after", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_dst_rules(zone: str, form: Form, after: str, expected: list[str]) -> None:
    assert fires(Timing(form, ZoneInfo(zone)), after, len(expected)) == expected


def test_two_readings_in_one_gap_fire_once() -> None:
    # New York 2026-03-08: 02:30 does not exist and 03:00 is the first instant after the gap
    # (07:00Z), so both readings map to the same instant and fire once.
    timing = Timing(Daily(at("02:30", "03:00")), ZoneInfo("America/New_York"))
    assert fires(timing, "2026-03-08T00:00Z", 3) == [
        "2026-03-08T07:00Z",  # 03:00 EDT, once
        "2026-03-09T06:30Z",  # 02:30 EDT
        "2026-03-09T07:00Z",  # 03:00 EDT
    ]


def test_fixed_cron_hour_list_in_gap_fires_once() -> None:
    # `0 2,3` is fixed-time: 02:00 (missing) -> 07:00Z, 03:00 EDT is also 07:00Z.
    timing = Timing(Cron("0 2,3 * * *"), ZoneInfo("America/New_York"))
    assert fires(timing, "2026-03-08T00:00Z", 2) == ["2026-03-08T07:00Z", "2026-03-09T06:00Z"]


def test_fixed_cron_range_in_overlap_fires_each_reading_once() -> None:
    # `0 1-5` is fixed-time (no `*`): 01:00 fires only at its first occurrence (EDT).
    timing = Timing(Cron("0 1-5 * * *"), ZoneInfo("America/New_York"))
    assert fires(timing, "2026-11-01T04:00Z", 5) == [
        "2026-11-01T05:00Z",  # 01:00 EDT
        "2026-11-01T07:00Z",  # 02:00 EST
        "2026-11-01T08:00Z",  # 03:00 EST
        "2026-11-01T09:00Z",  # 04:00 EST
        "2026-11-01T10:00Z",  # 05:00 EST
    ]


def test_star_hour_with_fixed_minute_is_not_fixed() -> None:
    # `*/15 2` is not fixed (its minute field starts with `*`): in the Berlin overlap
    # (02:00-02:59 twice, transition 2026-10-25T01:00Z) it fires in both 02:00 hours.
    timing = Timing(Cron("*/15 2 * * *"), ZoneInfo("Europe/Berlin"))
    assert fires(timing, "2026-10-24T23:59Z", 8) == [
        "2026-10-25T00:00Z",  # 02:00 CEST
        "2026-10-25T00:15Z",
        "2026-10-25T00:30Z",
        "2026-10-25T00:45Z",
        "2026-10-25T01:00Z",  # 02:00 CET
        "2026-10-25T01:15Z",
        "2026-10-25T01:30Z",
        "2026-10-25T01:45Z",
    ]
    # Spring: `*/15 2` has no fire at all on 2026-03-29 (02:00-02:59 missing).
    assert fires(timing, "2026-03-28T12:00Z", 1) == ["2026-03-30T00:00Z"]  # Mar 30 02:00 CEST


def test_star_cron_asked_from_inside_the_first_occurrence_of_an_overlap() -> None:
    # New York overlap 2026-11-01T06:00Z: asked at 01:40 EDT (05:40Z), the second 01:00-01:30
    # readings (EST) come after `after` although their wall-clock reading is earlier.
    timing = Timing(Cron("*/15 * * * *"), ZoneInfo("America/New_York"))
    assert fires(timing, "2026-11-01T05:40Z", 6) == [
        "2026-11-01T05:45Z",  # 01:45 EDT
        "2026-11-01T06:00Z",  # 01:00 EST
        "2026-11-01T06:15Z",  # 01:15 EST
        "2026-11-01T06:30Z",  # 01:30 EST
        "2026-11-01T06:45Z",  # 01:45 EST
        "2026-11-01T07:00Z",  # 02:00 EST
    ]


def test_fixed_time_asked_from_inside_the_second_occurrence_of_an_overlap() -> None:
    # Asked at 01:10 EST (06:10Z), the fixed 01:30 already fired at 01:30 EDT (05:30Z).
    timing = Timing(Daily(at("01:30")), ZoneInfo("America/New_York"))
    assert fires(timing, "2026-11-01T06:10Z", 1) == ["2026-11-02T06:30Z"]
