"""Sources by kind, and the registry that opens the one a dataset names."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitcron.config.settings import Dataset
from gitcron.datasets.registry import SOURCES, kind_of, open_dataset
from gitcron.jobs.base import JobError
from jobs.helpers import job_ctx


def test_a_sql_dataset_names_the_unset_address_variable(tmp_path: Path) -> None:
    dataset = Dataset.model_validate({"sql": "select 1", "database": "REPORTS_DB_URL"})
    assert kind_of(dataset) == "sql"
    with pytest.raises(JobError, match="REPORTS_DB_URL, which is not set") as caught:
        open_dataset("orders", dataset, {}, job_ctx(tmp_path))
    assert caught.value.permanent


def test_every_kind_has_a_source() -> None:
    assert set(SOURCES) == {"sql", "file", "http", "sample"}
