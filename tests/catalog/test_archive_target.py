"""validate refuses a `history.archive.to` that `gitcron history-archive` would refuse, with the
same words, at its line of gitcron.yaml (one rule: catalog/archive_target.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitcron.catalog.load import load, load_settings
from gitcron.errors import GitcronError
from gitcron.gitops.archive_store import declared_target
from support import invoke

SETTINGS = """\
tick: 15m
channels:
  storage:
    roots: [exports, {store}]
history:
  keep_months: 13
  archive:
    to: {to}
"""
TO_LINE = 8


def make_repo(tmp_path: Path, to: str) -> Path:
    root = tmp_path / "repo"
    (root / "schedules").mkdir(parents=True)
    store = tmp_path / "archive"
    text = SETTINGS.format(store=store, to=to.format(store=store, outside=tmp_path / "outside"))
    (root / "gitcron.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("to", "refused"),
    [
        pytest.param("file://{outside}", "outside the storage roots for file://", id="file out"),
        pytest.param("state/archive", "inside state/", id="into the records"),
        pytest.param("reports/history", "storage roots", id="a repository folder not granted"),
        pytest.param("file://{store}/history", None, id="file under a root"),
        pytest.param("exports/history", None, id="a repository folder under a root"),
        pytest.param("s3://ourco-gitcron/history", None, id="s3"),
    ],
)
def test_validate_refuses_the_archive_target_the_command_refuses(
    tmp_path: Path, to: str, refused: str | None
) -> None:
    root = make_repo(tmp_path, to)
    settings, problems = load_settings(root)
    assert problems == []
    found = load(root, datetime(2026, 5, 10, tzinfo=UTC)).problems
    run = invoke(["--repo", str(root), "validate"])
    if refused is None:
        assert found == []
        assert run.code == 0, run.both
        declared_target(root, settings, None)  # the command goes ahead
        return
    [problem] = found
    assert (problem.file, problem.line, problem.col) == ("gitcron.yaml", TO_LINE, 9)
    assert problem.message.startswith("history.archive.to: ")
    assert refused in problem.message
    assert problem.hint
    assert run.code != 0
    assert f"gitcron.yaml:{TO_LINE}:9" in run.both, run.both
    with pytest.raises(GitcronError) as error:  # the command: the same words, the same line
        declared_target(root, settings, None)
    assert error.value.message == f"gitcron.yaml:{TO_LINE}: {problem.message}"
    assert error.value.hint == problem.hint
