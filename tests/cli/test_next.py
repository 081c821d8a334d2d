"""`gitcron next`: the exact instants a schedule fires, with --at / GITCRON_NOW taken as now."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from gitcron.cli import next_
from gitcron.timing import Fire, Timing
from support import GOOD, Run, invoke, variant


def test_weekly_products_json_is_exact(gitcron: Callable[..., Run]) -> None:
    run = gitcron(
        *("next", "customer-001/weekly-products", "-n", "3", "--at", "2026-11-22T12:00:00Z"),
        *("--format", "json"),
        env={"GITCRON_NOW": "2030-01-01T00:00:00Z"},  # --at wins over the variable
    )
    assert (run.code, run.err) == (0, "")
    assert json.loads(run.out) == {
        "schedule": "customer-001/weekly-products",
        "timezone": "America/New_York",
        "runs": [
            "2026-11-23T09:00:00-05:00",
            "2026-11-30T09:00:00-05:00",
            "2026-12-07T09:00:00-05:00",
        ],
    }


def test_gitcron_now_is_the_default_instant(gitcron: Callable[..., Run]) -> None:
    args = ("next", "customer-001/weekly-products", "-n", "1", "--format", "json")
    before = gitcron(*args, env={"GITCRON_NOW": "2026-11-23T13:59:59Z"}).json()  # 08:59:59 EST
    assert before["runs"] == ["2026-11-23T09:00:00-05:00"]
    at = gitcron(*args, env={"GITCRON_NOW": "2026-11-23T09:00:00-05:00"}).json()  # strictly after
    assert at["runs"] == ["2026-11-30T09:00:00-05:00"]
    flag = gitcron("--at", "2026-11-23T14:00:00Z", *args, env={"GITCRON_NOW": "2020-01-01"})
    assert flag.json()["runs"] == ["2026-11-30T09:00:00-05:00"]  # --at beats the variable


def test_weekday_stock_skips_thanksgiving(gitcron: Callable[..., Run]) -> None:
    run = gitcron("next", "customer-003/weekday-stock", "-n", "4", "--format", "json")
    assert run.code == 0, run.both
    data = run.json()
    assert data["runs"] == [
        "2026-11-23T07:30:00-06:00",
        "2026-11-24T07:30:00-06:00",
        "2026-11-25T07:30:00-06:00",
        "2026-11-27T07:30:00-06:00",
    ]
    assert [s["at"] for s in data["skipped"]] == ["2026-11-26T07:30:00-06:00"]
    assert "Thanksgiving" in data["skipped"][0]["reason"]


def test_weekday_stock_skips_company_closures(gitcron: Callable[..., Run]) -> None:
    run = gitcron("--at", "2026-12-23T00:00:00Z", "next", "customer-003/weekday-stock", "-n", "3")
    assert run.code == 0, run.both
    assert run.out.splitlines() == [
        "customer-003/weekday-stock (America/Chicago)",
        "  Wed 2026-12-23 07:30 CST   2026-12-23 13:30 UTC",
        "  Thu 2026-12-24 07:30 CST   2026-12-24 13:30 UTC  skipped: closed: company-closures",
        "  Fri 2026-12-25 07:30 CST   2026-12-25 13:30 UTC  skipped: holiday: Christmas Day (US)",
        "  Mon 2026-12-28 07:30 CST   2026-12-28 13:30 UTC",
        "  Tue 2026-12-29 07:30 CST   2026-12-29 13:30 UTC",
    ]


@pytest.mark.parametrize(
    ("sid", "runs"),
    [
        (
            "customer-002/monthly-products",
            ["2026-12-07T10:00:00+00:00", "2027-01-04T10:00:00+00:00"],
        ),
        ("customer-002/year-end-export", ["2026-12-31T17:00:00+00:00"]),
        ("customer-003/daily-products", ["2026-11-23T08:00:00+09:00", "2026-11-24T08:00:00+09:00"]),
        (
            "customer-004/products-every-6h",
            ["2026-11-22T18:00:00+00:00", "2026-11-23T00:00:00+00:00"],
        ),
        ("customer-004/stock-event", ["2026-11-23T06:00:00+00:00", "2026-11-24T06:00:00+00:00"]),
    ],
)
def test_other_examples(gitcron: Callable[..., Run], sid: str, runs: list[str]) -> None:
    run = gitcron("next", sid, "-n", "2", "--format", "json")
    assert run.code == 0, run.both
    assert run.json()["runs"] == runs


def test_text_shows_local_and_utc(gitcron: Callable[..., Run]) -> None:
    run = gitcron("next", "customer-001/weekly-products", "-n", "2")
    assert run.out.splitlines() == [
        "customer-001/weekly-products (America/New_York)",
        "  Mon 2026-11-23 09:00 EST   2026-11-23 14:00 UTC",
        "  Mon 2026-11-30 09:00 EST   2026-11-30 14:00 UTC",
    ]


def test_after_option(gitcron: Callable[..., Run]) -> None:
    run = gitcron(
        "next",
        "customer-001/weekly-products",
        "-n",
        "1",
        "--after",
        "2027-03-01T00:00:00Z",
        "--format",
        "json",
    )
    assert run.json()["runs"] == ["2027-03-01T09:00:00-05:00"]


def test_missing_id(gitcron: Callable[..., Run]) -> None:
    run = gitcron("next", "customer-009/nope")
    run.assert_clean_failure(2)  # an id that is not there is the command line's mistake
    assert run.out == ""
    assert run.err.splitlines() == [
        "gitcron: there is no schedule 'customer-009/nope' (looked for"
        " schedules/customer-009/nope.yaml)",
        "  hint: ids are paths under schedules/ without .yaml, e.g. acme-corp/weekly-products",
    ]


def test_a_path_works_as_an_id(gitcron: Callable[..., Run]) -> None:
    run = gitcron(
        "next", "schedules/customer-001/weekly-products.yaml", "-n", "1", "--format", "json"
    )
    assert run.json()["schedule"] == "customer-001/weekly-products"


def test_paused_schedule_prints_no_runs(gitcron: Callable[..., Run], repo: Path) -> None:
    (repo / "schedules/acme").mkdir()
    (repo / "schedules/acme/paused.yaml").write_text(GOOD + "paused: true\n", encoding="utf-8")
    text = gitcron("next", "acme/paused")
    assert (text.code, text.out) == (
        0,
        "acme/paused (Europe/London)  paused: no runs until resumed\n",
    )
    data = gitcron("next", "acme/paused", "--format", "json").json()
    assert data == {
        "schedule": "acme/paused",
        "timezone": "Europe/London",
        "runs": [],
        "paused": True,
    }


def test_a_schedule_with_errors_is_not_planned(gitcron: Callable[..., Run], repo: Path) -> None:
    (repo / "schedules/acme").mkdir()
    (repo / "schedules/acme/bad.yaml").write_text(variant('"08:00"', '"25:00"'), encoding="utf-8")
    run = gitcron("next", "acme/bad")
    run.assert_clean_failure(1)
    assert run.err.splitlines()[:2] == [
        "gitcron: schedules/acme/bad.yaml has problems:",
        "schedules/acme/bad.yaml:4:16: error: schedule.daily.at: '25:00' is not a time of day",
    ]


def test_a_past_once_has_no_more_runs(gitcron: Callable[..., Run]) -> None:
    run = gitcron("--at", "2027-01-01T00:00:00Z", "next", "customer-002/year-end-export")
    assert run.out.splitlines() == [
        "customer-002/year-end-export (Europe/London)",
        "  no more runs",
    ]


def test_at_and_repo_before_or_after_the_command(repo: Path, tmp_path: Path) -> None:
    args = ["next", "customer-001/weekly-products", "-n", "1", "--format", "json"]
    before = invoke(["--repo", str(repo), "--at", "2026-11-30T15:00:00Z", *args])
    after = invoke([*args, "--repo", str(repo), "--at", "2026-11-30T15:00:00Z"])
    assert before.json() == after.json()
    assert after.json()["runs"] == ["2026-12-07T09:00:00-05:00"]
    assert (
        invoke(
            ["--at", "2020-01-01", *args, "--repo", str(repo), "--at", "2026-11-30T15:00:00Z"]
        ).json()
        == after.json()
    )


NEVER = variant('daily: { at: "08:00" }', 'weekly: { on: saturday, at: "08:00" }') + (
    "skip: [weekends]\n"
)


@pytest.mark.timeout(30)  # a guard: a search that never gave up fails, not hangs
def test_a_schedule_whose_every_day_is_closed_ends_quickly(
    gitcron: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "schedules/acme").mkdir()
    (repo / "schedules/acme/never.yaml").write_text(NEVER, encoding="utf-8")
    drawn: list[Fire] = []
    iter_fires = next_.iter_fires

    def counted(timing: Timing, after: datetime) -> Iterator[Fire]:
        for fire in iter_fires(timing, after):
            drawn.append(fire)
            yield fire

    monkeypatch.setattr(next_, "iter_fires", counted)
    run = gitcron("next", "acme/never", "-n", "2")
    assert len(drawn) <= 54  # it gave up after a year of closed Saturdays, not 50 years of them
    assert run.out.splitlines() == [
        "acme/never (Europe/London)",
        "  Sat 2026-11-28 08:00 GMT   2026-11-28 08:00 UTC  skipped: weekend",
        "  Sat 2026-12-05 08:00 GMT   2026-12-05 08:00 UTC  skipped: weekend",
        "  no more runs",
    ]


def test_validate_reports_a_schedule_whose_every_day_is_closed(check: Callable[..., Run]) -> None:
    run = check(NEVER)
    assert run.headlines()
    assert "never" in run.out
