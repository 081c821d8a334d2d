"""Dataset sources by kind (`sql:`, `file:`, ...), and opening the one a report names.

Each source imports its heavy library (SQLAlchemy, httpx) inside the function that opens a
dataset, so importing this registry, as `gitcron validate` does, stays fast."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.core.run import RunScope
from gitcron.datasets.base import Rows, Source
from gitcron.datasets.file import open_file
from gitcron.datasets.http import open_http
from gitcron.datasets.sample import open_sample
from gitcron.datasets.sql import open_sql

KINDS = ("sql", "file", "http", "sample")


SOURCES: dict[str, Source] = {
    "sample": open_sample,
    "file": open_file,
    "sql": open_sql,
    "http": open_http,
}


def kind_of(spec: DatasetSpec) -> str:
    """Which source a dataset uses; the settings model guarantees exactly one is set."""
    return next(kind for kind in KINDS if getattr(spec, kind) is not None)


def open_dataset(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: RunScope) -> Rows:
    """The dataset's rows for this run; close them (or use `with`) when done."""
    return SOURCES[kind_of(spec)](name, spec, params, ctx)
