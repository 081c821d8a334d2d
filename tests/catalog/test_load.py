"""Loading a whole repo: every problem of every file at once; good files unharmed by bad ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitcron.catalog.load import load
from gitcron.config.problems import Problem
from support import GOOD, REPO, variant

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def brief(problems: list[Problem]) -> list[tuple[str, int, int, str, str]]:
    return sorted((p.file, p.line, p.col, p.severity, p.where) for p in problems)


def break_repo(root: Path) -> None:
    """Three broken schedules, a stray .yml, and a gitcron.yaml with two mistakes."""
    write(root, "schedules/zz/syntax.yaml", "schedule: [\n")
    write(
        root,
        "schedules/zz/day.yaml",
        variant('daily: { at: "08:00" }', "weekly: { on: munday, at: '09:00' }"),
    )
    write(
        root, "schedules/zz/two.yaml", variant("Europe/London", "Europe/Lodnon") + "max_runs: 0\n"
    )
    write(root, "schedules/zz/stray.yml", GOOD)
    settings = root / "gitcron.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("tick: 15m ", "tick: 15 minutes ").replace("\nhistory:", "\nhistroy:")
    settings.write_text(text, encoding="utf-8")


HISTORY_LINE = (REPO / "gitcron.yaml").read_text("utf-8").splitlines().index("history:") + 1
EVERY_PROBLEM = [
    ("gitcron.yaml", 4, 7, "error", "tick"),
    ("gitcron.yaml", HISTORY_LINE, 1, "error", "histroy"),
    ("schedules/zz/day.yaml", 4, 17, "error", "schedule.weekly.on"),
    ("schedules/zz/stray.yml", 0, 0, "warning", ""),
    ("schedules/zz/syntax.yaml", 2, 1, "error", ""),
    ("schedules/zz/two.yaml", 2, 11, "error", "timezone"),
    ("schedules/zz/two.yaml", 12, 11, "error", "max_runs"),
]


def test_every_problem_of_every_file_at_once(repo: Path) -> None:
    break_repo(repo)
    catalog = load(repo, NOW)
    assert brief(catalog.problems) == EVERY_PROBLEM
    assert catalog.files == 7 + 4 + 1  # the examples, the new files, gitcron.yaml
    good = [e for e in catalog.entries if not e.file.startswith("schedules/zz/")]
    assert len(good) == 7
    assert all(e.ok and not e.problems for e in good)


def test_a_broken_gitcron_yaml_does_not_make_good_schedules_fail(repo: Path) -> None:
    settings = repo / "gitcron.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "datasets: [\n", encoding="utf-8")
    catalog = load(repo, NOW)
    assert [(p.file, p.kind) for p in catalog.problems] == [("gitcron.yaml", "syntax")]
    assert all(e.ok for e in catalog.entries)


def test_paths_select_files_folders_and_ids(repo: Path) -> None:
    break_repo(repo)
    only = load(repo, NOW, ["schedules/zz/day.yaml", "customer-001/weekly-products"])
    assert [e.file for e in only.entries] == [
        "schedules/zz/day.yaml",
        "schedules/customer-001/weekly-products.yaml",
    ]
    folder = load(repo, NOW, ["schedules/zz"])
    assert sorted(e.file for e in folder.entries) == [
        "schedules/zz/day.yaml",
        "schedules/zz/stray.yml",
        "schedules/zz/syntax.yaml",
        "schedules/zz/two.yaml",
    ]


@pytest.mark.parametrize(
    ("rel", "message"),
    [
        ("schedules/x.yaml", "a schedule file must be inside a customer folder"),
        ("schedules/acme corp/x.yaml", "'acme corp' cannot be part of a schedule id"),
        ("schedules/acme/.x/y.yaml", None),  # hidden folders are skipped
        ("schedules/acme/README.md", None),  # other files are not schedules
        ("schedules/acme/x.yml", "this file is ignored: schedule files end in .yaml"),
    ],
)
def test_file_placement(empty_repo: Path, rel: str, message: str | None) -> None:
    write(empty_repo, rel, GOOD)
    catalog = load(empty_repo, NOW)
    assert [p.message for p in catalog.problems] == ([message] if message else [])
    assert [(p.file, p.line) for p in catalog.problems] == ([(rel, 0)] if message else [])
