"""Finding the files under schedules/: `discover_names` spells as plain strings what `discover`
lists as paths, in the same order, with the same files left out (a warm tick reads the names)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitcron.catalog.files import discover, discover_names, relative


def touch(root: Path, rel: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x: 1\n")


@pytest.fixture
def tree(empty_repo: Path, tmp_path: Path) -> Path:
    for rel in (
        "schedules/acme/weekly.yaml",
        "schedules/acme/customer.yaml",  # the customer's file: not a schedule
        "schedules/acme/b-stray.yml",
        "schedules/acme/.hidden.yaml",
        "schedules/acme/sub/deep.yaml",
        "schedules/acme/sub/customer.yaml",  # not at a customer's place: listed
        "schedules/customer.yaml",  # nor here
        "schedules/beta/daily.yaml",
        "schedules/.git-like/ignored.yaml",
    ):
        touch(empty_repo, rel)
    outside = tmp_path / "outside"
    outside.mkdir()
    touch(outside, "secret.yaml")
    os.symlink(outside, empty_repo / "schedules/linked")
    os.symlink(outside / "secret.yaml", empty_repo / "schedules/beta/link.yaml")
    return empty_repo


def test_the_names_are_what_discover_lists(tree: Path) -> None:
    names = discover_names(tree)
    assert names == [
        "schedules/customer.yaml",
        "schedules/linked",
        "schedules/acme/b-stray.yml",
        "schedules/acme/weekly.yaml",
        "schedules/acme/sub/customer.yaml",
        "schedules/acme/sub/deep.yaml",
        "schedules/beta/daily.yaml",
        "schedules/beta/link.yaml",
    ]
    assert [relative(tree, path) for path in discover(tree)] == names
    assert discover(tree) == [tree / name for name in names]


def test_a_linked_schedules_folder_is_listed_alone(empty_repo: Path, tmp_path: Path) -> None:
    (empty_repo / "schedules").rmdir()
    os.symlink(tmp_path, empty_repo / "schedules")
    assert discover_names(empty_repo) == ["schedules"]
    assert discover(empty_repo) == [empty_repo / "schedules"]


def test_no_schedules_folder_lists_nothing(tmp_path: Path) -> None:
    assert discover_names(tmp_path) == []
