"""`paused: yes` is an error with a fix: only `true` and `false` are booleans, as the schema says.

gitcron reads YAML the 1.2 way, so `yes`, `no`, `on` and `off` are text. Validate used to let
pydantic turn the text `yes` into true, while editors checking the schema refused it; now both
refuse it, and validate says what to write instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support import GOOD, Run, invoke, variant

FILE = "schedules/acme/test.yaml"


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Y", "1", "0", '"true"'])
def test_paused_takes_only_true_or_false(check: Callable[..., Run], word: str) -> None:
    run = check(GOOD + f"paused: {word}\n")
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    shown = word.strip('"')
    assert (problem.file, problem.line, problem.col) == (FILE, 12, 9)
    assert problem.rest == f"paused: '{shown}' should be true or false"
    assert problem.fix == "write true or false"


@pytest.mark.parametrize("word", ["true", "false", "True", "FALSE"])
def test_true_and_false_in_any_case_still_pass(check: Callable[..., Run], word: str) -> None:
    run = check(GOOD + f"paused: {word}\n")
    assert run.code == 0, run.out


@pytest.mark.parametrize(
    ("old", "new", "where", "col"),
    [
        ("to: [buyer@example.com]", "to: [buyer@example.com], attach: no", "email.attach", 47),
        ("to: [buyer@example.com]", "to: [buyer@example.com], link: on", "email.link", 45),
    ],
)
def test_every_true_or_false_setting_is_strict(
    check: Callable[..., Run], old: str, new: str, where: str, col: int
) -> None:
    run = check(variant(old, new))
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.line, problem.col) == (11, col)
    assert problem.rest.startswith(f"delivery 1, {where}: '")  # positions count from 1
    assert problem.rest.endswith("' should be true or false")
    assert problem.fix == "write true or false"


def test_report_options_are_strict(check: Callable[..., Run]) -> None:
    run = check(variant("format: csv", "format: csv\n  csv: { bom: yes }\n  json: { lines: 1 }"))
    run.assert_clean_failure(1)
    assert [p.rest for p in run.headlines()] == [
        "report.csv.bom: 'yes' should be true or false",
        "report.json.lines: '1' should be true or false",
    ]


def test_text_that_reads_yes_is_still_text_in_labels(check: Callable[..., Run]) -> None:
    assert check(GOOD + "labels: { approved: yes, mode: off }\n").code == 0


@pytest.mark.parametrize(
    ("added", "where"),
    [
        pytest.param(
            "calendars:\n  office:\n    weekends: yes\n", "calendars.office.weekends", id="weekends"
        ),
        pytest.param(
            "datasets:\n  extra:\n    sample: products\n"
            "    params:\n      region: { required: no }\n",
            "datasets.extra.params.region.required",
            id="required",
        ),
        pytest.param(
            "channels:\n  webhook:\n    allow_private: on\n",
            "channels.webhook.allow_private",
            id="allow_private",
        ),
    ],
)
def test_gitcron_yaml_booleans_take_only_true_or_false(
    empty_repo: Path, added: str, where: str
) -> None:
    """gitcron.yaml's booleans are as strict as a schedule's (the settings schema says so too)."""
    settings = empty_repo / "gitcron.yaml"
    text = settings.read_text("utf-8")
    for key in ("calendars:\n", "datasets:\n", "channels:\n"):  # one top-level key each
        if added.startswith(key):
            text = text.replace(key, added, 1)
    settings.write_text(text, "utf-8")
    run = invoke(["--repo", str(empty_repo), "validate"])
    assert run.code == 1, run.out
    (headline,) = [line for line in run.out.splitlines() if ": error: " in line]
    assert headline.startswith("gitcron.yaml:")
    assert f"{where}: '" in headline
    assert "should be true" in headline  # allow_private: "true, false or a list of addresses"
