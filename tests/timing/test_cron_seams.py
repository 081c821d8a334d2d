"""gitcron reads cron fields through cronsim's public surface only (`CronSim`, `CronSimError`).

`CronField.parse` reads one field inside an otherwise all-`*` expression; these tests pin what
it returns for each kind of item, and that no module reaches into cronsim's internals again.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from cronsim import CronSim, CronSimError

from gitcron.timing.cronexpr import CronField

SRC = Path(__file__).resolve().parents[2] / "src" / "gitcron"


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (CronField.MINUTE, "*/15", {0, 15, 30, 45}),
        (CronField.MINUTE, "59/15", {59}),
        (CronField.HOUR, "9-17/4", {9, 13, 17}),
        (CronField.DAY, "1,15", {1, 15}),
        (CronField.DAY, "L", {CronSim.LAST}),
        (CronField.DAY, "LW", {CronSim.LAST_WEEKDAY}),
        (CronField.MONTH, "JAN-MAR", {1, 2, 3}),
        (CronField.DOW, "MON-FRI", {1, 2, 3, 4, 5}),
        (CronField.DOW, "1#2", {(1, 2)}),
        (CronField.DOW, "5L", {(5, CronSim.LAST)}),
        (CronField.DOW, "7", {7}),
    ],
)
def test_a_field_reads_as_cronsim_reads_it(
    kind: CronField, value: str, expected: set[object]
) -> None:
    assert kind.parse(value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (CronField.MINUTE, "60"),
        (CronField.HOUR, "5-2"),
        (CronField.DAY, "1#2"),  # '#' only in the day-of-week field
        (CronField.DAY, "32"),
        (CronField.MONTH, "L"),
        (CronField.DOW, "1#6"),
        (CronField.MINUTE, ""),
        (CronField.MINUTE, "1 2"),  # would otherwise shift into cronsim's seconds field
    ],
)
def test_a_bad_field_raises_cronsims_error(kind: CronField, value: str) -> None:
    with pytest.raises(CronSimError):
        kind.parse(value)


def test_fields_are_in_cron_order() -> None:
    assert [f.name for f in CronField] == ["MINUTE", "HOUR", "DAY", "MONTH", "DOW"]


def test_only_cronsims_public_names_are_imported() -> None:
    reached_in: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cronsim."):
                reached_in.append(f"{path.relative_to(SRC)}: from {node.module} import ...")
            if isinstance(node, ast.Import):
                reached_in += [
                    f"{path.relative_to(SRC)}: import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("cronsim.")
                ]
    assert reached_in == []
