"""The example schedules in the repo are the first thing people copy: they must be flawless."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gitcron.catalog.files import discover, schedule_id
from gitcron.catalog.load import load
from support import REPO

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
MODELINE = "# yaml-language-server: $schema=../../schema/schedule.schema.json"
EXAMPLES = sorted(p.relative_to(REPO).as_posix() for p in discover(REPO))


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 7
    assert "schedules/customer-001/weekly-products.yaml" in EXAMPLES


def test_every_example_validates_without_any_problem() -> None:
    catalog = load(REPO, NOW)
    assert catalog.problems == []
    assert sorted(e.file for e in catalog.entries) == EXAMPLES
    assert all(e.ok and e.schedule is not None for e in catalog.entries)


@pytest.mark.parametrize("rel", EXAMPLES)
def test_example_starts_with_the_schema_modeline(rel: str) -> None:
    first = (REPO / rel).read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    assert (REPO / rel).parent.joinpath(first.split("=", 1)[1]).resolve() == (
        REPO / "schema" / "schedule.schema.json"
    )


def test_settings_modeline_points_at_the_settings_schema() -> None:
    first = (REPO / "gitcron.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/settings.schema.json"


def test_ids_are_paths_without_schedules_and_yaml() -> None:
    assert schedule_id("schedules/customer-002/monthly-products.yaml") == (
        "customer-002/monthly-products"
    )
