"""One round: a field the model refuses does not hide what the later checks find elsewhere.

The checks across fields (catalog/checks.py, catalog/job_checks.py) need a valid model; the parts
the model refused stand in neutrally (config/standins.py), so the rest is still judged, and each
problem keeps the line and column of what was written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from gitcron.catalog.load import Entry, check_entry, load, load_settings
from support import GOOD, REPO, variant

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
FILE = "schedules/acme/test.yaml"


def problems(repo: Path, text: str) -> list[tuple[int, int, str, str, str]]:
    """(line, col, severity, where, message) of every problem of one file, in file order."""
    path = repo / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    found = [p for p in load(repo, NOW).problems if p.file == FILE]
    return sorted((p.line, p.col, p.severity, p.where, p.message) for p in found)


def test_a_bad_timezone_does_not_hide_an_unknown_dataset(empty_repo: Path) -> None:
    text = variant("dataset: products", "dataset: orders", variant("Europe/London", "Paris"))
    assert problems(empty_repo, text) == [
        (2, 11, "error", "timezone", "'Paris' is not a timezone gitcron knows"),
        (6, 12, "error", "report.dataset", "there is no dataset named 'orders' in gitcron.yaml"),
    ]


def test_a_bad_schedule_form_skips_only_the_timing_checks(empty_repo: Path) -> None:
    text = variant('daily: { at: "08:00" }', "weekly: { on: munday, at: '09:00' }")
    text = variant("dataset: products", "dataset: orders", text)
    text += "skip: [company-closure]\nactive: { until: 2026-01-01 }\n"
    assert problems(empty_repo, text) == [
        (4, 17, "error", "schedule.weekly.on", "'munday' is not a day of the week"),
        (6, 12, "error", "report.dataset", "there is no dataset named 'orders' in gitcron.yaml"),
        (12, 8, "error", "skip item 1", "there is no calendar named 'company-closure'"),
        (
            13,
            18,
            "warning",
            "active.until",
            "the active window has ended: this schedule will not run again",
        ),
    ]


DELIVERIES = GOOD.replace(
    "  - email: { to: [buyer@example.com] }\n",
    "  - email: { to: [not-an-email] }\n"
    "  - email: { to: [buyer@example.com] }\n"
    "  - email: { to: [buyer@example.com] }\n",
)


def test_a_refused_delivery_leaves_the_others_checked_at_their_own_positions(
    empty_repo: Path,
) -> None:
    assert problems(empty_repo, DELIVERIES) == [
        (
            11,
            19,
            "error",
            "delivery 1, email.to item 1",
            "'not-an-email' is not an email address: it has no '@'",
        ),
        (
            13,
            12,
            "error",
            "delivery 3, email",
            "this delivery repeats delivery 2: the customer would get it twice",
        ),
    ]


def test_nothing_is_said_about_what_stands_in(empty_repo: Path) -> None:
    # `deliver` as a mapping stands in as []: no "nothing is delivered" on top of the real error
    text = variant("  - email: { to: [buyer@example.com] }", "  email: { to: [buyer@example.com] }")
    (only,) = problems(empty_repo, text)
    assert only[3:] == ("deliver", "this should be a list")
    # a missing format stands in as csv: no warning that the .xlsx name does not end in .csv
    text = variant("  format: csv\n", "", variant("}}.csv", "}}.xlsx"))
    assert [p[3] for p in problems(empty_repo, text)] == ["report.format"]
    # an invalid dataset name stands in: its params are not judged against the stand-in
    text = variant("dataset: products", "dataset: ../etc", text)
    assert [p[3] for p in problems(empty_repo, text)] == ["report.format", "report.dataset"]


def test_a_refused_webhook_is_not_also_a_missing_one(empty_repo: Path) -> None:
    text = """\
description: Stock event
schedule:
  daily: { at: "06:00" }
timezone: Mars/Olympus
event:
  type: report.daily
deliver:
  - webhook: { url: "ftp://hooks.example.com" }
  - webhook: { url: "http://hooks.example.com" }
"""
    assert problems(empty_repo, text) == [
        (4, 11, "error", "timezone", "'Mars/Olympus' is not a timezone gitcron knows"),
        (
            8,
            21,
            "error",
            "delivery 1, webhook.url",
            "'ftp://hooks.example.com' is not a https or http address",
        ),
        (
            9,
            21,
            "warning",
            "delivery 2, webhook.url",
            "this webhook address is not encrypted (http://)",
        ),
    ]


def test_a_refused_choice_stands_in_too(empty_repo: Path) -> None:
    text = variant("dataset: products", "dataset: orders", variant("format: csv", "format: doc"))
    assert [p[3:] for p in problems(empty_repo, text)] == [
        ("report.dataset", "there is no dataset named 'orders' in gitcron.yaml"),
        ("report.format", "'doc' is not a choice here"),
    ]


def test_with_nothing_to_stand_in_the_model_speaks_alone(empty_repo: Path) -> None:
    """A report that is not a mapping leaves no job to check: no crash, the model's problems."""
    assert [p[3:] for p in problems(empty_repo, "timezone: UTC\nreport: products\n")] == [
        ("schedule", "'schedule' is missing"),
        ("report", "this should be a set of 'key: value' lines"),
    ]


ODD_VALUES: list[object] = [None, [], {}, "x", 7, True, [None], {"x": 1}, [{"x": 1}]]


def _places(value: object, loc: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [loc] if loc else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*loc, index))
    return found


def _with(data: Any, loc: tuple[str | int, ...], value: object) -> Any:
    if not loc:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[loc[0]] = _with(copy[loc[0]], loc[1:], value)
    return copy


def test_any_value_anywhere_is_set_aside_without_a_crash() -> None:
    """Every place of every example, holding each odd value in turn: problems, never a crash."""
    settings, _ = load_settings(REPO)
    for path in sorted((REPO / "schedules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for loc in _places(data):
            for value in ODD_VALUES:
                text = yaml.safe_dump(_with(data, loc, value), sort_keys=False)
                entry = check_entry(Entry("acme/x", FILE, text), settings, NOW)
                for problem in entry.problems:
                    assert problem.line > 0, (loc, value, problem)
