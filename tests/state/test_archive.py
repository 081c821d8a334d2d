"""Packing a month of history: deterministic bytes, checked copies, the manifest, the settings."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from gitcron.config.settings import Settings
from gitcron.state.archive import (
    archived_since,
    check_copy,
    months_before,
    note_archived,
    pack,
    read_manifest,
)
from gitcron.state.files import StateError
from gitcron.state.store import StateStore
from support import record


@pytest.fixture
def root(tmp_path: Path) -> Path:
    store = StateStore(tmp_path)
    for day in ("2026-01-30", "2026-01-31", "2026-02-01", "2026-03-05"):
        store.append_history([record(f"{day}T08:00", f"{day}T08:00:02")])
    return tmp_path


def test_months_before_groups_whole_months_and_stops_at_the_month(root: Path) -> None:
    found = months_before(root, date(2026, 3, 20))
    assert {m: [p.name for p in days] for m, days in found.items()} == {
        date(2026, 1, 1): ["2026-01-30.jsonl", "2026-01-31.jsonl"],
        date(2026, 2, 1): ["2026-02-01.jsonl"],
    }


def test_packing_twice_makes_the_same_bytes_holding_the_lines_verbatim(root: Path) -> None:
    days = months_before(root, date(2026, 2, 1))[date(2026, 1, 1)]
    first, again = pack(date(2026, 1, 1), days), pack(date(2026, 1, 1), days)
    assert first.data == again.data  # no name, no time in the gzip header: a rerun matches
    assert first.name == "history-2026-01.jsonl.gz"
    assert gzip.decompress(first.data) == b"".join(p.read_bytes() for p in days)
    assert first.lines == 2


def test_a_torn_last_line_is_ended_so_the_next_day_stays_a_line_of_its_own(root: Path) -> None:
    days = months_before(root, date(2026, 2, 1))[date(2026, 1, 1)]
    days[0].write_bytes(days[0].read_bytes() + b'{"torn": ')
    packed = pack(date(2026, 1, 1), days)
    assert packed.lines == 3
    assert gzip.decompress(packed.data).split(b"\n")[1] == b'{"torn": '


def test_a_copy_read_back_must_hold_every_line(root: Path) -> None:
    packed = pack(date(2026, 1, 1), months_before(root, date(2026, 2, 1))[date(2026, 1, 1)])
    check_copy(packed, packed.data, "s3://b/h.gz")
    content = gzip.decompress(packed.data)
    with pytest.raises(StateError, match="holds 1 lines"):
        check_copy(packed, gzip.compress(content.split(b"\n", 1)[0] + b"\n"), "s3://b/h.gz")
    with pytest.raises(StateError, match="not a whole gzip file"):
        check_copy(packed, packed.data[:-9], "s3://b/h.gz")


def test_the_manifest_says_which_months_a_read_from_a_date_misses(root: Path) -> None:
    months = months_before(root, date(2026, 3, 1))
    done = [(pack(m, days), f"s3://b/history-{m:%Y-%m}.jsonl.gz") for m, days in months.items()]
    assert note_archived(root, done)
    assert not note_archived(root, done)  # the same months again: the file does not change
    assert [(m.month, m.days, m.lines) for m in read_manifest(root)] == [
        ("2026-01", 2, 2),
        ("2026-02", 1, 1),
    ]
    assert [m.month for m in archived_since(root, date(2026, 1, 31))] == ["2026-01", "2026-02"]
    assert [m.month for m in archived_since(root, date(2026, 2, 3))] == ["2026-02"]
    assert archived_since(root, date(2026, 3, 1)) == []


def test_archiving_after_retention_deleted_the_days_is_refused_in_the_settings() -> None:
    with pytest.raises(ValidationError, match="retention would delete the days"):
        Settings.model_validate(
            {"history": {"keep_months": 3, "archive": {"to": "s3://b/h", "after_months": 3}}}
        )
    fine = {"history": {"keep_months": 13, "archive": {"to": "s3://b/h"}}}
    archive = Settings.model_validate(fine).history.archive
    assert archive is not None
    assert archive.after_months == 3
