"""`gitcron doctor`: the shipped example passes; each problem is found on a broken copy of it.

The repository is a real clone of the example (its settings, schedules, workflows and
CODEOWNERS) with a real bare origin; `--reach` connects to a real SMTP server and a real HTTP
receiver on 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from support import REPO, Run, invoke

pytest.importorskip("aiosmtpd")
from channels.mailserver import Inbox, free_port
from channels.mailserver import serve as serve_mail
from channels.webserver import Receiver
from channels.webserver import serve as serve_hooks

SET = {"GITCRON_SMTP_URL": "smtp://reports:pw@mail.ourco.example:587"}
SET |= {"CUSTOMER_004_WEBHOOK_SECRET": "whsec_a2tra2tra2tra2tra2tra2tra2tra2tr"}
TICK = ".github/workflows/tick.yml"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone of the shipped example, pushed to a bare origin and tracking it."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.com")
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("gitcron.yaml", ".gitignore"):
        shutil.copy(REPO / name, root / name)
    for folder in ("schedules", ".github"):
        shutil.copytree(REPO / folder, root / folder)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the example")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(root, "push", "-q", "-u", "origin", "main")
    return root


def doctor(root: Path, *args: str, env: dict[str, str | None] | None = None) -> Run:
    return invoke(["--repo", str(root), "doctor", *args], {**SET, **(env or {})})


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_example_passes(example: Path) -> None:
    run = doctor(example)
    assert run.code == 0, run.both
    assert "  ✓ variables  CUSTOMER_004_WEBHOOK_SECRET is set: a credential" in run.out
    assert "  ✓ push       the branch can be pushed (git push --dry-run)" in run.out
    assert re.search(
        r"^  ✓ cache      the parse cache works \(\d+ file\(s\) kept\)$", run.out, re.M
    )
    assert run.out.splitlines()[-1] == "ready for the first tick, 2 warning(s)"
    assert "@your-org/engineering is the example's placeholder team" in run.out
    assert SET["GITCRON_SMTP_URL"] not in run.both  # names, never values


def test_a_variable_that_is_not_set(example: Path) -> None:
    run = doctor(example, env={"CUSTOMER_004_WEBHOOK_SECRET": None})
    assert run.code == 1
    assert (
        "  ✗ variables  CUSTOMER_004_WEBHOOK_SECRET is not set here: a credential"
        " (credentials.customer-004-hooks in gitcron.yaml)" in run.out
    )
    assert "fix: store it as a repository secret named CUSTOMER_004_WEBHOOK_SECRET" in run.out
    assert run.out.splitlines()[-1].startswith("1 problem(s)")


def test_a_variable_the_workflow_does_not_pass(example: Path) -> None:
    edit(
        example,
        TICK,
        "          CUSTOMER_004_WEBHOOK_SECRET: ${{ secrets.CUSTOMER_004_WEBHOOK_SECRET }}",
        "",
    )
    run = doctor(example)
    assert run.code == 1
    lines = (example / TICK).read_text().splitlines()
    line = lines.index("      - name: Tick") + 1
    assert (
        f"  ✗ variables  {TICK}:{line}: the step 'Tick' delivers without"
        " CUSTOMER_004_WEBHOOK_SECRET" in run.out
    )
    assert (
        "fix: add `CUSTOMER_004_WEBHOOK_SECRET: ${{ secrets.CUSTOMER_004_WEBHOOK_SECRET }}`"
        " under env: of that step" in run.out
    )


def test_code_owners_that_leave_the_grants_unguarded(example: Path) -> None:
    (example / ".github/CODEOWNERS").write_text("/schedules/ @your-org/account-managers\n")
    run = doctor(example)
    assert run.code == 1
    for path in ("gitcron.yaml", ".github/workflows/tick.yml", ".github/CODEOWNERS"):
        assert f"  ✗ codeowners .github/CODEOWNERS gives {path} no code owner" in run.out
    (example / ".github/CODEOWNERS").unlink()
    run = doctor(example)
    assert run.code == 1
    assert "  ✗ codeowners there is no CODEOWNERS file" in run.out


def test_a_later_rule_without_owner_uncovers_a_file(example: Path) -> None:
    with (example / ".github/CODEOWNERS").open("a") as rules:
        rules.write("*.yaml\n")  # a rule with no owner: the file has none
    run = doctor(example)
    assert "  ✗ codeowners .github/CODEOWNERS gives gitcron.yaml no code owner" in run.out


def test_a_branch_that_cannot_be_pushed(example: Path, tmp_path: Path) -> None:
    git(example, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    run = doctor(example)
    assert run.code == 1
    assert "  ✗ push       git push --dry-run was refused: fatal:" in run.out
    assert "bypass list" in run.out
    git(example, "branch", "--unset-upstream")
    run = doctor(example)
    assert "  ✗ push       branch 'main' has no upstream to push to" in run.out
    assert "fix: set one with: git branch --set-upstream-to=origin/main" in run.out


def test_a_remote_with_newer_commits_is_still_pushable(example: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(other))
    (other / "note.txt").write_text("elsewhere\n")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "elsewhere")
    git(other, "push", "-q")
    (example / "mine.txt").write_text("here\n")
    git(example, "add", "-A")
    git(example, "commit", "-q", "-m", "here")
    assert doctor(example).code == 0


def test_a_cache_that_cannot_be_written(example: Path) -> None:
    (example / ".gitcron-cache").write_text("not a folder\n")
    run = doctor(example)
    assert run.code == 1
    assert "  ✗ cache" in run.out


def test_a_cache_no_workflow_keeps(example: Path) -> None:
    edit(example, TICK, "path: .gitcron-cache/", "path: elsewhere/")
    run = doctor(example)
    assert run.code == 0  # a slower tick, not a broken one
    assert "  ! cache      no workflow keeps .gitcron-cache/ between ticks" in run.out


def test_not_a_git_clone(tmp_path: Path, example: Path) -> None:
    shutil.rmtree(example / ".git")
    run = doctor(example)
    assert run.code == 1
    assert "  ✗ push       this folder is not a git clone" in run.out


@pytest.fixture
def reachable(example: Path) -> Callable[[int], None]:
    """Point the example's webhook at a loopback port, and allow loopback."""

    def point(http: int) -> None:
        edit(
            example,
            "gitcron.yaml",
            "credentials:\n",
            'network: { allow: ["127.0.0.1"] }\n\ncredentials:\n',
        )
        edit(
            example,
            "gitcron.yaml",
            'to: ["https://hooks.customer4.example.com/gitcron"]',
            'to: ["https://hooks.customer4.example.com/gitcron", "127.0.0.1"]',
        )
        edit(
            example,
            "schedules/customer-004/stock-event.yaml",
            "https://hooks.customer4.example.com/gitcron",
            f"http://127.0.0.1:{http}/gitcron",
        )

    return point


