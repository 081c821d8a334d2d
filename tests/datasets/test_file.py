"""`file:` datasets: CSV, JSON arrays and JSON Lines inside the repo, streamed and typed."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from gitcron.config.settings import Dataset
from gitcron.datasets.registry import open_dataset
from gitcron.jobs.base import JobError
from jobs.helpers import job_ctx


def read(
    tmp_path: Path, name: str, content: str
) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    spec = Dataset.model_validate({"file": name})
    with open_dataset("data", spec, {}, job_ctx(tmp_path)) as rows:
        return rows.columns, list(rows)


def test_csv_is_typed_and_padded(tmp_path: Path) -> None:
    text = '\ufeffcode,qty,price,day,note\r\n007,3,2.50,2026-01-31,"a, b"\r\nX,,,,\r\nY,1\r\n'
    columns, rows = read(tmp_path, "data/items.csv", text)
    assert columns == ("code", "qty", "price", "day", "note")
    assert rows == [
        ("007", 3, 2.5, date(2026, 1, 31), "a, b"),
        ("X", None, None, None, None),
        ("Y", 1, None, None, None),
    ]


def test_csv_trailing_empty_cells_are_allowed(tmp_path: Path) -> None:
    _, rows = read(tmp_path, "a.csv", "a,b\n1,2,\n")
    assert rows == [(1, 2)]


def test_csv_row_wider_than_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JobError, match=r"a\.csv:3: 3 cells under 2 column names") as caught:
        read(tmp_path, "a.csv", "a,b\n1,2\n1,2,3\n")
    assert caught.value.permanent


def test_csv_without_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JobError, match="no column names"):
        read(tmp_path, "a.csv", "")


def test_json_array(tmp_path: Path) -> None:
    text = '[{"sku": "A", "qty": 2, "tags": ["x"]}, {"sku": "B", "meta": null}]'
    with pytest.raises(JobError, match=r"item 2: the key 'meta' is not in the first row"):
        read(tmp_path, "a.json", text)
    columns, rows = read(
        tmp_path, "b.json", '[{"sku": "A", "qty": 2, "tags": ["x"]}, {"sku": "B"}]'
    )
    assert columns == ("sku", "qty", "tags")
    assert rows == [("A", 2, '["x"]'), ("B", None, None)]


def test_json_lines_are_streamed(tmp_path: Path) -> None:
    columns, rows = read(tmp_path, "a.jsonl", '{"a": 1, "b": true}\n\n{"a": 2.5}\n')
    assert columns == ("a", "b")
    assert rows == [(1, True), (2.5, None)]


def test_json_lines_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(JobError, match=r"a\.ndjson, line 2: Expecting value"):
        read(tmp_path, "a.ndjson", '{"a": 1}\n{"a": }\n')


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("a.json", "[]", id="empty array"),
        pytest.param("a.jsonl", "", id="empty lines"),
    ],
)
def test_empty_json_has_no_columns_and_no_rows(tmp_path: Path, name: str, content: str) -> None:
    assert read(tmp_path, name, content) == ((), [])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param('{"a": 1}', "not a JSON array", id="object"),
        pytest.param("[1, 2]", "each row must be a JSON object", id="array of numbers"),
        pytest.param("[{", "line 1", id="broken"),
    ],
)
def test_bad_json_array(tmp_path: Path, content: str, problem: str) -> None:
    with pytest.raises(JobError, match=problem) as caught:
        read(tmp_path, "a.json", content)
    assert caught.value.permanent


@pytest.mark.parametrize(
    ("file", "problem"),
    [
        pytest.param("../outside.csv", "outside the repository", id="parent"),
        pytest.param("/etc/passwd.csv", "outside the repository", id="absolute"),
        pytest.param("data/../../outside.csv", "outside the repository", id="climbs out"),
        pytest.param("missing.csv", "does not exist", id="missing"),
        pytest.param("data.xml", "is not .csv, .json, .jsonl or .ndjson", id="extension"),
    ],
)
def test_refused_paths(tmp_path: Path, file: str, problem: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "outside.csv").write_text("a\n1\n")
    spec = Dataset.model_validate({"file": file})
    with pytest.raises(JobError, match=problem) as caught:
        open_dataset("data", spec, {}, job_ctx(repo))
    assert caught.value.permanent


def test_symlink_out_of_the_repo_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secret.csv").write_text("a\n1\n")
    os.symlink(tmp_path / "secret.csv", repo / "link.csv")
    spec = Dataset.model_validate({"file": "link.csv"})
    with pytest.raises(JobError, match="outside the repository"):
        open_dataset("data", spec, {}, job_ctx(repo))


def test_rows_are_read_lazily_and_closed(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("a\n" + "1\n" * 1000)
    spec = Dataset.model_validate({"file": "a.csv"})
    rows = open_dataset("data", spec, {}, job_ctx(tmp_path))
    iterator = iter(rows)
    assert next(iterator) == (1,)
    rows.close()
    assert list(iterator) == []


def test_unread_rows_still_close_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("a\n1\n")
    spec = Dataset.model_validate({"file": "a.csv"})
    with open_dataset("data", spec, {}, job_ctx(tmp_path)) as rows:
        handle = rows._close
        assert handle is not None
    assert rows._close is None
