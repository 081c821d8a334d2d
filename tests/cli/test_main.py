"""The command line itself: usage errors exit 2, user problems exit 1, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from support import REPO, Run, invoke


@pytest.mark.parametrize(
    ("at", "env", "message"),
    [
        pytest.param(
            ["--at", "yesterday"],
            {},
            "--at: 'yesterday' is not an ISO 8601 date and time",
            id="word",
        ),
        pytest.param(
            ["--at", "2026-13-01"], {}, "--at: '2026-13-01' is not an ISO 8601", id="month-13"
        ),
        pytest.param(
            ["--at", "2026-11-22T25:00Z"],
            {},
            "'2026-11-22T25:00Z' is not an ISO 8601",
            id="hour-25",
        ),
        pytest.param(
            [], {"GITCRON_NOW": "soon"}, "GITCRON_NOW: 'soon' is not an ISO 8601", id="env"
        ),
    ],
)
def test_bad_instant_exits_2(
    gitcron: Callable[..., Run], at: list[str], env: dict[str, str], message: str
) -> None:
    run = gitcron(*at, "validate", env=env)
    run.assert_clean_failure(2)
    assert run.out == ""
    first, hint = run.err.splitlines()
    assert first.startswith("gitcron: ")
    assert message in first
    assert hint == "  hint: write it like 2026-11-23T09:00:00Z or 2026-11-23T09:00:00-05:00"


def test_bad_after_exits_2(gitcron: Callable[..., Run]) -> None:
    run = gitcron("next", "customer-001/weekly-products", "--after", "next week")
    run.assert_clean_failure(2)
    assert "--after: 'next week' is not an ISO 8601 date and time" in run.err


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["validate", "--bogus"], id="unknown-option"),
        pytest.param(["next"], id="missing-argument"),
        pytest.param(["next", "customer-001/weekly-products", "-n", "0"], id="count-zero"),
    ],
)
def test_usage_errors_exit_2(gitcron: Callable[..., Run], args: list[str]) -> None:
    run = gitcron(*args)
    run.assert_clean_failure(2)
    assert "Usage: gitcron" in run.err
    assert "Error:" in run.err


def test_unknown_command_names_it(gitcron: Callable[..., Run]) -> None:
    assert "No such command 'frobnicate'" in gitcron("frobnicate").err


def test_outside_a_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["validate"], ["next", "a/b"], ["new", "a/b", "--daily", "--time", "09:00"]):
        run = invoke(args)
        run.assert_clean_failure(1)
        assert run.err.splitlines() == [
            f"gitcron: no gitcron.yaml in {tmp_path.name} or any folder above it",
            "  hint: run gitcron inside a gitcron repository, or pass --repo DIR",
        ]


def test_repo_is_found_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "schedules" / "customer-001")
    run = invoke(["validate"])
    assert (run.code, run.out) == (0, "7 schedule files checked: no problems.\n")


def test_version_and_help(gitcron: Callable[..., Run]) -> None:
    version = gitcron("--version")
    assert (version.code, version.out) == (0, "gitcron, version 0.1.0\n")
    helped = gitcron("--help")
    assert helped.code == 0
    for command in ("validate", "next", "schema", "new"):
        assert f"  {command} " in helped.out


def _readme_command(marker: str) -> str:
    """The README's fenced command after `<!-- marker -->`, extracted by .ci/run's own function."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    script = (REPO / ".ci/run").read_text(encoding="utf-8")
    start = script.index("readme_command() {")
    end = script.index("\n}\n", start) + 3
    result = subprocess.run(
        [bash, "-c", script[start:end] + f"readme_command {marker}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
        env={"PATH": os.environ.get("PATH", "")},
    )
    return result.stdout.strip()


def test_ci_runs_the_readme_test_command() -> None:
    command = _readme_command("test-command")
    assert command == (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]'"
        " && python -m pytest"
    )
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "test_command=$(readme_command test-command)" in ci
    assert 'bash -euo pipefail -c "$test_command"' in ci


def test_readme_has_the_main_command() -> None:
    command = _readme_command("main-command")
    assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e .")
    assert "$(readme_command main-command)" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_readme_main_command_ticks_the_examples(repo: Path) -> None:
    """The gitcron steps of README's first command, run here on a copy of the examples."""
    steps = [s.strip() for s in _readme_command("main-command").split("&&")]
    gitcron_steps = [s.split()[1:] for s in steps if s.startswith("gitcron ")]
    assert [s[0] for s in gitcron_steps] == ["run", "run", "history"]
    outputs = []
    for args in gitcron_steps:
        run = invoke(["--repo", str(repo), *args], {"GITCRON_SMTP_URL": None})
        assert run.code == 0, run.both
        outputs.append(run.out)
    assert "first tick of this repository" in outputs[0]
    assert "4 runs (4 succeeded), 2 missed" in outputs[1]
    delivered = [p for p in (repo / "outbox").rglob("*.eml") if "_notifications" not in p.parts]
    assert len(delivered) == 4
    # and the owner of the two missed fires hears of them, in one message
    assert len(list((repo / "outbox/_notifications/_missed").glob("*.eml"))) == 1


def test_readme_problem_example_is_what_validate_prints(check: Callable[..., Run]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    text = (
        "description: x\nschedule:\n  weekly: { on: monday, at: '09:00' }\n"
        "report: { dataset: products, format: csv }\n"
        "deliver:\n  - email: { to: [a@example.com] }\n"
    ).replace("{ on: monday", "{ on: munday")
    run = check(text, "schedules/acme/weekly.yaml")
    headline, fix = run.out.splitlines()[:2]
    assert headline == (
        "schedules/acme/weekly.yaml:3:17: error: schedule.weekly.on: 'munday' is not a day of"
        " the week"
    )
    assert fix == "    fix: did you mean 'monday'?"
    assert "error: schedule.weekly.on: 'munday' is not a day of the week\n" + fix in readme


def test_repo_after_the_command(repo: Path, empty_repo: Path) -> None:
    assert (
        invoke(["validate", "--repo", str(repo)]).out == "7 schedule files checked: no problems.\n"
    )
    made = invoke(["new", "acme/x", "--daily", "--at", "09:00", "--repo", str(empty_repo)])
    assert made.code == 0, made.both
    assert (empty_repo / "schedules/acme/x.yaml").is_file()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        pytest.param(
            ["run", "--dry-run", "--push"],
            {},
            "gitcron: --dry-run writes no state, so there is nothing to commit or push",
            id="run-flags",
        ),
        pytest.param(
            ["new", "acme/x"],
            {},
            "gitcron: say when it runs with exactly one of --daily, --weekly, --monthly, --cron,"
            " --once, --every",
            id="new-flags",
        ),
        pytest.param(
            ["commit", "--records", "{records}"],
            {"GITCRON_NOW": None},
            "gitcron: the records folder holds no records: pass --at with the plan's instant",
            id="commit-no-instant",
        ),
    ],
)
def test_usage_problems_a_command_finds_read_like_every_message(
    repo: Path, args: list[str], env: dict[str, str | None], message: str
) -> None:
    """Each is a UsageError: `gitcron: ` and the message (a hint may follow), exit 2."""
    empty = repo / "records"
    empty.mkdir()
    run = invoke(["--repo", str(repo), *(a.format(records=empty) for a in args)], env)
    run.assert_clean_failure(2)
    assert run.err.splitlines()[0] == message
    assert "Usage:" not in run.err
