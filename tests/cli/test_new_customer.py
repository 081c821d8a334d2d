"""`gitcron new` in a customer folder: the customer file's defaults are inherited, not repeated;
`--customer-name` starts a customer folder with its customer file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run, invoke

CUSTOMER = """\
name: Acme Trading Ltd
timezone: Europe/London
to: [buying@acme.example]
locale: en-GB
"""


@pytest.fixture
def new(empty_repo: Path) -> Callable[..., Run]:
    def run(*args: str) -> Run:
        return invoke(["--repo", str(empty_repo), *args])

    return run


@pytest.fixture
def acme(empty_repo: Path) -> Path:
    folder = empty_repo / "schedules/acme"
    folder.mkdir(parents=True)
    (folder / "customer.yaml").write_text(CUSTOMER, encoding="utf-8")
    return folder


def next_runs(new: Callable[..., Run], sid: str) -> list[str]:
    run = new("next", sid, "-n", "2", "--format", "json")
    assert run.code == 0, run.both
    runs: list[str] = run.json()["runs"]
    return runs


def test_a_new_schedule_leaves_out_what_the_customer_file_gives(
    new: Callable[..., Run], acme: Path
) -> None:
    run = new("new", "acme/weekly", "--weekly", "monday", "--time", "09:00")
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "wrote schedules/acme/weekly.yaml; check it with: gitcron next acme/weekly",
        "it inherits from schedules/acme/customer.yaml: timezone Europe/London;"
        " recipients buying@acme.example",
    ]
    text = (acme / "weekly.yaml").read_text(encoding="utf-8")
    assert "timezone:" not in text
    assert "buying@acme.example" not in text
    assert "  - email: {}" in text.splitlines()
    assert 'description: "weekly for Acme Trading Ltd"' in text
    check = new("validate")
    assert (check.code, check.out) == (0, "1 schedule file checked: no problems.\n")
    # the runs are the customer's: 09:00 in London
    assert next_runs(new, "acme/weekly") == [
        "2026-11-23T09:00:00+00:00",
        "2026-11-30T09:00:00+00:00",
    ]
    # and a change to the customer file reaches it
    (acme / "customer.yaml").write_text(
        CUSTOMER.replace("Europe/London", "Asia/Tokyo"), encoding="utf-8"
    )
    assert next_runs(new, "acme/weekly")[0] == "2026-11-23T09:00:00+09:00"


def test_the_same_values_given_again_are_inherited_too(new: Callable[..., Run], acme: Path) -> None:
    run = new(
        "new", "acme/daily", "--daily", "--time", "07:00",
        "--timezone", "Europe/London", "--email", "Buying@acme.example",
    )  # fmt: skip
    assert run.code == 0, run.both
    text = (acme / "daily.yaml").read_text(encoding="utf-8")
    assert "timezone:" not in text
    assert "  - email: {}" in text.splitlines()


def test_values_of_its_own_are_kept_and_said(new: Callable[..., Run], acme: Path) -> None:
    run = new(
        "new", "acme/tokyo", "--daily", "--time", "07:00",
        "--timezone", "Asia/Tokyo", "--email", "tokyo@acme.example",
    )  # fmt: skip
    assert run.code == 0, run.both
    assert run.out.splitlines()[-1] == (
        "it names its own timezone and recipients over schedules/acme/customer.yaml's"
    )
    text = (acme / "tokyo.yaml").read_text(encoding="utf-8")
    assert "timezone: Asia/Tokyo" in text
    assert '  - email: { to: ["tokyo@acme.example"] }' in text


def test_the_old_api_payload_inherits_as_well(
    new: Callable[..., Run], acme: Path, tmp_path: Path
) -> None:
    source = tmp_path / "payload.json"
    source.write_text(
        '{"customerId": "acme", "scheduleType": "daily", "config": {"time": "06:00"},'
        ' "customerEmail": "buying@acme.example", "timezone": "Europe/London"}',
        encoding="utf-8",
    )
    run = new("new", "--from-json", str(source))
    assert run.code == 0, run.both
    text = (acme / "daily-products.yaml").read_text(encoding="utf-8")
    assert "timezone:" not in text
    assert "buying@acme.example" not in text


def test_a_broken_customer_file_is_named_and_nothing_is_written(
    new: Callable[..., Run], acme: Path
) -> None:
    (acme / "customer.yaml").write_text("name: Acme\ntimezone: Europe/Londn\n", encoding="utf-8")
    run = new("new", "acme/weekly", "--weekly", "monday", "--time", "09:00")
    run.assert_clean_failure(1)
    assert "schedules/acme/customer.yaml:2:11: error: timezone:" in run.err
    assert "fix schedules/acme/customer.yaml first" in run.err
    assert not (acme / "weekly.yaml").exists()


def test_customer_name_starts_a_customer_folder(new: Callable[..., Run], empty_repo: Path) -> None:
    run = new(
        "new", "globex/weekly", "--weekly", "friday", "--time", "16:00",
        "--customer-name", "Globex Corporation", "--timezone", "America/Chicago",
        "--email", "ap@globex.example",
    )  # fmt: skip
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "wrote schedules/globex/customer.yaml; fill in the rest of what the customer reads there",
        "wrote schedules/globex/weekly.yaml; check it with: gitcron next globex/weekly",
        "it inherits from schedules/globex/customer.yaml: timezone America/Chicago;"
        " recipients ap@globex.example",
    ]
    customer = (empty_repo / "schedules/globex/customer.yaml").read_text(encoding="utf-8")
    lines = customer.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/customer.schema.json"
    assert 'name: "Globex Corporation"' in lines
    assert "timezone: America/Chicago" in lines
    assert 'to: ["ap@globex.example"]' in lines
    assert any(line.startswith("# locale:") for line in lines)
    schedule = (empty_repo / "schedules/globex/weekly.yaml").read_text(encoding="utf-8")
    assert "timezone:" not in schedule
    check = new("validate")
    assert (check.code, check.out) == (0, "1 schedule file checked: no problems.\n")
    assert next_runs(new, "globex/weekly")[0] == "2026-11-27T16:00:00-06:00"


def test_customer_name_without_defaults_writes_them_as_comments(
    new: Callable[..., Run], empty_repo: Path
) -> None:
    run = new("new", "initech/daily", "--daily", "--time", "08:00", "--customer-name", "Initech")
    assert run.code == 0, run.both
    customer = (empty_repo / "schedules/initech/customer.yaml").read_text(encoding="utf-8")
    assert any(line.startswith("# timezone:") for line in customer.splitlines())
    assert any(line.startswith("# to:") for line in customer.splitlines())
    schedule = (empty_repo / "schedules/initech/daily.yaml").read_text(encoding="utf-8")
    assert "  - outbox: {}" in schedule.splitlines()  # no one to send to yet
    assert new("validate").code == 0


def test_customer_name_never_replaces_a_customer_file(new: Callable[..., Run], acme: Path) -> None:
    run = new("new", "acme/daily", "--daily", "--time", "08:00", "--customer-name", "Other")
    run.assert_clean_failure(2)
    assert "schedules/acme/customer.yaml already exists" in run.err
    assert (acme / "customer.yaml").read_text(encoding="utf-8") == CUSTOMER
    assert not (acme / "daily.yaml").exists()


def test_customer_name_and_stdout_do_not_mix(new: Callable[..., Run], empty_repo: Path) -> None:
    run = new("new", "globex/w", "--daily", "--time", "08:00", "--customer-name", "G", "--stdout")
    run.assert_clean_failure(2)
    assert "--stdout prints one file" in run.err
    assert not (empty_repo / "schedules/globex").exists()


def test_an_invalid_customer_name_is_refused(new: Callable[..., Run], empty_repo: Path) -> None:
    run = new("new", "globex/w", "--daily", "--time", "08:00", "--customer-name", "")
    run.assert_clean_failure(2)
    assert "schedules/globex/customer.yaml would not be valid: name:" in run.err
    assert not (empty_repo / "schedules/globex").exists()


def test_the_file_name_it_writes_names_the_schedule_not_the_folder(
    new: Callable[..., Run], empty_repo: Path
) -> None:
    run = new("new", "customer-007/weekly-stock", "--weekly", "monday", "--time", "09:00")
    assert run.code == 0, run.both
    text = (empty_repo / "schedules/customer-007/weekly-stock.yaml").read_text(encoding="utf-8")
    assert '  filename: "weekly-stock-{{ run.local_date }}.xlsx"' in text.splitlines()
    assert "customer-007" not in text.split("filename:")[1]
