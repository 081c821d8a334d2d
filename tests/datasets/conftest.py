"""Fixtures: a real PostgreSQL server for the whole session, started only when a test asks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .postgres_server import Server, missing_reason, running


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with running() as server:
        yield server
