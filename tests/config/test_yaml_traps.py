"""YAML 1.1 traps: the loader reads scalars the YAML 1.2 way: what people write is what they mean.

PyYAML's default (YAML 1.1) would read `on:` as True, Norway's `NO` as False, `9:30` as the
base-60 number 570 and `010` as octal 8.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitcron.config import yamlio
from gitcron.schedule import Schedule
from support import GOOD, Run, invoke, variant


def load(text: str) -> Any:
    doc = yamlio.read("f.yaml", text)
    assert doc.problems is None, doc.problems
    return doc.data


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("on: monday", {"on": "monday"}, id="on-is-a-key"),
        pytest.param("off: 1", {"off": 1}, id="off-is-a-key"),
        pytest.param("holidays: NO", {"holidays": "NO"}, id="norway"),
        pytest.param("x: yes", {"x": "yes"}, id="yes"),
        pytest.param("x: off", {"x": "off"}, id="off"),
        pytest.param("x: Y", {"x": "Y"}, id="y"),
        pytest.param("x: true", {"x": True}, id="true"),
        pytest.param("x: False", {"x": False}, id="false"),
        pytest.param("at: 9:30", {"at": "9:30"}, id="no-base-60"),
        pytest.param("at: 12:30", {"at": "12:30"}, id="no-base-60-noon"),
        pytest.param("x: 1:30:00", {"x": "1:30:00"}, id="no-base-60-seconds"),
        pytest.param("x: 0x1f", {"x": 31}, id="hex"),
        pytest.param("x: 010", {"x": 10}, id="leading-zero-is-decimal"),
        pytest.param("x: 0o17", {"x": 15}, id="octal-needs-0o"),
        pytest.param("x: 1_000", {"x": "1_000"}, id="no-underscores"),
        pytest.param("x: 0b101", {"x": "0b101"}, id="no-binary"),
        pytest.param("x: 1e3", {"x": 1000.0}, id="exponent"),
        pytest.param("x: ~", {"x": None}, id="null"),
        pytest.param("x: 2026-01-01", {"x": dt.date(2026, 1, 1)}, id="date"),
        pytest.param("x: 2026-01-01 09:00", {"x": "2026-01-01 09:00"}, id="minutes-stay-text"),
    ],
)
def test_scalars(text: str, value: Any) -> None:
    data = load(text)
    assert data == value
    assert [type(v) for v in data.values()] == [type(v) for v in value.values()]


def test_yes_and_off_stay_strings_in_the_model() -> None:
    data = load(GOOD + "labels: { approved: yes, mode: off, count: 010 }\nmax_runs: 0x1f\n")
    schedule = Schedule.model_validate(data)
    assert schedule.labels == {"approved": "yes", "mode": "off", "count": 10}
    assert schedule.max_runs == 31


def test_on_key_of_weekly_and_norway(check: Callable[..., Run]) -> None:
    text = variant('daily: { at: "08:00" }', "weekly: { on: monday, at: 12:30 }")
    text += "skip: [holidays: NO]\n"
    schedule = Schedule.model_validate(load(text))
    assert schedule.schedule.weekly is not None
    assert schedule.schedule.weekly.on == frozenset({0})
    assert schedule.schedule.weekly.at == (dt.time(12, 30),)
    assert schedule.skip == [("holidays", "NO")]
    run = check(text)
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


def test_norway_holidays_are_skipped_and_9_30_means_half_past_nine(
    check: Callable[..., Run], empty_repo: Path
) -> None:
    text = variant('daily: { at: "08:00" }', "daily: { at: 9:30 }")
    text = variant("Europe/London", "Europe/Oslo", text) + "skip: [holidays: NO]\n"
    assert check(text).code == 0
    at = "2026-12-23T00:00:00Z"
    run = invoke(
        ["--repo", str(empty_repo), "--at", at, "next", "acme/test", "-n", "4", "--format", "json"]
    )
    assert run.code == 0, run.both
    data = run.json()
    assert data["runs"] == [
        "2026-12-23T09:30:00+01:00",
        "2026-12-24T09:30:00+01:00",
        "2026-12-27T09:30:00+01:00",  # the 25th and 26th are Norwegian public holidays
        "2026-12-28T09:30:00+01:00",
    ]
    assert [s["at"][:10] for s in data["skipped"]] == ["2026-12-25", "2026-12-26"]
    assert all("(NO)" in s["reason"] for s in data["skipped"])
