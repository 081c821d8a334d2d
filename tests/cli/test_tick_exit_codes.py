"""A tick's exit code tells the truth: failures that a retry will heal exit 0 with warnings;
a final failure, a damaged file or a failed push exit 1 (docs/tick.md, "Exit codes")."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from channels.webserver import Receiver, Reply, serve
from cli.hook_repo import ENV, HOOK, point_webhook_at
from support import Run

ACTIONS = {**ENV, "GITHUB_ACTIONS": "true"}


@pytest.fixture
def receiver(repo: Path) -> Iterator[Receiver]:
    receiver = Receiver(Reply(503, b"busy, try later"))
    with serve(receiver) as port:
        point_webhook_at(repo, port)
        yield receiver


def annotations(run: Run) -> list[str]:
    return [line for line in run.out.splitlines() if line.startswith("::")]


def test_failures_with_a_retry_scheduled_exit_0_with_warnings(
    gitcron: Callable[..., Run], receiver: Receiver
) -> None:
    assert gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV).code == 0
    run = gitcron("run", "--at", "2026-12-07T06:07:00Z", env=ACTIONS)
    assert run.code == 0, run.both
    assert len(receiver.received) == 1
    assert "retries: 1 failed run(s) will be retried (the first from 2026-12-07 06:12 UTC)" in (
        run.out
    )
    [warning] = annotations(run)
    assert warning.startswith(
        "::warning file=schedules/customer-004/stock-event.yaml,"
        "title=run failed%2C retried later::customer-004/stock-event: "
    )
    assert "answered HTTP 503 Service Unavailable: busy, try later" in warning
    assert "Retried from 2026-12-07 06:12 UTC (attempt 2 of 4)" in warning


def test_annotations_only_on_github_actions(
    gitcron: Callable[..., Run], receiver: Receiver
) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV)
    run = gitcron("run", "--at", "2026-12-07T06:07:00Z", env={**ENV, "GITHUB_ACTIONS": None})
    assert run.code == 0
    assert annotations(run) == []


def test_the_last_retry_failing_exits_1_with_an_error(
    gitcron: Callable[..., Run], receiver: Receiver
) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV)
    # tries at 06:07, 06:22, 06:37; each retry is due 5, 10, 20 min after the try before it
    ticks = ["06:07", "06:22", "06:37", "07:07"]
    runs = [gitcron("run", "--at", f"2026-12-07T{t}:00Z", env=ACTIONS) for t in ticks]
    assert [r.code for r in runs] == [0, 0, 0, 1]
    assert len(receiver.received) == 4
    [error] = annotations(runs[-1])
    assert error.startswith(
        "::error file=schedules/customer-004/stock-event.yaml,title=run failed for good::"
    )
    assert "the run of 2026-12-07 06:00 UTC failed" in error
    assert f"Fix: fix what the error says, then send it again with `gitcron trigger {HOOK}`" in (
        error
    )


def test_an_error_a_retry_cannot_fix_exits_1(
    gitcron: Callable[..., Run], receiver: Receiver
) -> None:
    receiver.replies = [Reply(410, b"gone")]
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV)
    run = gitcron("run", "--at", "2026-12-07T06:07:00Z", env=ACTIONS)
    assert run.code == 1
    assert annotations(run)[0].startswith("::error file=schedules/customer-004/stock-event.yaml,")


def test_a_final_failure_comes_before_the_retries(
    gitcron: Callable[..., Run], receiver: Receiver
) -> None:
    """Most important first: GitHub shows only 10 annotations of a step."""
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV)
    # a private mail server gitcron.yaml does not allow: refused for good, never retried
    down = {**ACTIONS, "GITCRON_SMTP_URL": "smtp://10.255.255.1:25"}
    run = gitcron("run", "--at", "2026-12-07T06:07:00Z", env=down)
    assert run.code == 1
    first, second = annotations(run)
    assert first.startswith("::error file=schedules/customer-004/products-every-6h.yaml,")
    assert second.startswith("::warning file=schedules/customer-004/stock-event.yaml,")


def test_a_damaged_state_file_exits_1(gitcron: Callable[..., Run], repo: Path) -> None:
    gitcron("run", "--at", "2026-12-07T05:52:00Z", env=ENV)
    (repo / "state/schedules/customer-002.json").write_text("{not json", "utf-8")
    run = gitcron("run", "--at", "2026-12-07T06:07:00Z", env=ACTIONS)
    assert run.code == 1
    [error] = [a for a in annotations(run) if "customer-002" in a]
    assert error.startswith("::error file=state/schedules/customer-002.json,line=1,col=2,")
    assert "gitcron state repair" in error


def test_a_push_that_is_refused_exits_1(
    gitcron: Callable[..., Run], repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gitcron.gitops.commit.sleep", lambda seconds: None)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    git("remote", "add", "origin", str(origin))
    git("push", "-q", "-u", "origin", "main")
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n", "utf-8")
    hook.chmod(0o755)
    page = tmp_path / "summary.md"
    run = gitcron(
        "run",
        "--at",
        "2026-12-07T05:52:00Z",
        "--push",
        env={**ENV, "GITHUB_STEP_SUMMARY": str(page)},
    )
    assert run.code == 1
    assert "state was committed here but not pushed" in run.err
    summary = page.read_text("utf-8")  # the job summary says so too, with the exit code
    assert "· exit 1: needs attention" in summary
    assert "Commit-back failed: state was committed here but not pushed" in summary