def test_reach_connects_to_the_mail_server_and_each_webhook_host(
    example: Path, reachable: Callable[[int], None]
) -> None:
    inbox, receiver = Inbox(), Receiver()
    with serve_mail(inbox, auth_require_tls=False) as smtp, serve_hooks(receiver) as http:
        reachable(http)
        mail = {"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{smtp}"}
        run = doctor(example, "--reach", env=mail)
        assert run.code == 0, run.both
        assert f"  ✓ reach      the mail server 127.0.0.1:{smtp} answers" in run.out
        assert f"  ✓ reach      the webhook host 127.0.0.1:{http} answers" in run.out
        assert inbox.received == []  # connected, sent nothing
        assert receiver.received == []
    closed = free_port()
    run = doctor(example, "--reach", env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{closed}"})
    assert run.code == 1
    assert f"  ✗ reach      the mail server 127.0.0.1:{closed} cannot be reached" in run.out


def test_reach_refuses_what_a_delivery_would_refuse(example: Path) -> None:
    run = doctor(example, "--reach", env={"GITCRON_SMTP_URL": "smtp://127.0.0.1:25"})
    assert run.code == 1
    assert "the mail server 127.0.0.1:25: refusing to connect to the mail server" in run.out
    assert "network.allow" in run.out


def test_a_heartbeat_no_step_passes(example: Path) -> None:
    with (example / "gitcron.yaml").open("a") as settings:
        settings.write("\nliveness: { heartbeat_url_env: GITCRON_HEARTBEAT_URL }\n")
    run = doctor(example, env={"GITCRON_HEARTBEAT_URL": "https://hc-ping.example/abc"})
    assert run.code == 1
    assert (
        f"  ✗ variables  {TICK}: no step passes GITCRON_HEARTBEAT_URL, so the heartbeat is never"
        " pinged" in run.out
    )
    edit(
        example,
        TICK,
        "          # GITCRON_HEARTBEAT_URL: ${{ secrets.GITCRON_HEARTBEAT_URL }}",
        "          GITCRON_HEARTBEAT_URL: ${{ secrets.GITCRON_HEARTBEAT_URL }}",
    )
    edit(
        example,
        ".github/workflows/tick-sharded.yml",
        "          # GITCRON_HEARTBEAT_URL: ${{ secrets.GITCRON_HEARTBEAT_URL }}",
        "          GITCRON_HEARTBEAT_URL: ${{ secrets.GITCRON_HEARTBEAT_URL }}",
    )
    assert doctor(example, env={"GITCRON_HEARTBEAT_URL": "https://hc-ping.example/abc"}).code == 0


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*", "gitcron.yaml", True),
        ("*", ".github/workflows/tick.yml", True),
        ("/gitcron.yaml", "gitcron.yaml", True),
        ("/gitcron.yaml", "sub/gitcron.yaml", False),
        ("gitcron.yaml", "sub/gitcron.yaml", True),
        ("/.github/", ".github/workflows/tick.yml", True),
        ("/.github/", ".github", False),
        ("/schedules/", "gitcron.yaml", False),
        ("*.yaml", "gitcron.yaml", True),
        ("*.yaml", ".github/workflows/tick.yml", False),
        ("/.github/**/*.yml", ".github/workflows/tick.yml", True),
        ("docs/*", "docs/a/b.md", False),
        (".github", ".github/CODEOWNERS", True),
    ],
)
def test_codeowners_patterns_follow_gits_rules(pattern: str, path: str, matches: bool) -> None:
    from gitcron.review.doctor import owner_pattern

    assert bool(owner_pattern(pattern).search(path)) is matches


