"""Local storage writes only under the roots engineers declared (`channels.storage.roots`).

A schedule aiming at the tick's own folders (state/, .git/, schedules/) or at a `file://` folder
no root grants fails validate at its line, and if it reaches the channel anyway (forced past
validation here with an unchecked model) it fails permanently with nothing written. Links inside
a root are followed on disk before anything is created, so one leading out is refused too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from channels.helpers import CSV, FILE_NAME, MakeCtx
from channels.storage.helpers import with_roots
from gitcron.channels.base import DeliveryError
from gitcron.channels.outbox.channel import OutboxChannel
from gitcron.channels.outbox.target import OutboxTarget
from gitcron.channels.storage.channel import StorageChannel
from gitcron.channels.storage.target import StorageTarget
from support import GOOD, Run, invoke, variant


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder` and its bytes (None for folders): 'unchanged' made checkable."""
    return {
        p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def unchecked(**spec: Any) -> StorageTarget:
    """A target that validate would refuse, as if it reached the channel without it."""
    return StorageTarget.model_validate(spec)


def planted(root: Path) -> None:
    """What a repository holds where a hostile target aims: a day of history, a hook, a schedule."""
    for rel, text in (
        ("state/history/2026-11.jsonl", b'{"run": 1}\n'),
        (".git/hooks/pre-commit.sample", b"#!/bin/sh\n"),
        ("schedules/customer-001/weekly.yaml", GOOD.encode()),
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(text)


# --- at send time ---------------------------------------------------------------------------------

HOSTILE = [
    pytest.param({"path": "state/history"}, "state", "is inside state/", id="state"),
    pytest.param({"path": "State/history"}, "State", "is inside state/", id="state any case"),
    pytest.param({"path": ".git/hooks"}, ".git", "is inside .git/", id="git hooks"),
    pytest.param({"path": "schedules/customer-001"}, "schedules", "inside schedules/", id="sched"),
    pytest.param({"path": "exports/../state"}, "state", "is state/", id="dots into state"),
]


@pytest.mark.parametrize(("spec", "folder", "words"), HOSTILE)
def test_a_target_in_the_repositorys_own_folders_is_refused_and_nothing_is_written(
    make_ctx: MakeCtx, root: Path, spec: dict[str, Any], folder: str, words: str
) -> None:
    planted(root)
    before = tree(root)

    with pytest.raises(DeliveryError, match="no delivery may write there") as caught:
        StorageChannel().deliver(unchecked(**spec), make_ctx())

    assert caught.value.permanent
    assert words in caught.value.message
    assert tree(root) == before


def test_a_file_url_no_root_grants_is_refused_and_nothing_is_written(
    make_ctx: MakeCtx, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "anywhere"
    elsewhere.mkdir()

    words = r"not a granted folder: the storage roots \(exports\) are all in the repository"
    with pytest.raises(DeliveryError, match=words) as caught:
        StorageChannel().deliver(unchecked(url=elsewhere.as_uri()), make_ctx())

    assert caught.value.permanent
    assert "channels.storage.roots" in str(caught.value.hint)
    assert "roots: [exports, /srv/exports]" in str(caught.value.hint)
    assert tree(elsewhere) == {}


def test_a_file_url_outside_the_declared_roots_is_refused(
    make_ctx: MakeCtx, tmp_path: Path
) -> None:
    granted, elsewhere = tmp_path / "srv exports", tmp_path / "srv other"
    elsewhere.mkdir()
    ctx = make_ctx(conf=with_roots("exports", str(granted)))

    with pytest.raises(DeliveryError, match="outside the storage roots for file://") as caught:
        StorageChannel().deliver(unchecked(url=elsewhere.as_uri()), ctx)

    assert caught.value.permanent
    assert str(granted) in caught.value.message
    assert tree(elsewhere) == {}
    assert not granted.exists()


def test_a_file_url_under_a_declared_root_is_written(make_ctx: MakeCtx, tmp_path: Path) -> None:
    granted = tmp_path / "srv exports"
    ctx = make_ctx(conf=with_roots(str(granted)))
    StorageChannel().deliver(unchecked(url=(granted / "acme").as_uri()), ctx)
    assert (granted / "acme" / FILE_NAME).read_bytes() == CSV


def test_a_path_outside_the_declared_roots_is_refused_naming_them(
    make_ctx: MakeCtx, root: Path
) -> None:
    ctx = make_ctx(conf=with_roots("exports", "drop/customers"))
    with pytest.raises(
        DeliveryError, match=r"outside the storage roots \(exports, drop/customers"
    ) as caught:
        StorageChannel().deliver(unchecked(path="docs"), ctx)
    assert caught.value.permanent
    assert "channels.storage.roots in gitcron.yaml" in str(caught.value.hint)
    assert tree(root) == {}


def test_a_declared_root_other_than_exports_is_written(make_ctx: MakeCtx, root: Path) -> None:
    ctx = make_ctx(conf=with_roots("drop/customers"))
    note = StorageChannel().deliver(unchecked(path="drop/customers/acme"), ctx)
    assert note == f"written to drop/customers/acme/{FILE_NAME}"


def test_with_no_roots_declared_local_storage_says_to_declare_one(
    make_ctx: MakeCtx, root: Path
) -> None:
    with pytest.raises(DeliveryError, match="declares no storage roots") as caught:
        StorageChannel().deliver(unchecked(path="exports"), make_ctx(conf=with_roots()))
    assert caught.value.permanent
    assert "roots: [exports]" in str(caught.value.hint)
    assert tree(root) == {}


# --- symbolic links on disk -----------------------------------------------------------------------


def test_a_link_inside_a_root_that_leads_outside_is_refused(
    make_ctx: MakeCtx, root: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "exports").mkdir()
    os.symlink(elsewhere, root / "exports" / "out")

    with pytest.raises(DeliveryError, match="leads out of its storage root") as caught:
        StorageChannel().deliver(unchecked(path="exports/out/acme"), make_ctx())

    assert caught.value.permanent
    assert tree(elsewhere) == {}  # not even the folder `acme` was made there


def test_a_link_inside_a_root_into_state_is_refused(make_ctx: MakeCtx, root: Path) -> None:
    planted(root)
    (root / "exports").mkdir()
    os.symlink(root / "state", root / "exports" / "history")
    before = tree(root / "state")

    with pytest.raises(DeliveryError) as caught:
        StorageChannel().deliver(unchecked(path="exports/history"), make_ctx())

    assert caught.value.permanent
    assert tree(root / "state") == before


def test_a_root_that_is_itself_a_link_into_state_is_refused(make_ctx: MakeCtx, root: Path) -> None:
    planted(root)
    os.symlink(root / "state" / "history", root / "exports")  # committed by a schedule's author
    before = tree(root / "state")

    with pytest.raises(DeliveryError, match="inside state/") as caught:
        StorageChannel().deliver(unchecked(path="exports"), make_ctx())

    assert caught.value.permanent
    assert tree(root / "state") == before


def test_a_root_that_is_a_link_out_of_the_repository_is_refused(
    make_ctx: MakeCtx, root: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "exports")
    with pytest.raises(DeliveryError, match="symbolic link out of the repository"):
        StorageChannel().deliver(unchecked(path="exports/acme"), make_ctx())
    assert tree(elsewhere) == {}


def test_a_link_in_an_absolute_root_that_leads_outside_is_refused(
    make_ctx: MakeCtx, tmp_path: Path
) -> None:
    granted, elsewhere = tmp_path / "srv", tmp_path / "elsewhere"
    granted.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, granted / "acme")
    ctx = make_ctx(conf=with_roots(str(granted)))
    with pytest.raises(DeliveryError, match="leads out of its storage root"):
        StorageChannel().deliver(unchecked(url=(granted / "acme").as_uri()), ctx)
    assert tree(elsewhere) == {}


def test_an_absolute_root_holding_the_repository_still_never_reaches_state(
    make_ctx: MakeCtx, root: Path
) -> None:
    planted(root)
    before = tree(root)
    ctx = make_ctx(conf=with_roots(str(root.parent)))
    with pytest.raises(DeliveryError, match="inside state/"):
        StorageChannel().deliver(unchecked(url=(root / "state" / "history").as_uri()), ctx)
    assert tree(root) == before


def test_a_link_inside_a_root_that_stays_inside_is_followed(make_ctx: MakeCtx, root: Path) -> None:
    (root / "exports" / "2026").mkdir(parents=True)
    os.symlink(root / "exports" / "2026", root / "exports" / "current")
    StorageChannel().deliver(unchecked(path="exports/current"), make_ctx())
    assert (root / "exports" / "2026" / FILE_NAME).read_bytes() == CSV


# --- the outbox channel's dir ---------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["state", "state/history", ".git/hooks", "schedules", "."])
def test_an_outbox_dir_in_the_repositorys_own_folders_fails_validation(folder: str) -> None:
    with pytest.raises(ValueError, match="no delivery may write there"):
        OutboxTarget.model_validate({"dir": folder})


def test_an_outbox_dir_forced_into_state_is_refused_with_nothing_written(
    make_ctx: MakeCtx, root: Path
) -> None:
    planted(root)
    before = tree(root)
    with pytest.raises(DeliveryError, match="is inside state/") as caught:
        OutboxChannel().deliver(OutboxTarget.model_construct(dir="state/history"), make_ctx())
    assert caught.value.permanent
    assert tree(root) == before


def test_an_outbox_dir_that_links_into_state_is_refused(make_ctx: MakeCtx, root: Path) -> None:
    planted(root)
    os.symlink(root / "state", root / "drop")
    before = tree(root / "state")
    with pytest.raises(DeliveryError, match="is state/") as caught:
        OutboxChannel().deliver(OutboxTarget.model_validate({"dir": "drop"}), make_ctx())
    assert caught.value.permanent
    assert tree(root / "state") == before


# --- validate: the schedule's line, and gitcron.yaml's ------------------------------------------


def storage_schedule(place: str) -> str:
    """GOOD with a storage delivery on line 12, `place` being e.g. `path: exports`."""
    return GOOD + f"  - storage: {{ {place} }}\n"


@pytest.mark.parametrize(
    ("place", "words"),
    [
        pytest.param(
            "path: state/history", "storage path 'state/history' is inside state/", id="state"
        ),
        pytest.param("path: .git/hooks", "storage path '.git/hooks' is inside .git/", id="hooks"),
        pytest.param(
            "path: schedules/customer-001",
            "'schedules/customer-001' is inside schedules/",
            id="sched",
        ),
        pytest.param(
            'url: "file:///anywhere/"', "'file:///anywhere/' is not a granted folder", id="file url"
        ),
        pytest.param(
            "path: docs", "'docs' is outside the storage roots (exports)", id="not a root"
        ),
    ],
)
def test_validate_refuses_a_place_no_root_grants_at_its_line(
    check: Callable[..., Run], place: str, words: str
) -> None:
    run = check(storage_schedule(place))
    assert run.code == 1, run.out
    [problem] = run.headlines()
    assert (problem.file, problem.line, problem.severity) == (
        "schedules/acme/test.yaml",
        12,
        "error",
    )
    assert problem.col > 14  # at the value, not the list item
    assert words in problem.rest
    assert problem.fix is not None
    assert "gitcron.yaml" in problem.fix
    assert "exports" in problem.fix  # the roots there are


def test_validate_accepts_a_path_under_the_default_root(check: Callable[..., Run]) -> None:
    run = check(storage_schedule("path: exports/acme"))
    assert (run.code, run.headlines()) == (0, [])


def test_validate_accepts_a_file_url_under_a_declared_root(empty_repo: Path) -> None:
    text = (empty_repo / "gitcron.yaml").read_text()
    (empty_repo / "gitcron.yaml").write_text(
        variant("roots: [exports]", "roots: [exports, /srv/exports]", text)
    )
    (empty_repo / "schedules/acme").mkdir()
    (empty_repo / "schedules/acme/test.yaml").write_text(
        storage_schedule('url: "file:///srv/exports/acme"')
    )
    run = invoke(["--repo", str(empty_repo), "validate"])
    assert (run.code, run.headlines()) == (0, [])


@pytest.mark.parametrize(
    ("roots", "words"),
    [
        pytest.param("[state]", "storage root 'state' is state/", id="state"),
        pytest.param("[exports, state/history]", "is inside state/", id="inside state"),
        pytest.param("[.git/hooks]", "is inside .git/", id="git hooks"),
        pytest.param("[schedules/acme]", "is inside schedules/", id="schedules"),
        pytest.param("[.gitcron-cache]", "is .gitcron-cache/", id="cache"),
        pytest.param("[.github/workflows]", "is inside .github/", id="workflows"),
        pytest.param("[gitcron.yaml]", "is gitcron.yaml", id="settings"),
        pytest.param("[.]", "is the whole repository", id="repository"),
        pytest.param("['/']", "write anywhere on the runner", id="file system"),
        pytest.param("[../elsewhere]", "leads outside the repository", id="parent"),
        pytest.param('["file:///srv"]', "is not a folder", id="url"),
    ],
)
def test_a_root_that_is_or_holds_the_repositorys_own_folders_is_refused_at_its_line(
    empty_repo: Path, roots: str, words: str
) -> None:
    conf = empty_repo / "gitcron.yaml"
    text = conf.read_text()
    conf.write_text(variant("roots: [exports]", f"roots: {roots}", text))
    line = text[: text.index("roots: [exports]")].count("\n") + 1

    run = invoke(["--repo", str(empty_repo), "validate"])

    assert run.code == 1, run.out
    [problem] = run.headlines()
    assert (problem.file, problem.line, problem.severity) == ("gitcron.yaml", line, "error")
    assert problem.col > 0
    assert words in problem.rest
