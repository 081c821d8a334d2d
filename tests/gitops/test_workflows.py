"""The workflow files: thin wrappers around the CLI, so their `run:` steps are run here for real.

validate.yml's steps run with bash against a temp git repo, with the variables GitHub sets
(GITHUB_STEP_SUMMARY, RUNNER_TEMP, the step's `env:`). Rules zizmor does not cover are checked
on every workflow: actions pinned by SHA, no `${{ }}` inside scripts, commands that exist.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitcron.cli.main import cli
from review.test_preview import NIGHTLY, WEEKLY, GitRepo
from support import REPO

WORKFLOWS = REPO / ".github" / "workflows"
NOW = "2026-11-22T12:00:00Z"
# What GitHub substitutes into the steps' `env:` for a pull request into main.
GITHUB = {
    "${{ github.base_ref }}": "main",
    "${{ github.token }}": "not-a-token",
    "${{ github.event.pull_request.number }}": "7",
    "${{ github.repository }}": "ourco/gitcron",
}


def workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(name: str) -> list[dict[str, Any]]:
    return [step for job in workflow(name)["jobs"].values() for step in job["steps"]]


def step(name: str, title: str) -> dict[str, Any]:
    return next(s for s in steps(name) if s.get("name") == title)


ALL = sorted(p.name for p in WORKFLOWS.glob("*.yml"))


@pytest.mark.parametrize("name", ALL)
def test_actions_are_pinned_by_sha_with_a_version(name: str) -> None:
    for found in steps(name):
        if "uses" in found:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", found["uses"]), found["uses"]
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"# v\d+\.\d+\.\d+", line), f"{name}: no version comment: {line}"


@pytest.mark.parametrize("name", ALL)
def test_scripts_take_inputs_from_env_never_expressions(name: str) -> None:
    """`${{ }}` inside `run:` is pasted into the script before bash reads it: injection."""
    for found in steps(name):
        assert "${{" not in found.get("run", ""), f"{name}: {found.get('name')}"


@pytest.mark.parametrize("name", ALL)
def test_permissions_are_declared(name: str) -> None:
    assert workflow(name)["permissions"] == {}, "grant per job, least privilege"
    for job in workflow(name)["jobs"].values():
        assert "permissions" in job


@pytest.mark.parametrize("name", ALL)
def test_every_gitcron_command_exists(name: str) -> None:
    for found in steps(name):
        for command in re.findall(r"\bgitcron (\w[\w-]*)", found.get("run", "")):
            assert command in cli.commands, f"{name}: gitcron {command}"


def test_state_writers_share_one_queue() -> None:
    concurrency = workflow("tick.yml")["concurrency"]
    assert concurrency == {"group": "gitcron-state", "cancel-in-progress": False, "queue": "max"}


@pytest.fixture
def pr_repo(tmp_path: Path) -> GitRepo:
    """A PR branch adding one schedule and breaking another, with origin/main as its base."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("schedules/acme/weekly.yaml", WEEKLY)
    repo.commit("base")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.branch()
    repo.write("schedules/acme/nightly.yaml", NIGHTLY)
    repo.write("schedules/acme/weekly.yaml", WEEKLY.replace("monday", "munday"))
    repo.commit("the PR")
    return repo


def run_step(
    repo: GitRepo, found: dict[str, Any], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """Run one step's script as GitHub does (`shell: bash` is bash -eo pipefail)."""
    env = {key: GITHUB.get(str(value), str(value)) for key, value in found.get("env", {}).items()}
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir(exist_ok=True)
    scripts = str(Path(sys.executable).parent)
    env |= {
        "PATH": f"{scripts}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_BASE_REF": "main",
        "RUNNER_TEMP": str(runner_temp),
        "GITCRON_NOW": NOW,
        "HOME": str(tmp_path),
    }
    env |= {k: v for k, v in os.environ.items() if k in ("PYTHONPATH", "SYSTEMROOT")}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", found["run"]],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_validate_reports_on_every_pull_request() -> None:
    """A check that can be required must report on every pull request: no `paths:` filter."""
    triggers = workflow("validate.yml")[True]  # PyYAML reads the key `on:` as True
    assert triggers == {"pull_request": None}


@pytest.mark.skipif(shutil.which("bash") is None, reason="the workflows' shell is bash")
@pytest.mark.parametrize(
    ("touched", "relevant"),
    [
        pytest.param("schedules/acme/nightly.yaml", "true", id="a schedule"),
        pytest.param("gitcron.yaml", "true", id="the settings"),
        pytest.param(".github/workflows/tick.yml", "true", id="a workflow"),
        pytest.param("README.md", "false", id="only prose"),
    ],
)
def test_a_pull_request_touching_nothing_gitcron_reads_skips_the_install(
    pr_repo: GitRepo, tmp_path: Path, touched: str, relevant: str
) -> None:
    pr_repo.git("reset", "-q", "--hard", "origin/main")
    pr_repo.write(touched, "# changed\n")
    pr_repo.commit("the PR")
    done = run_step(pr_repo, step("validate.yml", "What does this pull request touch?"), tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output").read_text(encoding="utf-8") == f"relevant={relevant}\n"
    later = [s for s in steps("validate.yml") if s.get("name") in ("Install gitcron", "Validate")]
    assert all(s["if"] == "steps.changes.outputs.relevant == 'true'" for s in later)


@pytest.mark.skipif(shutil.which("bash") is None, reason="the workflows' shell is bash")
def test_validate_step_annotates_and_fills_the_summary(pr_repo: GitRepo, tmp_path: Path) -> None:
    done = run_step(pr_repo, step("validate.yml", "Validate"), tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("::error file=schedules/acme/weekly.yaml,line=")
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### gitcron validate\n```text\nschedules/acme/weekly.yaml:")
    assert summary.endswith("1 error, 0 warnings in 1 of 2 schedule files.\n```\n")


@pytest.mark.skipif(shutil.which("bash") is None, reason="the workflows' shell is bash")
def test_preview_step_writes_the_summary(pr_repo: GitRepo, tmp_path: Path) -> None:
    done = run_step(pr_repo, step("validate.yml", "Preview"), tmp_path)
    assert done.returncode == 0, done.stderr
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## gitcron preview\n\nCompared with `origin/main`")
    assert "1 invalid, 1 added" in summary
    assert (tmp_path / "runner" / "preview.md").read_text(encoding="utf-8") == summary
