"""A few runs of the real program (`python -m gitcron`) in a subprocess, as CI and users run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support import GOOD, NOW, variant


def gitcron(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITCRON_")}
    env["GITCRON_NOW"] = NOW
    return subprocess.run(
        [sys.executable, "-m", "gitcron", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_examples_validate_and_next_is_exact(repo: Path) -> None:
    ok = gitcron("validate", cwd=repo)
    assert (ok.returncode, ok.stdout, ok.stderr) == (
        0,
        "7 schedule files checked: no problems.\n",
        "",
    )
    plan = gitcron(
        "next",
        "customer-001/weekly-products",
        "-n",
        "3",
        "--at",
        "2026-11-22T12:00:00Z",
        "--format",
        "json",
        cwd=repo,
    )
    assert plan.returncode == 0, plan.stderr
    assert json.loads(plan.stdout) == {
        "schedule": "customer-001/weekly-products",
        "timezone": "America/New_York",
        "runs": [
            "2026-11-23T09:00:00-05:00",
            "2026-11-30T09:00:00-05:00",
            "2026-12-07T09:00:00-05:00",
        ],
    }


def test_bad_files_exit_1_with_positions_and_no_traceback(repo: Path) -> None:
    (repo / "schedules/acme").mkdir()
    (repo / "schedules/acme/a.yaml").write_text(variant("Europe/London", "Europe/Lodnon"), "utf-8")
    (repo / "schedules/acme/b.yaml").write_text("x: &a 1\ny: *a\n", "utf-8")
    (repo / "schedules/acme/c.yaml").write_text(GOOD + "skip: [holidays: NO]\n", "utf-8")
    run = gitcron("validate", "--format", "github", cwd=repo)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    assert run.stdout.splitlines() == [
        "::error file=schedules/acme/b.yaml,line=1,col=4,title=schedules/acme/b.yaml::YAML anchors"
        " and aliases ('&a', '*a') are not allowed Fix: write the value out in full where it is"
        " needed",
        "::error file=schedules/acme/a.yaml,line=2,col=11,title=timezone::'Europe/Lodnon' is not a"
        " timezone gitcron knows Fix: did you mean 'Europe/London'?",
        "2 errors, 0 warnings in 2 of 10 schedule files.",
    ]


def test_usage_error_and_missing_repo(tmp_path: Path, repo: Path) -> None:
    usage = gitcron("--at", "tomorrow", "validate", cwd=repo)
    assert usage.returncode == 2
    assert usage.stderr.startswith("gitcron: --at: 'tomorrow' is not an ISO 8601 date and time")
    outside = gitcron("validate", cwd=tmp_path)
    assert outside.returncode == 1
    assert outside.stderr.startswith(f"gitcron: no gitcron.yaml in {tmp_path.name}")
    assert "Traceback" not in usage.stderr + outside.stderr
