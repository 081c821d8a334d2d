"""Dataset sources by kind (`sample:`, `file:`, ...), and opening the one a report names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.datasets.base import Rows, Source
from gitcron.datasets.file import open_file
from gitcron.datasets.sample import open_sample
from gitcron.jobs.base import JobContext, JobError

KINDS = ("sql", "file", "http", "sample")


def _not_yet(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: JobContext) -> Rows:
    kind = kind_of(spec)
    raise JobError(
        f"the dataset '{name}' reads from {kind}:, which is not available in this release",
        "use a file: (CSV, JSON, JSON Lines) or sample: dataset for now",
        permanent=True,
    )


SOURCES: dict[str, Source] = {
    "sample": open_sample,
    "file": open_file,
    "sql": _not_yet,
    "http": _not_yet,
}


def kind_of(spec: DatasetSpec) -> str:
    """Which source a dataset uses; the settings model guarantees exactly one is set."""
    return next(kind for kind in KINDS if getattr(spec, kind) is not None)


def open_dataset(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: JobContext) -> Rows:
    """The dataset's rows for this run; close them (or use `with`) when done."""
    return SOURCES[kind_of(spec)](name, spec, params, ctx)
