"""Bursting's split: one file per value in one pass, disjoint rows, reviewed recipients only."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from gitcron.config.burst import Burst
from gitcron.core.artifact import JobError
from gitcron.jobs.burst import split

COLUMNS = ("region", "sku", "qty", "email")
ROWS = [
    ("north", "A1", 3, "north.buyer@acme.example"),
    ("north", "B2", 5, "north.buyer@acme.example"),
    ("north", "C3", 1, "intruder@attacker.example"),
    ("south", "A1", 7, "south.buyer@acme.example"),
    ("south", "D4", 2, None),
]


def write_csv(rows: Iterator[Sequence[Any]], path: Path) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def burst(**spec: Any) -> Burst:
    return Burst.model_validate({"by": "region", **spec})


def once(rows: list[tuple[Any, ...]], reads: list[int]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        reads.append(1)
        yield row


def test_each_recipient_gets_only_the_rows_of_their_value(tmp_path: Path) -> None:
    spec = burst(to={"north": ["north@acme.example"], "south": ["south@acme.example"]})
    reads: list[int] = []
    parts = split(COLUMNS, once(ROWS, reads), spec, tmp_path, write_csv)
    assert len(reads) == len(ROWS)  # one pass over the rows
    north, south = parts
    assert (north.value, north.recipients, north.rows) == ("north", ("north@acme.example",), 3)
    assert (south.value, south.recipients, south.rows) == ("south", ("south@acme.example",), 2)
    assert {row[0] for row in read_csv(north.path)} == {"north"}
    assert {row[0] for row in read_csv(south.path)} == {"south"}
    north_skus = {row[1] for row in read_csv(north.path)}
    assert north_skus == {"A1", "B2", "C3"}
    assert {row[1] for row in read_csv(south.path)} == {"A1", "D4"}  # A1 of south only


def test_addresses_from_the_data_go_only_where_the_allowlist_says(tmp_path: Path) -> None:
    spec = burst(to_column="email", allow=["acme.example"])
    north, south = split(COLUMNS, ROWS, spec, tmp_path, write_csv)
    assert north.recipients == ("north.buyer@acme.example",)
    assert north.refused == ("intruder@attacker.example",)
    assert south.recipients == ("south.buyer@acme.example",)
    assert south.refused == ()


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("buyer@acme.example", True),
        ("BUYER@ACME.EXAMPLE", True),
        ("owner@partner.example", True),
        ("other@partner.example", False),  # only that address of partner.example
        ("x@evilacme.example", False),
        ("x@acme.example.evil", False),
        ("x@sub.acme.example", False),
    ],
)
def test_the_allowlist_matches_whole_domains_and_addresses(address: str, allowed: bool) -> None:
    spec = burst(to_column="email", allow=["@acme.example", "owner@partner.example"])
    assert spec.allows(address) is allowed


def test_rows_out_of_order_fail_before_a_part_misses_rows(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[3], ROWS[1]]
    with pytest.raises(JobError, match="not ordered by region: 'north' comes again") as caught:
        split(COLUMNS, rows, burst(to={"north": ["n@acme.example"]}), tmp_path, write_csv)
    assert caught.value.permanent
    assert "ORDER BY region" in str(caught.value.hint)


def test_more_parts_than_the_cap_fail(tmp_path: Path) -> None:
    spec = burst(to={"north": ["n@acme.example"]}, max_parts=1)
    with pytest.raises(JobError, match="more than 1 values: nothing was sent") as caught:
        split(COLUMNS, ROWS, spec, tmp_path, write_csv)
    assert caught.value.permanent


def test_a_missing_split_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(JobError, match="no column named area"):
        split(COLUMNS, ROWS, Burst.model_validate({"by": "area", "to": {}}), tmp_path, write_csv)


def test_addresses_from_the_data_need_a_reviewed_allowlist() -> None:
    with pytest.raises(ValidationError, match="need the allow: list"):
        burst(to_column="email")
    with pytest.raises(ValidationError, match="needs to say who gets each part"):
        burst()
