"""Fixtures: a repository folder, a real CSV artifact, and `make_ctx` to build DeliveryContexts."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from gitcron.channels.base import DeliveryContext
from gitcron.config.settings import Settings
from gitcron.engine.executor import delivery_context
from gitcron.jobs.base import Artifact, RunInfo
from gitcron.schedule import Schedule

from .helpers import CSV, FILE_NAME, MakeCtx, run_info, schedule, settings


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    return path


@pytest.fixture
def artifact(tmp_path: Path) -> Artifact:
    work = tmp_path / "work"
    work.mkdir()
    path = work / FILE_NAME
    path.write_bytes(CSV)
    return Artifact(name=FILE_NAME, content_type="text/csv", path=path, rows=3)


@pytest.fixture
def make_ctx(root: Path, artifact: Artifact) -> MakeCtx:
    """`make_ctx(...)`: a DeliveryContext; keyword arguments replace its parts."""

    def make(
        *,
        sched: Schedule | None = None,
        conf: Settings | None = None,
        art: Artifact | None = None,
        outbox: Path | None = None,
        env: Mapping[str, str] | None = None,
        run: RunInfo | None = None,
    ) -> DeliveryContext:
        return delivery_context(
            run or run_info(),
            sched or schedule(),
            conf or settings(),
            art or artifact,
            root,
            outbox,
            env or {},
        )

    return make
