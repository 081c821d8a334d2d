"""`gitcron run --commit/--push` against real git: one state-only commit, replays on a moved
origin, records kept when a push keeps failing, and the heartbeat."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitcron.engine.replay import PENDING_FILE, read_records
from gitcron.gitops import repo as git_steps
from gitops.gitrepo import (
    TICK,
    clone,
    fresh,
    git,
    gitcron,
    origin_with_examples,
    ran_fires,
    records,
    state_files,
)
from support import Run, invoke

NO_SMTP = {"GITCRON_SMTP_URL": None}


def run(root: Path, *args: str, env: dict[str, str | None] | None = None) -> Run:
    return invoke(["--repo", str(root), *args], {**NO_SMTP, **(env or {})})


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    return origin_with_examples(tmp_path)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The push loop's backoff, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr("gitcron.gitops.commit.sleep", slept.append)
    return slept


def test_commit_touches_only_state_with_the_summary_as_message(
    origin: Path, tmp_path: Path
) -> None:
    root = clone(origin, tmp_path / "c")
    edited = root / "schedules/customer-001/weekly-products.yaml"
    edited.write_text(edited.read_text("utf-8") + "# a local edit\n", "utf-8")
    result = run(root, "run", "--at", TICK, "--commit")
    assert result.code == 0, result.both
    log = git(root, "log", "-1", "--format=%an <%ae>|%s")
    assert (
        log
        == "gitcron[bot] <gitcron@users.noreply.github.com>|gitcron: 4 runs (4 succeeded), 2 missed"
    )
    files = git(root, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert files
    assert all(f.startswith("state/") for f in files)
    assert "schedules/customer-001/weekly-products.yaml" in git(root, "status", "--porcelain")


def test_no_commit_when_state_did_not_change(origin: Path, tmp_path: Path) -> None:
    root = clone(origin, tmp_path / "c")
    assert run(root, "run", "--at", TICK, "--commit").code == 0
    before = git(root, "rev-parse", "HEAD")
    again = run(root, "run", "--at", TICK, "--commit")
    assert "nothing to commit" in again.out
    assert git(root, "rev-parse", "HEAD") == before


def test_bot_identity_comes_from_the_environment(origin: Path, tmp_path: Path) -> None:
    root = clone(origin, tmp_path / "c")
    who = {"GITCRON_GIT_NAME": "Ops Bot", "GITCRON_GIT_EMAIL": "ops@ourco.example"}
    assert run(root, "run", "--at", TICK, "--commit", env=who).code == 0
    assert git(root, "log", "-1", "--format=%an <%ae> %cn") == "Ops Bot <ops@ourco.example> Ops Bot"


@pytest.mark.slow
def test_a_later_tick_that_ran_the_same_fires_adds_no_second_run(
    origin: Path, tmp_path: Path
) -> None:
    """B planned on the old state, 3 minutes later: same run ids, other `started`."""
    a, b, alone = (clone(origin, tmp_path / n) for n in ("a", "b", "alone"))
    assert gitcron(a, "run", "--at", TICK, "--push").returncode == 0
    later = "2026-12-07T14:10:00Z"
    pushed_late = gitcron(b, "run", "--at", later, "--push")
    assert pushed_late.returncode == 0, pushed_late.stdout + pushed_late.stderr
    for at in (TICK, later):  # the sequential result: A's tick, then B's on A's state
        assert gitcron(alone, "run", "--at", at, "--commit").returncode == 0
    pushed = fresh(origin, tmp_path)
    assert ran_fires(records(pushed)) == ran_fires(records(alone))
    assert len(records(pushed)) == 6
    assert state_files(pushed) == state_files(alone)


def test_a_schedule_merged_on_origin_during_the_tick_does_not_conflict(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, other = clone(origin, tmp_path / "c"), clone(origin, tmp_path / "pr")
    new = other / "schedules/customer-005/daily.yaml"
    new.parent.mkdir()
    shutil.copy(other / "schedules/customer-003/daily-products.yaml", new)
    edited = other / "schedules/customer-001/weekly-products.yaml"
    edited.write_text(edited.read_text("utf-8").replace("description:", "description: PR:"))
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "a schedule PR")
    real_push = git_steps.push
    pushes: list[bool] = []

    def push_after_the_merge(root_: Path, up: git_steps.Upstream) -> git_steps.PushResult:
        # merged after the runs, before their outcomes are pushed (the claims went first)
        if pushes == [True]:
            git(other, "pull", "-q", "--rebase")  # onto the claims
            git(other, "push", "-q", "origin", "main")  # merged after the tick planned
        result = real_push(root_, up)
        pushes.append(result.ok)
        return result

    monkeypatch.setattr(git_steps, "push", push_after_the_merge)
    result = run(root, "run", "--at", TICK, "--push")
    assert result.code == 0, result.both
    assert pushes == [True, False, True]  # the claims, the outcomes (refused), again
    pushed = fresh(origin, tmp_path)
    assert (pushed / "schedules/customer-005/daily.yaml").exists()
    assert "PR:" in (pushed / "schedules/customer-001/weekly-products.yaml").read_text("utf-8")
    assert len(ran_fires(records(pushed))) == 4
    assert git(pushed, "log", "--format=%s", "-2").splitlines() == [
        "gitcron: 4 runs (4 succeeded), 2 missed",
        "a schedule PR",
    ]
    assert git(pushed, "show", "--name-only", "--format=", "HEAD").startswith("state/")


REFUSE = "echo 'refusing: the branch is protected' >&2; exit 1"
BUT_CLAIMS = f"""while read old new ref; do
  case "$(git log -1 --format=%s "$new")" in "gitcron: claim "*) ;; *) {REFUSE};; esac
