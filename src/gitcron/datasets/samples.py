"""Sample rows of a dataset for rehearsing a delivery in validate, without a live query.

A pull request (from a fork, say) has no database or API secrets, and validate must not depend on
a server being up: the bundled sample and a repository file are read (their first rows), and for
`sql:` and `http:` a row is made from the declared columns (`columns:` in gitcron.yaml).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

from gitcron.config.columns import SAMPLE_VALUES
from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.config.settings import Settings
from gitcron.core.artifact import JobError
from gitcron.datasets.base import Row
from gitcron.datasets.file import open_file
from gitcron.datasets.sample import open_sample

SAMPLE_ROWS = 5


def sample_rows(
    spec: DatasetSpec, root: Path | None = None, limit: int = SAMPLE_ROWS
) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    """The columns and up to `limit` rows a rehearsal uses; declared columns come first.

    A `file:` is read only when `root` (the repository) is given; a file that cannot be read is
    the run's problem to report, so its sample falls back to the declared columns.
    """
    declared = tuple(column.name for column in spec.columns or ())
    made = tuple(SAMPLE_VALUES[column.type] for column in spec.columns or ())
    opener = open_sample if spec.sample else open_file if spec.file and root else None
    if opener is not None:
        scope = SimpleNamespace(root=root, env={}, settings=Settings())
        try:
            with opener("sample", spec, {}, scope) as rows:
                read = tuple(itertools.islice(rows, limit))
                return (declared or rows.columns), read
        except (JobError, OSError, ValueError):
            pass
    return declared, ((made,) if declared else ())
