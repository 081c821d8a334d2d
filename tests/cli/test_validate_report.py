"""`gitcron validate` on a repo with many problems: all of them, in text, GitHub and JSON form."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from support import GOOD, Run, variant

SECRET_EVENT = """\
description: Stock event
schedule:
  daily: { at: "06:00" }
event:
  type: report.daily
deliver:
  - webhook:
      url: https://hooks.example.com/gitcron
      secret_env: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
"""


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def broken(repo: Path) -> Path:
    """The examples plus a syntax error, a typo, a secret, a stray .yml, a broken gitcron.yaml."""
    write(repo, "schedules/zz/syntax.yaml", "schedule: [\n")
    write(
        repo,
        "schedules/zz/day.yaml",
        variant('daily: { at: "08:00" }', "weekly: { on: munday, at: '09:00' }"),
    )
    write(repo, "schedules/zz/event.yaml", SECRET_EVENT)
    write(repo, "schedules/zz/stray.yml", GOOD)
    settings = repo / "gitcron.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("tick: 15m ", "tick: 15 minutes "),
        encoding="utf-8",
    )
    return repo


TEXT = [
    "schedules/zz/event.yaml:9:19: error: this looks like a webhook signing secret (whsec), and"
    " secrets must never be in files",
    "schedules/zz/syntax.yaml:2:1: error: this is not valid YAML: did not find expected node"
    " content",
    "schedules/zz/day.yaml:4:17: error: schedule.weekly.on: 'munday' is not a day of the week",
    "gitcron.yaml:4:7: error: tick: '15 minutes' is not a length of time",
    "schedules/zz/stray.yml: warning: this file is ignored: schedule files end in .yaml",
    "4 errors, 1 warning in 4 of 11 schedule files and in gitcron.yaml.",
]


def test_text_reports_everything_secrets_first_then_a_summary(
    gitcron: Callable[..., Run], broken: Path
) -> None:
    run = gitcron("validate")
    run.assert_clean_failure(1)
    headlines = [line for line in run.out.splitlines() if not line.startswith("    fix: ")]
    assert headlines == TEXT
    fixes = [line for line in run.out.splitlines() if line.startswith("    fix: ")]
    assert len(fixes) == 5
    assert "    fix: did you mean 'monday'?" in fixes


def test_github_annotations(gitcron: Callable[..., Run], broken: Path) -> None:
    run = gitcron("validate", "--format", "github")
    run.assert_clean_failure(1)
    lines = run.out.splitlines()
    assert lines[-1] == "4 errors, 1 warning in 4 of 11 schedule files and in gitcron.yaml."
    annotations = lines[:-1]
    pattern = re.compile(
        r"^::(error|warning) file=([^,:]+)(?:,line=(\d+),col=(\d+))?,title=([^,:]+)::(.+)$"
    )
    parsed = [pattern.match(line) for line in annotations]
    assert all(parsed), annotations
    assert [(m[1], m[2], m[3], m[5]) for m in parsed if m] == [
        ("error", "schedules/zz/event.yaml", "9", "schedules/zz/event.yaml"),
        ("error", "schedules/zz/syntax.yaml", "2", "schedules/zz/syntax.yaml"),
        ("error", "schedules/zz/day.yaml", "4", "schedule.weekly.on"),
        ("error", "gitcron.yaml", "4", "tick"),
        ("warning", "schedules/zz/stray.yml", None, "schedules/zz/stray.yml"),
    ]
    assert annotations[2].endswith(
        "::'munday' is not a day of the week Fix: did you mean 'monday'?"
    )


def test_json_report(gitcron: Callable[..., Run], broken: Path) -> None:
    run = gitcron("validate", "--format", "json")
    run.assert_clean_failure(1)
    data = run.json()
    assert (data["ok"], data["files"], data["errors"], data["warnings"]) == (False, 12, 4, 1)
    keys = {"file", "line", "col", "loc", "message", "hint", "severity", "kind", "where", "key"}
    assert all(set(p) == keys for p in data["problems"])
    day = next(p for p in data["problems"] if p["file"] == "schedules/zz/day.yaml")
    assert day == {
        "file": "schedules/zz/day.yaml",
        "message": "'munday' is not a day of the week",
        "loc": ["schedule", "weekly", "on"],
        "hint": "did you mean 'monday'?",
        "line": 4,
        "col": 17,
        "severity": "error",
        "kind": "timing",
        "key": False,
        "where": "schedule.weekly.on",
    }
    assert [p["severity"] for p in data["problems"]] == ["error"] * 4 + ["warning"]
    assert data["problems"][0]["kind"] == "secret"


def test_a_clean_repo(gitcron: Callable[..., Run]) -> None:
    run = gitcron("validate")
    assert (run.code, run.out, run.err) == (0, "7 schedule files checked: no problems.\n", "")
    data = gitcron("validate", "--format", "json").json()
    assert data == {
        "ok": True,
        "files": 8,
        "schedule_files": 7,
        "errors": 0,
        "warnings": 0,
        "problems": [],
    }
    assert (
        gitcron("validate", "--format", "github").out == "7 schedule files checked: no problems.\n"
    )


def test_strict_turns_warnings_into_failure(gitcron: Callable[..., Run], repo: Path) -> None:
    write(
        repo,
        "schedules/acme/txt-name.yaml",
        variant('filename: "acme-{{ run.local_date }}.csv"', 'filename: "acme.txt"'),
    )
    relaxed = gitcron("validate")
    assert relaxed.code == 0
    assert relaxed.out.splitlines()[-1] == "0 errors, 1 warning in 1 of 8 schedule files."
    assert "warning: report.filename: the file is made as csv but its name" in relaxed.out
    strict = gitcron("validate", "--strict")
    strict.assert_clean_failure(1)
    assert strict.out == relaxed.out
    json_strict = gitcron("validate", "--strict", "--format", "json")
    assert json_strict.code == 1
    assert json_strict.json()["ok"] is True  # no errors; --strict only changes the exit code


def test_paths_limit_the_check(gitcron: Callable[..., Run], broken: Path) -> None:
    run = gitcron("validate", "schedules/zz/day.yaml")
    run.assert_clean_failure(1)
    assert run.out.splitlines()[0].startswith("schedules/zz/day.yaml:4:17: error:")
    assert run.out.splitlines()[-1] == (
        "2 errors, 0 warnings in 1 of 1 schedule file and in gitcron.yaml."
    )
    missing = gitcron("validate", "schedules/nope.yaml")
    missing.assert_clean_failure(1)
    assert "'schedules/nope.yaml' is neither a file nor a schedule id" in missing.err


def test_unknown_format_is_a_usage_error(gitcron: Callable[..., Run]) -> None:
    run = gitcron("validate", "--format", "xml")
    run.assert_clean_failure(2)
    assert "Invalid value for '--format'" in run.err


def test_github_escapes_what_the_user_wrote(check: Callable[..., Run]) -> None:
    check(GOOD, "schedules/a,b/x.yaml")
    run = check(variant("Europe/London", '"100%"'), "schedules/acme/x:y.yaml", "--format", "github")
    run.assert_clean_failure(1)
    assert run.out.splitlines() == [
        "::error file=schedules/a%2Cb/x.yaml,title=schedules/a%2Cb/x.yaml::'a,b' cannot be part"
        " of a schedule id Fix: rename it using letters, digits, '-', '_' or '.'",
        "::error file=schedules/acme/x%3Ay.yaml,title=schedules/acme/x%3Ay.yaml::'x:y' cannot be"
        " part of a schedule id Fix: rename it using letters, digits, '-', '_' or '.'",
        "2 errors, 0 warnings in 2 of 2 schedule files.",
    ]
    run = check(
        variant("Europe/London", '"100%\\nUTC"'), "schedules/acme/z.yaml", "--format", "github"
    )
    assert (
        "::error file=schedules/acme/z.yaml,line=2,col=11,title=timezone::'100%25%0AUTC' is not a"
        " timezone gitcron knows" in run.out
    )


def test_unknown_holiday_code_in_gitcron_yaml(gitcron: Callable[..., Run], repo: Path) -> None:
    settings = repo / "gitcron.yaml"
    text = settings.read_text(encoding="utf-8")
    old = "    dates: [2026-12-24, 2026-12-31]\n"
    settings.write_text(text.replace(old, old + "    holidays: UK\n"), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 2
    run = gitcron("validate")
    run.assert_clean_failure(1)
    assert run.out.splitlines() == [
        f"gitcron.yaml:{line}:15: error: calendars.company-closures.holidays: unknown holiday"
        " country 'UK' (use a two-letter code like US or GB); did you mean GB (United Kingdom)?",
        "    fix: use a code like US, GB-ENG or DE-BY",
        "1 error, 0 warnings in gitcron.yaml; none in 7 schedule files.",
    ]
