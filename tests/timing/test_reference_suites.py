"""The DST cases of cronsim's and croniter's public test suites, under gitcron's rules.

Reconstructed (no network): the zones, dates and expressions those suites use, with the
fires Debian cron's rules demand. cronsim 2.8 gives the same lists (it implements those rules,
checked by `test_cronsim_agrees` below). croniter 7.0.0 differs where marked "croniter:".
Transition instants (computed with zoneinfo):
- Europe/Riga 2021-03-28T01:00Z (03:00 EET -> 04:00 EEST), 2021-10-31T01:00Z (04:00 -> 03:00)
- Europe/Athens 2013-03-31T01:00Z (03:00 -> 04:00), 2013-10-27T01:00Z (04:00 -> 03:00)
- Asia/Hebron 2022-03-26T22:00Z (Mar 27 00:00 +02 -> 01:00 +03),
  2022-10-28T23:00Z (Oct 29 02:00 +03 -> 01:00 +02)
- Australia/Lord_Howe 2019-04-06T15:00Z (Apr 7 02:00 +11 -> 01:30 +1030),
  2019-10-05T15:30Z (Oct 6 02:00 +1030 -> 02:30 +11)
- Europe/Paris 2020-03-29T01:00Z (02:00 CET -> 03:00 CEST), 2020-10-25T01:00Z (03:00 -> 02:00)
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from cronsim import CronSim

from gitcron.timing import Cron, Timing

from .helpers import fires, iso, utc

# fmt: off
CASES: list[tuple[str, str, str, str, list[str]]] = [
    # ---- cronsim: Europe/Riga 2021, spring forward 03:00 -> 04:00 ----
    ("riga spring 0 3", "Europe/Riga", "0 3 * * *", "2021-03-27T12:00Z",
     ["2021-03-28T01:00Z",  # 04:00 EEST: 03:00 does not exist, fires right after the gap
      "2021-03-29T00:00Z"]),  # 03:00 EEST
    ("riga spring 30 3", "Europe/Riga", "30 3 * * *", "2021-03-27T12:00Z",
     ["2021-03-28T01:00Z",  # 04:00 EEST (not 04:30)
      "2021-03-29T00:30Z"]),
    ("riga spring */15", "Europe/Riga", "*/15 * * * *", "2021-03-28T00:30Z",
     ["2021-03-28T00:45Z",  # 02:45 EET
      "2021-03-28T01:00Z",  # 04:00 EEST: 03:00-03:45 skipped
      "2021-03-28T01:15Z"]),
    ("riga spring hourly", "Europe/Riga", "0 * * * *", "2021-03-27T23:30Z",
     ["2021-03-28T00:00Z",  # 02:00 EET
      "2021-03-28T01:00Z",  # 04:00 EEST
      "2021-03-28T02:00Z"]),  # 05:00 EEST
    # ---- cronsim: Europe/Riga 2021, fall back 04:00 -> 03:00 ----
    ("riga fall 0 3", "Europe/Riga", "0 3 * * *", "2021-10-30T12:00Z",
     ["2021-10-31T00:00Z",  # 03:00 EEST only (croniter: also 01:00Z, 03:00 EET)
      "2021-11-01T01:00Z"]),  # 03:00 EET
    ("riga fall 30 3", "Europe/Riga", "30 3 * * *", "2021-10-30T12:00Z",
     ["2021-10-31T00:30Z",  # 03:30 EEST only (croniter: also 01:30Z)
      "2021-11-01T01:30Z"]),
    ("riga fall */15", "Europe/Riga", "*/15 * * * *", "2021-10-30T23:45Z",
     ["2021-10-31T00:00Z", "2021-10-31T00:15Z", "2021-10-31T00:30Z", "2021-10-31T00:45Z",
      "2021-10-31T01:00Z",  # 03:00 EET, the second 03:00
      "2021-10-31T01:15Z"]),
    ("riga fall hourly", "Europe/Riga", "0 * * * *", "2021-10-30T23:30Z",
     ["2021-10-31T00:00Z",  # 03:00 EEST
      "2021-10-31T01:00Z",  # 03:00 EET
      "2021-10-31T02:00Z"]),  # 04:00 EET
    # ---- croniter: Europe/Athens 2013 (test_timezone_summer_time / winter_time) ----
    ("athens spring */30", "Europe/Athens", "*/30 * * * *", "2013-03-30T23:00Z",
     ["2013-03-30T23:30Z",  # 01:30 +02
      "2013-03-31T00:00Z",  # 02:00 +02
      "2013-03-31T00:30Z",  # 02:30 +02
      "2013-03-31T01:00Z",  # 04:00 +03
      "2013-03-31T01:30Z"]),  # 04:30 +03
    ("athens fall */30", "Europe/Athens", "*/30 * * * *", "2013-10-26T23:00Z",
     ["2013-10-26T23:30Z",  # 02:30 +03
      "2013-10-27T00:00Z",  # 03:00 +03
      "2013-10-27T00:30Z",  # 03:30 +03
      "2013-10-27T01:00Z",  # 03:00 +02
      "2013-10-27T01:30Z",  # 03:30 +02
      "2013-10-27T02:00Z",  # 04:00 +02
      "2013-10-27T02:30Z"]),  # 04:30 +02
    ("athens spring 0 3", "Europe/Athens", "0 3 * * *", "2013-03-30T12:00Z",
     ["2013-03-31T01:00Z",  # 04:00 EEST
      "2013-04-01T00:00Z"]),
    ("athens fall 0 3", "Europe/Athens", "0 3 * * *", "2013-10-26T12:00Z",
     ["2013-10-27T00:00Z",  # 03:00 EEST only (croniter: also 01:00Z)
      "2013-10-28T01:00Z"]),
    # ---- croniter: Asia/Hebron 2022 (test_dst_iter), midnight gap ----
    ("hebron spring midnight", "Asia/Hebron", "0 0 * * *", "2022-03-24T22:00Z",
     ["2022-03-25T22:00Z",  # Mar 26 00:00 +02
      "2022-03-26T22:00Z",  # Mar 27 01:00 +03 (00:00 does not exist)
      "2022-03-27T21:00Z"]),  # Mar 28 00:00 +03
    ("hebron spring */30", "Asia/Hebron", "*/30 * * * *", "2022-03-26T21:00Z",
     ["2022-03-26T21:30Z",  # Mar 26 23:30 +02
      "2022-03-26T22:00Z",  # Mar 27 01:00 +03
      "2022-03-26T22:30Z"]),
    ("hebron fall 30 1", "Asia/Hebron", "30 1 * * *", "2022-10-28T12:00Z",
     ["2022-10-28T22:30Z",  # Oct 29 01:30 +03 only (croniter: also 23:30Z)
      "2022-10-29T23:30Z"]),  # Oct 30 01:30 +02
    # ---- croniter: Australia/Lord_Howe 2019 (test_dst_gap_shift_is_not_a_fire_time) ----
    ("lord howe spring hourly", "Australia/Lord_Howe", "0 * * * *", "2019-10-05T13:00Z",
     ["2019-10-05T13:30Z",  # 00:00 +1030
      "2019-10-05T14:30Z",  # 01:00 +1030
      "2019-10-05T16:00Z",  # 03:00 +11 (02:00 does not exist; 02:30 is not a fire)
      "2019-10-05T17:00Z",
      "2019-10-05T18:00Z"]),
    ("lord howe spring fixed", "Australia/Lord_Howe", "15 2 * * *", "2019-10-05T12:00Z",
     ["2019-10-05T15:30Z",  # 02:30 +11, the transition instant
      "2019-10-06T15:15Z"]),
    ("lord howe fall */15 1", "Australia/Lord_Howe", "*/15 1 * * *", "2019-04-06T14:00Z",
     ["2019-04-06T14:15Z",  # 01:15 +11
      "2019-04-06T14:30Z",  # 01:30 +11
      "2019-04-06T14:45Z",  # 01:45 +11
      "2019-04-06T15:00Z",  # 01:30 +1030
      "2019-04-06T15:15Z",  # 01:45 +1030
      "2019-04-07T14:30Z"]),  # Apr 8 01:00 +1030
    ("lord howe fall fixed", "Australia/Lord_Howe", "30 1 * * *", "2019-04-06T12:00Z",
     ["2019-04-06T14:30Z",  # 01:30 +11 only (croniter: also 15:00Z)
      "2019-04-07T15:00Z"]),  # Apr 8 01:30 +1030
    # ---- croniter: Europe/Paris 2020 (test_dst_issue90_st31ny) ----
    ("paris spring 1 2", "Europe/Paris", "1 2 * * *", "2020-03-29T00:59:55Z",
     ["2020-03-29T01:00Z",  # 03:00 CEST
      "2020-03-30T00:01Z",  # 02:01 CEST
      "2020-03-31T00:01Z"]),
    ("paris fall 1 2", "Europe/Paris", "1 2 * * *", "2020-10-24T12:00Z",
     ["2020-10-25T00:01Z",  # 02:01 CEST only (croniter: also 01:01Z)
      "2020-10-26T01:01Z"]),  # 02:01 CET
    ("paris fall */30 2", "Europe/Paris", "*/30 2 * * *", "2020-10-24T12:00Z",
     ["2020-10-25T00:00Z", "2020-10-25T00:30Z",  # 02:00, 02:30 CEST
      "2020-10-25T01:00Z", "2020-10-25T01:30Z"]),  # 02:00, 02:30 CET
]
# fmt: on


@pytest.mark.parametrize(
    ("zone", "expr", "after", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_reference_case(zone: str, expr: str, after: str, expected: list[str]) -> None:
    assert fires(Timing(Cron(expr), ZoneInfo(zone)), after, len(expected)) == expected


@pytest.mark.parametrize(
    ("zone", "expr", "after", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_cronsim_agrees(zone: str, expr: str, after: str, expected: list[str]) -> None:
    # cronsim yields instants at or after its start, so start one second after `after`.
    start = (utc(after) + timedelta(seconds=1)).astimezone(ZoneInfo(zone))
    it = CronSim(expr, start)
    assert [iso(next(it)) for _ in expected] == expected
