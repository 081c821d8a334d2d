"""`file: data/x.csv`: rows from a CSV, JSON array or JSON Lines file committed to the repo."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.core.artifact import JobError
from gitcron.core.run import RunScope
from gitcron.datasets.base import Row, Rows
from gitcron.datasets.values import csv_header, csv_rows

KINDS = {".csv": "csv", ".json": "json", ".jsonl": "lines", ".ndjson": "lines"}
MAX_JSON_ARRAY = 100 * 1024 * 1024  # a JSON array is read whole; bigger files must be JSON Lines


def repo_file(root: Path, relative: str) -> Path:
    """`relative` resolved inside the repo; a path that leads out of it (`..`, links) is refused."""
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise JobError(
            f"the dataset file '{relative}' is outside the repository",
            "give a path inside the repository, e.g. file: data/products.csv",
            permanent=True,
        )
    if not path.is_file():
        raise JobError(
            f"the dataset file '{relative}' does not exist",
            "commit the file, or fix the path under datasets: in gitcron.yaml",
            permanent=True,
        )
    return path


def open_file(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: RunScope) -> Rows:
    """Open the file and read its column names; rows follow as they are iterated."""
    assert spec.file is not None
    kind = KINDS.get(Path(spec.file).suffix.lower())
    if kind is None:
        raise JobError(
            f"the dataset file '{spec.file}' is not .csv, .json, .jsonl or .ndjson",
            "convert it to one of those, and name it with that extension",
            permanent=True,
        )
    path = repo_file(ctx.root, spec.file)
    if kind == "json" and path.stat().st_size > MAX_JSON_ARRAY:
        raise JobError(
            f"the dataset file '{spec.file}' is a JSON array over 100 MB",
            "write it as JSON Lines (.jsonl: one object per line), which is read as a stream",
            permanent=True,
        )
    handle = path.open("r", encoding="utf-8-sig", newline="" if kind == "csv" else None)
    try:
        return _open(kind, handle, spec.file)
    except BaseException:
        handle.close()
        raise


def _open(kind: str, handle: IO[str], source: str) -> Rows:
    if kind == "csv":
        columns = csv_header(handle, source)
        return Rows(columns, csv_rows(handle, len(columns), source), handle.close)
    if kind == "json":
        try:
            document = json.load(handle)
        except json.JSONDecodeError as error:
            raise _bad_json(source, f"line {error.lineno}", error.msg, _SYNTAX) from error
        finally:
            handle.close()
        if not isinstance(document, list):
            raise _bad_json(source, "line 1", "the file is not a JSON array of objects", _SHAPE)
        objects: Iterator[tuple[str, Any]] = ((f"item {i}", x) for i, x in enumerate(document, 1))
    else:
        objects = _lines(handle, source)
    first = next(objects, None)
    if first is None:
        return Rows((), iter(()), handle.close)
    _, head = first
    if not isinstance(head, dict):
        raise _bad_json(source, first[0], "each row must be a JSON object", _SHAPE)
    columns = tuple(str(key) for key in head)
    rows = _object_rows(_chain(first, objects), columns, source)
    return Rows(columns, rows, handle.close)


def _lines(handle: IO[str], source: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as error:
                raise _bad_json(source, f"line {number}", error.msg, _SYNTAX) from error


def _chain(first: tuple[str, Any], rest: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    yield first
    yield from rest


def _object_rows(
    objects: Iterator[tuple[str, Any]], columns: tuple[str, ...], source: str
) -> Iterator[Row]:
    known = set(columns)
    for where, item in objects:
        if not isinstance(item, dict):
            raise _bad_json(source, where, "each row must be a JSON object", _SHAPE)
        extra = [key for key in item if key not in known]
        if extra:
            raise _bad_json(source, where, f"the key '{extra[0]}' is not in the first row", _SHAPE)
        yield tuple(_cell(item.get(column)) for column in columns)


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


_SYNTAX = "fix the JSON there (a JSON Lines file holds one complete object per line)"
_SHAPE = "give every row the same keys as the first (a missing key becomes an empty cell)"


def _bad_json(source: str, where: str, problem: str, hint: str) -> JobError:
    return JobError(f"{source}, {where}: {problem}", hint, permanent=True)
