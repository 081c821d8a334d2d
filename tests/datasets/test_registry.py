"""Sources by kind; the ones of a later release say so instead of failing obscurely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitcron.config.settings import Dataset
from gitcron.datasets.registry import SOURCES, kind_of, open_dataset
from gitcron.jobs.base import JobError
from jobs.helpers import job_ctx


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        pytest.param({"sql": "select 1", "database": "REPORTS_DB_URL"}, "sql", id="sql"),
        pytest.param({"http": {"url": "https://api.example.com/rows"}}, "http", id="http"),
    ],
)
def test_later_sources_are_a_permanent_error(
    tmp_path: Path, spec: dict[str, Any], kind: str
) -> None:
    dataset = Dataset.model_validate(spec)
    assert kind_of(dataset) == kind
    with pytest.raises(JobError, match=f"reads from {kind}:, which is not available") as caught:
        open_dataset("orders", dataset, {}, job_ctx(tmp_path))
    assert caught.value.permanent


def test_every_kind_has_a_source() -> None:
    assert set(SOURCES) == {"sql", "file", "http", "sample"}
