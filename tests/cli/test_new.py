"""`gitcron new`: scaffold a schedule from flags or the old API's JSON; what it writes validates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support import Run, invoke

MODELINE = "# yaml-language-server: $schema=../../schema/schedule.schema.json"


@pytest.fixture
def new(empty_repo: Path) -> Callable[..., Run]:
    """`new(*args)` runs gitcron against a repo with no schedules yet."""

    def run(*args: str) -> Run:
        return invoke(["--repo", str(empty_repo), *args])

    return run


def first_runs(new: Callable[..., Run], sid: str, n: int = 3) -> list[str]:
    run = new("next", sid, "-n", str(n), "--format", "json")
    assert run.code == 0, run.both
    runs: list[str] = run.json()["runs"]
    return runs


FLAGS = [
    pytest.param(
        ["acme/weekly", "--weekly", "monday", "--time", "09:00", "--timezone", "America/New_York"],
        '  weekly: { on: "monday", at: "09:00" }',
        ["2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00", "2026-12-07T09:00:00-05:00"],
        id="weekly",
    ),
    pytest.param(
        ["acme/two-days", "--weekly", "mon", "--weekly", "thu", "--time", "09:00"],
        '  weekly: { on: ["mon", "thu"], at: "09:00" }',
        ["2026-11-23T09:00:00+00:00", "2026-11-26T09:00:00+00:00", "2026-11-30T09:00:00+00:00"],
        id="weekly-two-days",
    ),
    pytest.param(
        [
            "acme/monthly",
            "--monthly",
            "first monday",
            "--time",
            "10:00",
            "--timezone",
            "Europe/London",
        ],
        '  monthly: { on: "first monday", at: "10:00" }',
        ["2026-12-07T10:00:00+00:00", "2027-01-04T10:00:00+00:00", "2027-02-01T10:00:00+00:00"],
        id="monthly",
    ),
    pytest.param(
        ["acme/cron", "--cron", "0 */6 * * *"],
        '  cron: "0 */6 * * *"',
        ["2026-11-22T18:00:00+00:00", "2026-11-23T00:00:00+00:00", "2026-11-23T06:00:00+00:00"],
        id="cron",
    ),
    pytest.param(
        ["acme/once", "--once", "2026-12-01 09:00", "--timezone", "Asia/Tokyo"],
        '  once: "2026-12-01 09:00"',
        ["2026-12-01T09:00:00+09:00"],
        id="once",
    ),
    pytest.param(
        ["acme/every", "--every", "6h"],
        '  every: "6h"',
        ["2026-11-22T18:00:00+00:00", "2026-11-23T00:00:00+00:00", "2026-11-23T06:00:00+00:00"],
        id="every",
    ),
    pytest.param(
        ["acme/daily", "--daily", "--time", "08:00", "--time", "17:30", "--format", "csv"],
        '  daily: { at: ["08:00", "17:30"] }',
        ["2026-11-22T17:30:00+00:00", "2026-11-23T08:00:00+00:00", "2026-11-23T17:30:00+00:00"],
        id="daily-twice",
    ),
]


@pytest.mark.parametrize(("args", "line", "runs"), FLAGS)
def test_new_from_flags(
    new: Callable[..., Run], empty_repo: Path, args: list[str], line: str, runs: list[str]
) -> None:
    sid = args[0]
    run = new("new", *args, "--email", "buyer@example.com")
    assert (run.code, run.err) == (0, "")
    assert run.out == f"wrote schedules/{sid}.yaml; check it with: gitcron next {sid}\n"
    text = (empty_repo / "schedules" / f"{sid}.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == MODELINE
    assert line in lines
    assert '  - email: { to: ["buyer@example.com"] }' in lines
    check = new("validate")
    assert (check.code, check.out) == (0, "1 schedule file checked: no problems.\n")
    assert first_runs(new, sid, 3) == runs


def test_stdout_writes_nothing(new: Callable[..., Run], empty_repo: Path) -> None:
    run = new("new", "acme/weekly", "--weekly", "friday", "--time", "15:00", "--stdout")
    assert run.code == 0
    assert run.out.startswith(MODELINE + "\n")
    assert '  weekly: { on: "friday", at: "15:00" }\n' in run.out
    assert not (empty_repo / "schedules/acme").exists()


def test_refuses_to_overwrite(new: Callable[..., Run], empty_repo: Path) -> None:
    assert new("new", "acme/weekly", "--weekly", "monday", "--time", "09:00").code == 0
    path = empty_repo / "schedules/acme/weekly.yaml"
    before = path.read_text(encoding="utf-8")
    again = new("new", "acme/weekly", "--daily", "--time", "07:00")
    again.assert_clean_failure(1)
    assert again.err.splitlines() == [
        "gitcron: schedules/acme/weekly.yaml already exists",
        "  hint: pick another id",
    ]
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["acme/x", "--daily", "--weekly", "monday", "--time", "09:00"],
            "say when it runs with exactly one of --daily, --weekly, --monthly, --cron, --once,"
            " --every",
            id="two-forms",
        ),
        pytest.param(
            ["acme/x", "--time", "09:00"], "say when it runs with exactly one", id="no-form"
        ),
        pytest.param(["acme/x", "--daily"], "--daily needs --time HH:MM", id="daily-without-at"),
        pytest.param(
            ["acme/x", "--monthly", "first monday"],
            "--monthly needs --time HH:MM",
            id="monthly-no-at",
        ),
        pytest.param(
            ["--daily", "--time", "09:00"], "give an id like acme-corp/weekly-products", id="no-id"
        ),
        pytest.param(
            ["weekly", "--daily", "--time", "09:00"],
            "'weekly' has no customer folder",
            id="no-folder",
        ),
        pytest.param(
            ["acme/../../x", "--daily", "--time", "09:00"],
            "'..' cannot be part of a schedule id",
            id="id-leaves-schedules",
        ),
        pytest.param(
            ["acme/b c", "--daily", "--time", "09:00"],
            "'b c' cannot be part of a schedule id",
            id="space",
        ),
        pytest.param(
            ["acme/x", "--daily", "--time", "09:00", "--format", "docx"],
            "Invalid value for '--format'",
            id="format",
        ),
    ],
)
def test_bad_flags_exit_2(
    new: Callable[..., Run], empty_repo: Path, args: list[str], message: str
) -> None:
    run = new("new", *args)
    run.assert_clean_failure(2)
    assert message in run.err
    assert list(empty_repo.rglob("*.yaml")) == [empty_repo / "gitcron.yaml"]


def test_options_that_would_not_validate_are_refused(
    new: Callable[..., Run], empty_repo: Path
) -> None:
    run = new("new", "acme/x", "--every", "5m")
    run.assert_clean_failure(1)
    assert run.err.splitlines()[:2] == [
        "gitcron: the new schedule would not be valid:",
        "schedules/acme/x.yaml:4:3: error: schedule: this fires every 5 minutes, more often than"
        " gitcron's tick (every 15 minutes)",
    ]
    two = new(
        "new", "acme/x", "--daily", "--time", "09:00", "--email", "a@example.com, b@example.com"
    )
    two.assert_clean_failure(1)
    assert (
        "delivery 1, email.to item 1: 'a@example.com, b@example.com' is not an email address"
        in two.err
    )
    assert not (empty_repo / "schedules/acme/x.yaml").exists()


# The old demo's requests to the scheduling API, and what each must become.
PAYLOADS = [
    pytest.param(
        {
            "customerId": "customer-001",
            "customerEmail": "customer@example.com",
            "scheduleType": "weekly",
            "config": {"dayOfWeek": "monday", "time": "09:00"},
            "timezone": "America/New_York",
            "fileType": "products",
            "format": "excel",
        },
        "customer-001/weekly-products",
        ('  weekly: { on: "monday", at: "09:00" }', "  format: xlsx", "timezone: America/New_York"),
        ["2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00", "2026-12-07T09:00:00-05:00"],
        id="weekly-excel",
    ),
    pytest.param(
        {
            "customerId": "customer-002",
            "scheduleType": "monthly-first-weekday",
            "config": {"dayOfWeek": "monday", "time": "10:00"},
            "timezone": "Europe/London",
            "fileType": "products",
            "format": "pdf",
        },
        "customer-002/monthly-products",
        (
            '  monthly: { on: "first monday", at: "10:00" }',
            "  format: pdf",
            "timezone: Europe/London",
        ),
        ["2026-12-07T10:00:00+00:00", "2027-01-04T10:00:00+00:00", "2027-02-01T10:00:00+00:00"],
        id="monthly-first-monday-pdf",
    ),
    pytest.param(
        {
            "customerId": "customer-003",
            "scheduleType": "daily",
            "config": {"time": "08:00"},
            "timezone": "Asia/Tokyo",
            "fileType": "products",
            "format": "csv",
        },
        "customer-003/daily-products",
        ('  daily: { at: "08:00" }', "  format: csv", "timezone: Asia/Tokyo"),
        ["2026-11-23T08:00:00+09:00", "2026-11-24T08:00:00+09:00", "2026-11-25T08:00:00+09:00"],
        id="daily-csv",
    ),
    pytest.param(
        {
            "customerId": "customer-004",
            "scheduleType": "custom",
            "config": {"cronExpression": "0 */6 * * *"},
            "timezone": "UTC",
            "fileType": "products",
            "format": "excel",
        },
        "customer-004/custom-products",
        ('  cron: "0 */6 * * *"', "  format: xlsx", "timezone: UTC"),
        ["2026-11-22T18:00:00+00:00", "2026-11-23T00:00:00+00:00", "2026-11-23T06:00:00+00:00"],
        id="custom-cron",
    ),
    pytest.param(
        {
            "customerId": "customer-002",
            "scheduleType": "monthly-last-weekday",
            "config": {"dayOfWeek": "friday", "time": "15:00"},
            "timezone": "Europe/London",
            "fileType": "products",
            "format": "pdf",
        },
        "customer-002/monthly-products",
        ('  monthly: { on: "last friday", at: "15:00" }', "  format: pdf"),
        ["2026-11-27T15:00:00+00:00", "2026-12-25T15:00:00+00:00", "2027-01-29T15:00:00+00:00"],
        id="monthly-last-friday",
    ),
]


@pytest.mark.parametrize(("payload", "sid", "lines", "runs"), PAYLOADS)
def test_new_from_the_old_api_payload(
    new: Callable[..., Run],
    empty_repo: Path,
    tmp_path: Path,
    payload: dict[str, Any],
    sid: str,
    lines: tuple[str, ...],
    runs: list[str],
) -> None:
    source = tmp_path / "payload.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    run = new("new", "--from-json", str(source))
    assert (run.code, run.err) == (0, "")
    assert run.out == f"wrote schedules/{sid}.yaml; check it with: gitcron next {sid}\n"
    text = (empty_repo / "schedules" / f"{sid}.yaml").read_text(encoding="utf-8").splitlines()
    assert text[0] == MODELINE
    assert "  dataset: products" in text
    for line in lines:
        assert line in text
    email = payload.get("customerEmail")
    assert (f'  - email: {{ to: ["{email}"] }}' in text) is bool(email)
    assert new("validate").code == 0
    assert first_runs(new, sid) == runs


def test_payload_with_an_explicit_id(new: Callable[..., Run], tmp_path: Path) -> None:
    source = tmp_path / "payload.json"
    source.write_text(json.dumps(PAYLOADS[0].values[0]), encoding="utf-8")
    run = new("new", "customer-001/mondays", "--from-json", str(source))
    assert run.code == 0, run.both
    assert first_runs(new, "customer-001/mondays", 1) == ["2026-11-23T09:00:00-05:00"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{not json", "the payload is not JSON", id="not-json"),
        pytest.param("[1, 2]", "the payload is not a JSON object", id="a-list"),
        pytest.param(
            '{"customerId": "c", "scheduleType": "daily", "config": "08:00"}',
            "the payload's config is not a JSON object",
            id="config-not-an-object",
        ),
        pytest.param(
            '{"customerId": "c", "scheduleType": "hourly"}',
            "scheduleType 'hourly' is not one of custom, daily, monthly-first-weekday,",
            id="unknown-type",
        ),
        pytest.param(
            '{"customerId": "c", "scheduleType": "daily", "config": {"time": "08:00"},'
            ' "format": "word"}',
            "format 'word' is not one of excel, csv, pdf, json",
            id="unknown-format",
        ),
        pytest.param(
            '{"scheduleType": "daily", "config": {"time": "08:00"}}',
            "the payload has no customerId",
            id="no-customer",
        ),
        pytest.param(
            '{"customerId": "../c", "scheduleType": "daily", "config": {"time": "08:00"}}',
            "'..' cannot be part of a schedule id",
            id="customer-leaves-schedules",
        ),
    ],
)
def test_bad_payloads_exit_2(
    new: Callable[..., Run], empty_repo: Path, tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "payload.json"
    source.write_text(content, encoding="utf-8")
    run = new("new", "--from-json", str(source))
    run.assert_clean_failure(2)
    assert message in run.err
    assert list(empty_repo.rglob("*.yaml")) == [empty_repo / "gitcron.yaml"]
