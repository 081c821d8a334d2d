"""The tick workflow's manual form: its one JSON `request` input runs resend or backfill.

The Tick step's own script, read from .github/workflows/tick.yml, runs under bash with the real
gitcron, in a real clone whose origin is a bare repository: the request reaches gitcron as words
(never as shell code), the record is committed and pushed, the mail arrives on a real SMTP server.
tick-sharded.yml has the same form: its by-hand job runs the same script, word for word.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("aiosmtpd")
from engine.byhand import MAIL, SECRET, Place, place
from support import REPO

if shutil.which("jq") is None or shutil.which("bash") is None:
    pytest.skip("the workflow's script needs bash and jq", allow_module_level=True)


WORKFLOWS = REPO / ".github" / "workflows"
# Each workflow's by-hand step: (file, job, step name)
BY_HAND = {
    "tick.yml": ("tick", "Tick"),
    "tick-sharded.yml": ("by-hand", "Run by hand"),
}


def workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def by_hand_step(name: str = "tick.yml") -> dict[str, Any]:
    job, title = BY_HAND[name]
    [step] = [s for s in workflow(name)["jobs"][job]["steps"] if s.get("name") == title]
    return dict(step)


def tick_script(name: str = "tick.yml") -> str:
    return str(by_hand_step(name)["run"])


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Place]:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.com")
    with place(tmp_path) as where:
        where.write(MAIL)
        (where.root / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
        git(where.root, "init", "-q", "-b", "main")
        git(where.root, "add", "-A")
        git(where.root, "commit", "-q", "-m", "examples")
        git(tmp_path, "clone", "-q", "--bare", str(where.root), "origin.git")
        git(where.root, "remote", "add", "origin", str(tmp_path / "origin.git"))
        git(where.root, "fetch", "-q", "origin")
        git(where.root, "branch", "-q", "--set-upstream-to=origin/main")
        for at in ("2026-11-01T07:00:00Z", "2026-11-02T08:05:00Z"):
            assert where.gitcron("run", "--at", at, "--push").code == 0
        yield where


def dispatch(
    repo: Place,
    request: str,
    dry_run: bool = False,
    name: str = "tick.yml",
    schedule: str = "",
) -> subprocess.CompletedProcess[str]:
    """The workflow's by-hand step as GitHub runs it (bash -e), `gitcron` being this checkout's."""
    shim = f'gitcron() {{ "{sys.executable}" -m gitcron "$@"; }}\n'
    env = {
        **os.environ,
        "REQUEST": request,
        "SCHEDULE": schedule,
        "DRY_RUN": "true" if dry_run else "false",
        "AT": "2026-11-05T10:00:00Z",
        "GITCRON_SMTP_URL": f"smtp://127.0.0.1:{repo.smtp_port}",
        "HOOK_SECRET": SECRET,
    }
    return subprocess.run(
        ["bash", "-e", "-c", shim + tick_script(name)],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_resend_request_is_delivered_committed_and_pushed(repo: Place) -> None:
    done = dispatch(repo, '{"resend": "acme/daily@2026-11-02T08:00:00Z", "targets": [1]}')
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(repo.mails()) == 2
    assert "sent again" in git(repo.root, "log", "-1", "--format=%s", "origin/main")
    assert repo.history()[-1]["trigger"] == "resend"


def test_a_backfill_request_lists_on_a_dry_run(repo: Place) -> None:
    request = '{"backfill": "acme/daily", "from": "2026-11-01", "until": "2026-11-02"}'
    done = dispatch(repo, request, dry_run=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "backfill acme/daily, 2026-11-01 00:00 to 2026-11-02 23:59 UTC" in done.stdout
    assert "dry run: nothing ran" in done.stdout


@pytest.mark.parametrize(
    ("request_text", "said"),
    [
        ('{"resend": "acme/daily@2026-11-02T08:00:00Z", "targets": ["1; touch x"]}', "targets"),
        ('{"backfill": "acme/daily", "from": "2026-11-01"}', "until: give a non-empty text"),
        ('["resend"]', "the request is not a JSON object"),
        ('{"rerun": "acme/daily"}', "names none of resend, backfill, doctor"),
    ],
)
def test_a_request_of_the_wrong_shape_stops_before_gitcron(
    repo: Place, request_text: str, said: str
) -> None:
    done = dispatch(repo, request_text)
    assert done.returncode != 0
    assert said in done.stderr
    assert not (repo.root / "x").exists()
    assert len(repo.mails()) == 1


def test_words_from_the_request_are_never_shell(repo: Place) -> None:
    done = dispatch(repo, '{"resend": "$(touch pwned)@2026-11-02T08:00:00Z"}')
    assert done.returncode == 1
    assert "there is no schedule '$(touch pwned)'" in done.stderr
    assert not (repo.root / "pwned").exists()


def test_a_doctor_request_checks_with_the_steps_own_secrets_and_token(repo: Place) -> None:
    done = dispatch(repo, '{"doctor": {"reach": true}}')
    assert "  ✓ variables  HOOK_SECRET is set" in done.stdout
    assert "  ✓ push       the branch can be pushed (git push --dry-run)" in done.stdout
    assert f"  ✓ reach      the mail server 127.0.0.1:{repo.smtp_port} answers" in done.stdout
    assert "  ✗ codeowners there is no CODEOWNERS file" in done.stdout  # this repo has none
    assert done.returncode == 1
    plain = dispatch(repo, '{"doctor": true}')
    assert "  ✓ push" in plain.stdout
    assert "reach" not in plain.stdout


def test_the_sharded_workflow_has_the_same_form_and_script() -> None:
    tick, sharded = workflow("tick.yml"), workflow("tick-sharded.yml")
    form = tick[True]["workflow_dispatch"]["inputs"]  # PyYAML reads the key `on:` as True
    assert {k: v for k, v in sharded[True]["workflow_dispatch"]["inputs"].items() if k in form} == (
        form
    )
    assert len(sharded[True]["workflow_dispatch"]["inputs"]) <= 25  # GitHub's limit
    assert tick_script("tick-sharded.yml") == tick_script("tick.yml")
    step = by_hand_step("tick-sharded.yml")
    for variable, given in (("SCHEDULE", "schedule"), ("DRY_RUN", "dry_run"), ("AT", "at"),
                            ("REQUEST", "request")):  # fmt: skip
        assert step["env"][variable] == f"${{{{ inputs.{given} }}}}"  # through env only
    assert "${{" not in step["run"]
    job = sharded["jobs"]["by-hand"]
    assert job["permissions"] == {"contents": "write"}  # the command pushes its records
    # it delivers, so it gets the delivering shard step's secrets (validate checks each use)
    [shard] = [s for s in sharded["jobs"]["shard"]["steps"] if "gitcron run" in s.get("run", "")]
    assert {k for k in shard["env"] if k != "SHARD"} <= set(step["env"])


def decide(condition: str, event: str, inputs: dict[str, Any]) -> bool:
    """The workflow's `if:` (the part of GitHub's expression language it uses), evaluated."""
    text = condition.replace("github.event_name", repr(event))
    text = re.sub(r"inputs\.(\w+)", lambda m: repr(inputs.get(m.group(1))), text)
    text = text.replace("||", " or ").replace("&&", " and ")
    text = re.sub(r"!(?!=)", " not ", text)
    return bool(eval(text, {"__builtins__": {}}))  # the workflow's own text


FORM = {"shards": "4", "schedule": "", "dry_run": False, "at": "", "request": ""}


@pytest.mark.parametrize(
    ("event", "given", "job"),
    [
        ("schedule", {}, "plan"),
        ("workflow_dispatch", {}, "plan"),
        ("workflow_dispatch", {"shards": "8"}, "plan"),
        ("workflow_dispatch", {"schedule": "acme/daily"}, "by-hand"),
        ("workflow_dispatch", {"request": '{"doctor": true}'}, "by-hand"),
        ("workflow_dispatch", {"dry_run": True}, "by-hand"),
        ("workflow_dispatch", {"at": "2026-11-05T10:00:00Z"}, "by-hand"),
    ],
)
def test_a_manual_run_goes_to_one_job_and_a_tick_fans_out(
    event: str, given: dict[str, Any], job: str
) -> None:
    jobs = workflow("tick-sharded.yml")["jobs"]
    inputs = {**FORM, **given} if event == "workflow_dispatch" else {}
    runs = {name for name in ("plan", "by-hand") if decide(jobs[name]["if"], event, inputs)}
    assert runs == {job}
    assert jobs["shard"]["needs"] == "plan"  # skipped with the plan
    assert "needs.plan.result == 'success'" in jobs["commit"]["if"]


def test_the_sharded_form_triggers_one_schedule_recorded_as_manual(repo: Place) -> None:
    done = dispatch(repo, "", name="tick-sharded.yml", schedule="acme/daily")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(repo.mails()) == 2
    assert "acme/daily by hand" in git(repo.root, "log", "-1", "--format=%s", "origin/main")
    assert repo.history()[-1]["trigger"] == "manual"


def test_the_sharded_form_resends_recorded_as_a_resend(repo: Place) -> None:
    request = '{"resend": "acme/daily@2026-11-02T08:00:00Z", "targets": [1]}'
    done = dispatch(repo, request, name="tick-sharded.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(repo.mails()) == 2
    assert "sent again" in git(repo.root, "log", "-1", "--format=%s", "origin/main")
    assert repo.history()[-1]["trigger"] == "resend"


def test_the_sharded_forms_words_are_never_shell(repo: Place) -> None:
    done = dispatch(repo, '{"backfill": "$(touch pwned)", "from": "2026-11-01", "until": "x;id"}',
                    name="tick-sharded.yml")  # fmt: skip
    assert done.returncode != 0
    assert not (repo.root / "pwned").exists()
    assert len(repo.mails()) == 1
