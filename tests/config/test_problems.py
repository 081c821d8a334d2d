"""The three report formats: text for people, workflow commands for GitHub, JSON for tools."""

from __future__ import annotations

import json

import pytest

from gitcron.config.problems import Problem, format_github, format_text, ordered, render, summary

WARN = Problem("b.yaml", "a warning", ("x",), line=1, col=1, severity="warning", kind="timing")
SYNTAX = Problem("z.yaml", "unreadable", line=9, col=2, kind="syntax")
SECRET = Problem("z.yaml", "a token", line=20, col=5, kind="secret", hint="remove it")
TIMING = Problem("a.yaml", "too often", ("schedule",), line=3, col=3, kind="timing")
OTHER = Problem("a.yaml", "unknown key", ("timzone",), line=1, col=1, key=True)


def test_where_is_a_breadcrumb() -> None:
    problem = Problem("f", "m", ("deliver", 0, "email", "to", 1))
    assert problem.where == "delivery 1, email.to item 2"  # counted from 1, as people count
    assert Problem("f", "m").where == ""


def test_text_format() -> None:
    problem = Problem("s/a.yaml", "bad day", ("schedule", "weekly", "on"), "did you mean?", 6, 15)
    assert format_text(problem) == (
        "s/a.yaml:6:15: error: schedule.weekly.on: bad day\n    fix: did you mean?"
    )
    assert format_text(Problem("s/a.yaml", "the file is empty")) == (
        "s/a.yaml: error: the file is empty"
    )


def test_order_errors_first_then_secrets_syntax_timing() -> None:
    assert ordered([WARN, OTHER, TIMING, SYNTAX, SECRET]) == [SECRET, SYNTAX, TIMING, OTHER, WARN]


def test_github_escapes_properties_and_data() -> None:
    problem = Problem(
        "schedules/a,b/x:y.yaml",
        "50% done\r\nnext line",
        ("labels", "a:b,c"),
        hint="100%",
        line=3,
        col=7,
    )
    assert format_github(problem) == (
        "::error file=schedules/a%2Cb/x%3Ay.yaml,line=3,col=7,title=labels.a%3Ab%2Cc"
        "::50%25 done%0D%0Anext line Fix: 100%25"
    )


def test_github_without_position_uses_the_file_as_title() -> None:
    problem = Problem("schedules/x.yaml", "outside", severity="warning")
    assert format_github(problem) == (
        "::warning file=schedules/x.yaml,title=schedules/x.yaml::outside"
    )


@pytest.mark.parametrize(
    ("problems", "files", "expected"),
    [
        ([], 1, "1 schedule file checked: no problems."),
        ([], 8, "8 schedule files checked: no problems."),
        ([TIMING], 2, "1 error, 0 warnings in 1 of 2 schedule files."),
        ([TIMING, OTHER, WARN], 3, "2 errors, 1 warning in 2 of 3 schedule files."),
    ],
)
def test_summary(problems: list[Problem], files: int, expected: str) -> None:
    assert summary(problems, files) == expected


def test_render_text_one_problem_per_line_then_summary() -> None:
    assert render([WARN, TIMING], 2, "text").splitlines() == [
        "a.yaml:3:3: error: schedule: too often",
        "b.yaml:1:1: warning: x: a warning",
        "1 error, 1 warning in 2 of 2 schedule files.",
    ]


def test_render_json() -> None:
    data = json.loads(render([WARN, SECRET], 4, "json"))
    assert {k: data[k] for k in ("ok", "files", "errors", "warnings")} == {
        "ok": False,
        "files": 4,
        "errors": 1,
        "warnings": 1,
    }
    assert data["problems"][0] == {
        "file": "z.yaml",
        "message": "a token",
        "loc": [],
        "hint": "remove it",
        "line": 20,
        "col": 5,
        "severity": "error",
        "kind": "secret",
        "key": False,
        "where": "",
    }
    assert data["problems"][1]["loc"] == ["x"]
    assert json.loads(render([WARN], 1, "json"))["ok"] is True
