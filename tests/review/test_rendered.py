"""`gitcron preview` renders the next run's file name and email subjects, as the tick will."""

from __future__ import annotations

import json
from pathlib import Path

from .test_preview import NOW, make, preview_of

# 09:00 in Auckland on Monday is Sunday 20:00 UTC: the local date is the one templates see
STOCK = """\
timezone: Pacific/Auckland
schedule:
  daily: { at: "09:00" }
report:
  dataset: products
  params: { customer: acme }
  format: csv
  filename: "acme-{{ run.local_date }}.csv"
deliver:
  - email:
      to: [buyer@acme.example]
      subject: "Stock for {{ customer }} on {{ run.local_date }}"
"""
BROKEN = STOCK.replace("on {{ run.local_date }}", "on {{ run.nope.x }}")


def test_next_run_file_name_and_subject_in_the_schedules_zone(tmp_path: Path) -> None:
    repo = make(tmp_path, {}, {"schedules/acme/stock.yaml": STOCK})
    out = preview_of(repo, NOW)
    assert "**Next run** (Mon 2026-11-23 09:00 NZDT) renders:" in out
    assert "- file: `acme-2026-11-23.csv`" in out
    assert "- email subject: `Stock for acme on 2026-11-23`" in out


def test_next_run_in_json(tmp_path: Path) -> None:
    repo = make(tmp_path, {}, {"schedules/acme/stock.yaml": STOCK})
    found = json.loads(preview_of(repo, NOW, "--format", "json"))
    assert found["changes"][0]["next_run"] == {
        "local": "2026-11-23T09:00:00+13:00",
        "utc": "2026-11-22T20:00:00+00:00",
        "rendered": [
            {"what": "file", "text": "acme-2026-11-23.csv", "error": None},
            {"what": "email subject", "text": "Stock for acme on 2026-11-23", "error": None},
        ],
    }


def test_a_failing_subject_is_shown_and_the_preview_still_succeeds(tmp_path: Path) -> None:
    repo = make(tmp_path, {}, {"schedules/acme/stock.yaml": BROKEN})
    out = preview_of(repo, NOW)  # asserts exit code 0
    assert "- file: `acme-2026-11-23.csv`" in out
    line = next(x for x in out.splitlines() if x.startswith("- email subject:"))
    assert line.startswith("- email subject: the run will fail: acme/stock: the email subject")
    assert "nope" in line
    found = json.loads(preview_of(repo, NOW, "--format", "json"))
    subject = found["changes"][0]["next_run"]["rendered"][1]
    assert subject["text"] is None
    assert "the email subject template cannot be rendered" in subject["error"]


def test_default_names_and_several_emails(tmp_path: Path) -> None:
    text = STOCK.replace('  filename: "acme-{{ run.local_date }}.csv"\n', "").replace(
        '      subject: "Stock for {{ customer }} on {{ run.local_date }}"\n', ""
    )
    text += "  - email: { to: [boss@acme.example] }\n"
    repo = make(tmp_path, {}, {"schedules/acme/stock.yaml": text})
    out = preview_of(repo, NOW)
    # the defaults name the report and the day, never the customer's or the schedule's id
    assert "- file: `stock-2026-11-23.csv`" in out
    assert "- email subject to buyer&#64;acme.example: `Products, 23 November 2026`" in out
    assert "- email subject to boss&#64;acme.example: `Products, 23 November 2026`" in out


def test_no_next_run_lines_for_a_paused_schedule(tmp_path: Path) -> None:
    repo = make(tmp_path, {}, {"schedules/acme/stock.yaml": STOCK + "paused: true\n"})
    out = preview_of(repo, NOW)
    assert "Next run" not in out