done
"""


def reject_pushes(origin: Path, claims_too: bool = False) -> Path:
    """Refuse every push to `origin` but a tick's claims (its outcomes fail), or all of them."""
    hook = origin / "hooks/pre-receive"
    hook.write_text(f"#!/bin/sh\n{REFUSE}\n" if claims_too else f"#!/bin/sh\n{BUT_CLAIMS}")
    hook.chmod(0o755)
    return hook


def test_a_tick_whose_claims_cannot_be_pushed_delivers_nothing(
    origin: Path, tmp_path: Path, no_waiting: list[float]
) -> None:
    root = clone(origin, tmp_path / "c")
    hook = reject_pushes(origin, claims_too=True)
    before = git(root, "rev-parse", "HEAD")
    failed = run(root, "run", "--at", TICK, "--push")
    failed.assert_clean_failure(1)
    reason = "[remote rejected] (pre-receive hook declined); refusing: the branch is protected"
    assert (
        f"the claims on 4 run(s) could not be pushed to origin/main: refused 10 times "
        f"(last: {reason}); nothing was delivered" in failed.err
    )
    assert "✓ succeeded" not in failed.out
    assert not (root / "outbox").exists()  # nothing was delivered
    assert git(root, "rev-parse", "HEAD") == before  # the unpushed claims are not kept
    assert not (root / "state/claims.json").exists()

    hook.unlink()
    again = run(root, "run", "--at", "2026-12-07T14:22:00Z", "--push")
    assert again.code == 0, again.both
    assert len(ran_fires(records(fresh(origin, tmp_path)))) == 4


def test_a_push_that_keeps_failing_keeps_the_records_for_the_next_tick(
    origin: Path, tmp_path: Path, no_waiting: list[float]
) -> None:
    root = clone(origin, tmp_path / "c")
    hook = reject_pushes(origin)
    failed = run(root, "run", "--at", TICK, "--push")
    failed.assert_clean_failure(1)
    assert "state was committed here but not pushed" in failed.err
    assert "refused 10 times" in failed.err
    # git's own reason and the hook's words, not the porcelain's closing `Done`
    reason = "[remote rejected] (pre-receive hook declined); refusing: the branch is protected"
    assert f"(last: {reason})" in failed.err
    assert f"push 1/10 refused: {reason}" in failed.out + failed.err
    assert "refused: Done" not in failed.out + failed.err
    assert PENDING_FILE in failed.err
    assert len(no_waiting) == 9  # backoff between the 10 tries
    assert all(0 <= delay <= 8 for delay in no_waiting)
    kept = read_records(root / PENDING_FILE)
    assert len(ran_fires(kept)) == 4

    hook.unlink()
    later = tmp_path / "next"  # a fresh checkout (as in Actions) with the cache restored
    clone(origin, later)
    (later / PENDING_FILE).parent.mkdir()
    shutil.copy(root / PENDING_FILE, later / PENDING_FILE)
    result = run(later, "run", "--at", "2026-12-07T14:22:00Z", "--push")
    assert result.code == 0, result.both
    assert "replaying 6 record(s) whose push failed" in result.out
    assert not (later / PENDING_FILE).exists()
    pushed = fresh(origin, tmp_path)
    assert len(ran_fires(records(pushed))) == 4
    assert len(records(pushed)) == 6


def test_the_same_checkout_pushes_its_kept_commit_on_the_next_tick(
    origin: Path, tmp_path: Path
) -> None:
    root = clone(origin, tmp_path / "c")
    hook = reject_pushes(origin)
    assert run(root, "run", "--at", TICK, "--push").code == 1
    hook.unlink()
    result = run(root, "run", "--at", "2026-12-07T14:22:00Z", "--push")
    assert result.code == 0, result.both
    assert not (root / PENDING_FILE).exists()
    pushed = fresh(origin, tmp_path)
    assert len(records(pushed)) == 6
    assert state_files(pushed) == state_files(root)