SFTP_KEY = "CUSTOMER_003_SFTP_KEY"
HOST_KEY = "CUSTOMER_003_SFTP_HOST_KEY"
DAILY = "schedules/customer-003/daily-products.yaml"
SFTP_SETTINGS = f"""
  customer-003-sftp:
    description: Our login on Customer 003's SFTP server
    env: {SFTP_KEY}
    for: sftp
    to: ["sftp://reports@sftp.customer3.example.com/incoming"]
"""
SFTP_DELIVERY = f"""  - sftp:
      url: sftp://reports@sftp.customer3.example.com/incoming
      key: customer-003-sftp
      known_hosts_env: {HOST_KEY}
"""
DELIVERING = "          CUSTOMER_004_WEBHOOK_SECRET: ${{ secrets.CUSTOMER_004_WEBHOOK_SECRET }}"


def pass_to_delivering_steps(root: Path, line: str) -> None:
    """Add `line` under env: of every step that delivers (those passing the example's grant)."""
    for rel in (TICK, ".github/workflows/tick-sharded.yml"):
        path = root / rel
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out = [
            x
            for old in lines
            for x in ((old, line + "\n") if old.startswith(DELIVERING) else (old,))
        ]
        path.write_text("".join(out), encoding="utf-8")


def with_sftp(root: Path) -> None:
    """Customer 003's daily file also goes to their SFTP server, whose host key a variable holds;
    the login is a credential, granted and passed as docs/grants.md says."""
    edit(root, "gitcron.yaml", "\ncredentials:\n", "\ncredentials:" + SFTP_SETTINGS)
    with (root / DAILY).open("a", encoding="utf-8") as schedule:
        schedule.write(SFTP_DELIVERY)
    pass_to_delivering_steps(root, f"          {SFTP_KEY}: ${{{{ secrets.{SFTP_KEY} }}}}")


def test_a_variable_a_schedule_names_is_set_and_passed(example: Path) -> None:
    with_sftp(example)
    env = {SFTP_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----"}
    run = doctor(example, env=env)
    assert run.code == 1, run.both
    line = (example / DAILY).read_text("utf-8").splitlines().index(
        f"      known_hosts_env: {HOST_KEY}"
    ) + 1
    named = f"named by {DAILY}:{line} (delivery 2, sftp.known_hosts_env)"
    assert f"  ✗ variables  {HOST_KEY} is not set here: {named}" in run.out
    tick = (example / TICK).read_text().splitlines().index("      - name: Tick") + 1
    assert f"  ✗ variables  {TICK}:{tick}: the step 'Tick' delivers without {HOST_KEY}" in run.out
    assert f"fix: store it as a repository variable named {HOST_KEY} (Settings" in run.out
    assert f"fix: add `{HOST_KEY}: ${{{{ vars.{HOST_KEY} }}}}` under env: of that step" in run.out
    assert "the step 'Run by hand' delivers without CUSTOMER_003_SFTP_HOST_KEY" in run.out
    assert "the step 'Run this shard's runs (records only, no state)' delivers without" in run.out
    assert f"  ✓ variables  {SFTP_KEY} is set: a credential" in run.out

    pass_to_delivering_steps(example, f"          {HOST_KEY}: ${{{{ vars.{HOST_KEY} }}}}")
    fixed = doctor(example, env={**env, HOST_KEY: "[sftp.customer3.example.com]:22 ssh-ed25519 A"})
    assert fixed.code == 0, fixed.both
    assert f"  ✓ variables  {HOST_KEY} is set: {named}" in fixed.out
    assert "ssh-ed25519" not in fixed.both  # names, never values
