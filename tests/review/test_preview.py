"""`gitcron preview`: real git repos with a base commit and a PR branch, against golden files.

The golden files under golden/ are compared exactly; `GITCRON_UPDATE_GOLDEN=1 pytest tests/review`
rewrites them (then read the diff before committing it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gitcron.clock import parse_instant
from gitcron.review import markdown, preview
from support import invoke

GOLDEN = Path(__file__).parent / "golden"
NOW = "2026-11-22T12:00:00Z"  # a Sunday; Thanksgiving 2026 is Thursday the 26th


SETTINGS = """\
tick: 15m
defaults:
  timezone: UTC
  catchup: latest
  max_delay: 6h
datasets:
  products:
    sample: products
    params: [customer]
liveness:
  stale_after: 2h
credentials:
  acme-files: { env: ACME_SECRET, for: webhook, to: ["https://hooks.acme.example/files"] }
"""

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2026-11-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-01T00:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


class GitRepo:
    """A real repo in a temp folder, on branch main with gitcron.yaml: write, commit, branch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.write("gitcron.yaml", SETTINGS)

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env={**os.environ, **_GIT_ENV},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def delete(self, rel: str) -> None:
        (self.root / rel).unlink()

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str = "pr") -> None:
        self.git("checkout", "-q", "-b", name)

    def tick(self, instant: str) -> None:
        """state/tick.json as the tick writes it."""
        self.write("state/tick.json", f'{{"format": 1, "last_tick": "{instant}"}}\n')


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GITCRON_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run with GITCRON_UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def schedule(when: str, *, extra: str = "", deliver: str = "  - email: { to: [a@acme.example] }"):
    return (
        f"{extra}schedule:\n  {when}\n"
        "report: { dataset: products, params: { customer: acme }, format: csv }\n"
        f"deliver:\n{deliver}\n"
    )


NIGHTLY = schedule(
    'daily: { at: "02:30" }',
    extra="description: Nightly stock for the New York store\ntimezone: America/New_York\n"
    "skip: [{holidays: US}]\n",
)
OR_TRAP = schedule('cron: "0 10 1-7 * 1"', extra="timezone: Europe/London\n")
WEEKLY = schedule(
    'weekly: { on: monday, at: "09:00" }',
    extra="description: Weekly products\nowner: jane@ourco.example\ntimezone: Europe/London\n",
)
WEEKLY_CHANGED = schedule(
    'weekly: { on: [monday, thursday], at: "08:30" }',
    extra="description: Weekly products, twice a week\nowner: joe@ourco.example\n"
    "timezone: Europe/Berlin\n",
    deliver="  - email: { to: [a@acme.example] }\n"
    '  - webhook: { url: "https://hooks.acme.example/files", secret_env: ACME_SECRET }',
)


def monthly(paused: bool) -> str:
    return schedule(
        'monthly: { on: last weekday, at: "17:00" }',
        extra=f"timezone: America/Chicago\npaused: {'true' if paused else 'false'}\n",
    )


def make(tmp_path: Path, base: dict[str, str], pr: dict[str, str | None]) -> GitRepo:
    """A repo whose main holds `base`, checked out on a PR branch with `pr` applied (None
    deletes a file), the PR's changes committed like a real branch."""
    repo = GitRepo(tmp_path / "repo")
    for rel, text in base.items():
        repo.write(rel, text)
    repo.commit("base")
    repo.branch()
    for rel, change in pr.items():
        if change is None:
            repo.delete(rel)
        else:
            repo.write(rel, change)
    repo.commit("the PR")
    return repo


def preview_of(repo: GitRepo, now: str, *args: str) -> str:
    run = invoke(["--repo", str(repo.root), "--at", now, "preview", "--base", "main", *args])
    assert run.code == 0, run.both
    base = repo.git("merge-base", "main", "HEAD")
    return run.out.replace(base[:12], "MERGE-BASE").replace(base, "MERGE-BASE")


CASES = [
    pytest.param(
        {},
        {"schedules/acme/nightly.yaml": NIGHTLY, "schedules/acme/or-trap.yaml": OR_TRAP},
        "2027-03-10T12:00:00Z",
        "added.md",
        id="added: dst gap in new york, cron day-field OR trap",
    ),
    pytest.param(
        {"schedules/acme/weekly.yaml": WEEKLY},
        {"schedules/acme/weekly.yaml": WEEKLY_CHANGED},
        NOW,
        "changed.md",
        id="changed: timing, zone, deliveries, description, owner",
    ),
    pytest.param(
        {"schedules/acme/weekly.yaml": WEEKLY, "schedules/acme/nightly.yaml": NIGHTLY},
        {"schedules/acme/weekly.yaml": None},
        NOW,
        "removed.md",
        id="removed",
    ),
    pytest.param(
        {
            "schedules/acme/month-a.yaml": monthly(False),
            "schedules/acme/month-b.yaml": monthly(True),
        },
        {
            "schedules/acme/month-a.yaml": monthly(True),
            "schedules/acme/month-b.yaml": monthly(False),
        },
        NOW,
        "paused.md",
        id="paused and resumed",
    ),
    pytest.param(
        {"schedules/acme/weekly.yaml": WEEKLY},
        {
            "schedules/acme/weekly.yaml": WEEKLY.replace("monday", "munday"),
            "schedules/acme/new.yaml": "schedule:\n  daily: { at: 25:00 }\n",
            "schedules/acme/stray.yml": WEEKLY,
        },
        NOW,
        "invalid.md",
        id="invalid files with file:line:col",
    ),
    pytest.param(
        {"state/tick.json": '{"format": 1, "last_tick": "2026-11-22T06:07:00Z"}\n'},
        {
            "schedules/acme/once-late.yaml": schedule('once: "2026-11-22 09:00"'),
            "schedules/acme/once-gone.yaml": schedule('once: "2026-11-21 09:00"'),
            "schedules/acme/backdated.yaml": schedule(
                'daily: { at: "08:00" }', extra="active: { from: 2026-11-01 }\n"
            ),
            "schedules/acme/overlap.yaml": schedule(
                'daily: { at: "01:30" }', extra="timezone: Europe/London\n"
            ),
        },
        NOW,
        "catchup.md",
        id="stale tick, once in the past, active.from in the past, dst overlap",
    ),
    pytest.param(
        {"schedules/acme/weekly.yaml": WEEKLY},
        {"gitcron.yaml": SETTINGS.replace("UTC", "Europe/Paris")},
        NOW,
        "settings.md",
        id="gitcron.yaml changed",
    ),
]


