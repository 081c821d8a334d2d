"""gitcron reads only regular files: a link or a linked folder under schedules/ (or in place of
gitcron.yaml) is refused by its path without being followed, in every way files are found:
`validate`, `validate PATH`, the tick's parse cache (which trusts git's index for tracked files).
Pipes, which would block a reader, are tested in a subprocess (tests/security/).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from gitcron.catalog.cache import load_views
from gitcron.catalog.load import load
from gitcron.config.problems import Problem
from support import GOOD, git, invoke

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
LINK = "is a symbolic link; gitcron reads only regular files"


def problems_of(found: list[Problem], rel: str) -> list[str]:
    return [p.message for p in found if p.file == rel]


def test_a_link_to_a_file_inside_the_repository_is_refused(empty_repo: Path) -> None:
    (empty_repo / "schedules/acme").mkdir()
    (empty_repo / "schedules/acme/real.yaml").write_text(GOOD)
    os.symlink("real.yaml", empty_repo / "schedules/acme/copy.yaml")

    catalog = load(empty_repo, NOW)

    assert problems_of(catalog.problems, "schedules/acme/copy.yaml") == [
        f"schedules/acme/copy.yaml {LINK}"
    ]
    assert [e.id for e in catalog.entries if e.ok] == ["acme/real"]


def test_a_link_that_is_not_a_schedule_file_is_refused_too(empty_repo: Path) -> None:
    (empty_repo / "schedules/acme").mkdir()
    os.symlink("/etc/hostname", empty_repo / "schedules/acme/notes.txt")
    [problem] = load(empty_repo, NOW).problems
    assert (problem.file, problem.severity) == ("schedules/acme/notes.txt", "error")
    assert problem.hint is not None
    assert "replace it with the file itself" in problem.hint


def test_a_linked_folder_is_refused_and_not_walked(empty_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "weekly.yaml").write_text(GOOD)
    os.symlink(outside, empty_repo / "schedules/acme")

    catalog = load(empty_repo, NOW)

    assert [(e.file, e.ok) for e in catalog.entries] == [("schedules/acme", False)]
    assert problems_of(catalog.problems, "schedules/acme") == [f"schedules/acme {LINK}"]


def test_a_file_named_through_a_linked_folder_is_refused(empty_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "weekly.yaml").write_text(GOOD)
    os.symlink(outside, empty_repo / "schedules/acme")

    run = invoke(["--repo", str(empty_repo), "validate", "schedules/acme/weekly.yaml"])

    assert run.code == 1
    [problem] = run.headlines()
    assert problem.file == "schedules/acme/weekly.yaml"
    assert "schedules/acme is a symbolic link" in problem.rest


def test_the_schedules_folder_itself_as_a_link_is_refused(empty_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "acme").mkdir(parents=True)
    (outside / "acme/weekly.yaml").write_text(GOOD)
    (empty_repo / "schedules").rmdir()
    os.symlink(outside, empty_repo / "schedules")

    catalog = load(empty_repo, NOW)

    assert problems_of(catalog.problems, "schedules") == [f"schedules {LINK}"]
    assert not any(e.ok for e in catalog.entries)


def test_gitcron_yaml_must_be_a_regular_file(empty_repo: Path) -> None:
    settings = empty_repo / "gitcron.yaml"
    (empty_repo / "real.yaml").write_bytes(settings.read_bytes())
    settings.unlink()
    os.symlink("real.yaml", settings)

    run = invoke(["--repo", str(empty_repo), "validate"])

    assert run.code == 1
    [problem] = run.headlines()
    assert problem.file == "gitcron.yaml"
    assert problem.rest == f"gitcron.yaml {LINK}"


def test_the_parse_cache_refuses_a_link_committed_to_git(repo: Path) -> None:
    """git's index lists a committed link with mode 120000: the cache must not take its blob (the
    link's target path) or the target's content for a schedule, on a cold cache or a warm one."""
    weekly = repo / "schedules/customer-001/weekly-products.yaml"
    os.symlink(weekly.name, weekly.parent / "alias.yaml")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "a link")
    assert "120000" in git(repo, "ls-files", "-s", "schedules/customer-001/alias.yaml")

    for _ in range(2):  # cold, then with the cache written by the first call
        views = load_views(repo, NOW)
        assert "customer-001/alias" not in [v.id for v in views.views]
        [invalid] = views.invalid
        assert invalid.problems[0].message == f"schedules/customer-001/alias.yaml {LINK}"


def test_the_parse_cache_refuses_a_file_replaced_by_a_link_to_the_same_bytes(
    repo: Path, tmp_path: Path
) -> None:
    """A cached schedule swapped for a link to a file with the very same content is not a cache
    hit: the link is refused, whatever its target holds."""
    weekly = repo / "schedules/customer-001/weekly-products.yaml"
    assert "customer-001/weekly-products" in [v.id for v in load_views(repo, NOW).views]
    twin = tmp_path / "twin.yaml"
    twin.write_bytes(weekly.read_bytes())
    weekly.unlink()
    os.symlink(twin, weekly)

    views = load_views(repo, NOW)

    assert "customer-001/weekly-products" not in [v.id for v in views.views]
    [invalid] = views.invalid
    assert invalid.file == "schedules/customer-001/weekly-products.yaml"
    assert LINK in invalid.problems[0].message


def test_a_linked_schedules_folder_gives_the_parse_cache_no_customer_file(
    empty_repo: Path, tmp_path: Path
) -> None:
    """The one walk of schedules/ finds the customer files too, and never enters a linked
    schedules/: a customer file behind it is not read (its text would reach the tick's output)."""
    outside = tmp_path / "outside"
    (outside / "acme").mkdir(parents=True)
    (outside / "acme/customer.yaml").write_text("name: [unclosed\n")
    (empty_repo / "schedules").rmdir()
    os.symlink(outside, empty_repo / "schedules")

    views = load_views(empty_repo, NOW)

    assert [(e.file, e.problems[0].message) for e in views.invalid] == [
        ("schedules", f"schedules {LINK}")
    ]