def with_heartbeat(repo: Path, allow: bool = True) -> None:
    settings = repo / "gitcron.yaml"
    text = settings.read_text("utf-8") + "liveness:\n  heartbeat_url_env: HC_URL\n"
    if allow:  # the test's heartbeat server is on loopback, which the network guard refuses
        text += 'network:\n  allow: ["127.0.0.1"]\n'
    settings.write_text(text)


def test_a_heartbeat_to_a_private_address_is_refused_unless_allowed(
    repo: Path, pings: tuple[str, list[str]]
) -> None:
    url, seen = pings
    with_heartbeat(repo, allow=False)
    result = run(repo, "run", "--at", "2026-12-07T05:52:00Z", env={"HC_URL": f"{url}/p/abc"})
    assert result.code == 0  # the ping never fails the tick
    assert "heartbeat to http://127.0.0.1 not sent: refusing to ping the heartbeat at" in result.err
    assert "network: { allow:" in result.err
    assert "/p/abc" not in result.err
    assert seen == []


def test_heartbeat_pings_after_a_good_tick(repo: Path, pings: tuple[str, list[str]]) -> None:
    url, seen = pings
    with_heartbeat(repo)
    assert (
        run(repo, "run", "--at", "2026-12-07T05:52:00Z", env={"HC_URL": f"{url}/p/abc"}).code == 0
    )
    assert seen == ["/p/abc"]


def test_heartbeat_says_fail_after_a_failed_tick(repo: Path, pings: tuple[str, list[str]]) -> None:
    url, seen = pings
    with_heartbeat(repo)
    run(repo, "run", "--at", "2026-12-07T05:52:00Z")
    # a mail server at a private address gitcron.yaml does not allow: a failure no retry fixes
    # (a refused connection would be retried, and a tick whose failures all retry exits 0)
    down = {"HC_URL": f"{url}/p/abc/", "GITCRON_SMTP_URL": "smtp://10.255.255.1:25"}
    assert run(repo, "run", "--at", TICK, env=down).code == 1
    assert seen == ["/p/abc/fail"]


def test_a_failing_heartbeat_only_warns(repo: Path, pings: tuple[str, list[str]]) -> None:
    url, seen = pings
    with_heartbeat(repo)
    result = run(repo, "run", "--at", "2026-12-07T05:52:00Z", env={"HC_URL": f"{url}/down"})
    assert result.code == 0
    assert "warning: heartbeat to http://127.0.0.1 failed" in result.err
    assert "/down" not in result.err  # the URL's path is its secret
    assert seen == ["/down"]
    unreachable = run(repo, "run", "--at", TICK, env={"HC_URL": "http://127.0.0.1:9/x"})
    assert unreachable.code == 0
    assert "heartbeat to http://127.0.0.1 failed" in unreachable.err


def test_heartbeat_after_a_failed_push(
    origin: Path, tmp_path: Path, pings: tuple[str, list[str]]
) -> None:
    url, seen = pings
    root = clone(origin, tmp_path / "c")
    with_heartbeat(root)
    git(root, "commit", "-q", "-am", "heartbeat")
    reject_pushes(origin)
    assert run(root, "run", "--at", TICK, "--push", env={"HC_URL": url + "/p"}).code == 1
    assert seen == ["/p/fail"]


def test_a_manual_trigger_is_committed_and_pushed_too(origin: Path, tmp_path: Path) -> None:
    root = clone(origin, tmp_path / "c")
    sid = "customer-003/daily-products"
    result = run(root, "trigger", sid, "--at", "2026-12-07T11:30:00Z", "--push")
    assert result.code == 0, result.both
    assert "push: done" in result.out
    check = fresh(origin, tmp_path)
    log = git(check, "log", "-1", "--format=%s")
    assert log == f"gitcron: {sid} by hand: 1 run (1 succeeded)"
    [manual] = [r for r in records(check) if r.trigger == "manual"]
    assert manual.run_id == f"{sid}@2026-12-07T11:30:00Z"
    assert manual.status == "succeeded"


def test_a_dry_run_trigger_cannot_commit(origin: Path, tmp_path: Path) -> None:
    root = clone(origin, tmp_path / "c")
    result = run(root, "trigger", "customer-003/daily-products", "--dry-run", "--push")
    assert result.code == 2
    assert "nothing to commit or push" in result.err


def test_a_push_refused_by_a_race_says_so(origin: Path, tmp_path: Path) -> None:
    """Two clones: the second push is refused with git's reason, `fetch first`."""
    first, second = clone(origin, tmp_path / "a"), clone(origin, tmp_path / "b")
    for root in (first, second):
        (root / "note.txt").write_text(root.name, "utf-8")
        git(root, "add", "note.txt")
        git(root, "commit", "-q", "-m", f"note from {root.name}")
    up = git_steps.upstream(first)
    assert git_steps.push(first, up).ok
    refused = git_steps.push(second, git_steps.upstream(second))
    assert not refused.ok
    assert refused.message == "[rejected] (fetch first)"