@pytest.mark.parametrize(("base", "pr", "now", "golden"), CASES)
def test_preview_markdown(
    tmp_path: Path, base: dict[str, str], pr: dict[str, str | None], now: str, golden: str
) -> None:
    repo = make(tmp_path, base, pr)
    assert_golden(golden, preview_of(repo, now))


def test_preview_json(tmp_path: Path) -> None:
    repo = make(
        tmp_path,
        {"schedules/acme/weekly.yaml": WEEKLY},
        {"schedules/acme/weekly.yaml": WEEKLY_CHANGED},
    )
    assert_golden("changed.json", preview_of(repo, NOW, "--format", "json"))


def test_uncommitted_and_untracked_changes_count(tmp_path: Path) -> None:
    """Locally, before committing: the work tree is what is compared, new files included."""
    repo = make(tmp_path, {"schedules/acme/weekly.yaml": WEEKLY}, {})
    repo.write("schedules/acme/weekly.yaml", WEEKLY_CHANGED)
    repo.write("schedules/acme/nightly.yaml", NIGHTLY)
    out = preview_of(repo, NOW)
    assert "1 added, 1 changed" in out
    assert "### Added: `acme/nightly`" in out


def test_no_changes(tmp_path: Path) -> None:
    repo = make(tmp_path, {"schedules/acme/weekly.yaml": WEEKLY}, {})
    assert "No schedule changes." in preview_of(repo, NOW)


def test_unknown_base_says_how_to_fetch(tmp_path: Path) -> None:
    repo = make(tmp_path, {}, {})
    run = invoke(["--repo", str(repo.root), "preview", "--base", "origin/nope"])
    run.assert_clean_failure(1)
    assert "'origin/nope' is not a branch, tag or commit" in run.err
    assert "fetch-depth: 0" in run.err


def test_truncated_golden(tmp_path: Path) -> None:
    """Cut at a line, a code block closed, and a note saying where the rest is."""
    repo = make(
        tmp_path,
        {},
        {"schedules/acme/nightly.yaml": NIGHTLY, "schedules/acme/bad.yaml": "schedule: [\n"},
    )
    found = preview.build(repo.root, "main", parse_instant("2027-03-10T12:00:00Z"))
    text = markdown.truncate(markdown.render(found), limit=580)
    assert len(text.encode()) <= 580
    assert_golden("truncated.md", text.replace(found.base[:12], "MERGE-BASE"))


def test_truncated_at_github_limit(tmp_path: Path) -> None:
    """A PR adding hundreds of long schedules still fits the 1 MiB job summary."""
    long = "x" * 1990
    pr: dict[str, str | None] = {
        f"schedules/bulk/s{n:03}.yaml": schedule(
            'daily: { at: "06:00" }', extra=f"description: {n} {long}\n"
        )
        for n in range(500)
    }
    repo = make(tmp_path, {}, pr)
    out = preview_of(repo, NOW)
    assert len(out.encode()) <= markdown.SUMMARY_LIMIT
    assert out.endswith("Run `gitcron preview --base REF` locally to read all of it.\n")
    assert "500 added" in out.splitlines()[2]


def test_validate_warns_about_a_stale_tick_without_failing(tmp_path: Path) -> None:
    repo = make(tmp_path, {"schedules/acme/weekly.yaml": WEEKLY}, {})
    repo.tick("2026-11-22T06:07:00Z")
    run = invoke(["--repo", str(repo.root), "--at", NOW, "validate", "--strict"])
    assert run.code == 0, run.both
    assert run.out.splitlines()[0] == (
        "state/tick.json: warning: the last tick ran 5 hours ago (2026-11-22 06:07 UTC), longer"
        " than liveness.stale_after (2 hours): scheduled runs may not be happening"
    )
    fresh = invoke(["--repo", str(repo.root), "--at", "2026-11-22T07:00:00Z", "validate"])
    assert "state/tick.json" not in fresh.out


def test_validate_warns_about_an_unreadable_tick_file(tmp_path: Path) -> None:
    repo = make(tmp_path, {"schedules/acme/weekly.yaml": WEEKLY}, {})
    repo.write("state/tick.json", "{not json")
    run = invoke(["--repo", str(repo.root), "--at", NOW, "validate"])
    assert run.code == 0, run.both
    assert "state/tick.json: warning: the last tick's time cannot be read" in run.out
