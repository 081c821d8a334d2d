"""History day files: exact lines, idempotent appends and merges, torn lines, retention."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from gitcron.state.files import StateError
from gitcron.state.history import (
    ReadStats,
    append,
    day_path,
    iter_records,
    merge_records,
    months_before,
    parse_line,
    prune,
)
from gitcron.state.records import Delivery, FileInfo, Record, encode_line, make_run_id
from support import utc


def record(
    schedule: str = "acme-corp/weekly",
    fire: str = "2026-11-22T15:00:00",
    started: str = "2026-11-22T15:02:10",
    attempt: int = 1,
    **changes: object,
) -> Record:
    values: dict[str, object] = {
        "run_id": make_run_id(schedule, utc(fire)),
        "schedule": schedule,
        "fire": utc(fire),
        "trigger": "scheduled",
        "status": "succeeded",
        "attempt": attempt,
        "started": utc(started),
        **changes,
    }
    return Record(**values)  # type: ignore[arg-type]


FULL = record(
    status="partial",
    duration_ms=5321,
    rows=1200,
    file=FileInfo(name="acme-products-2026-11-22.xlsx", size=48213, sha256="ab" * 32),
    deliveries=(
        Delivery(target="email:buyer@acme.example", status="succeeded"),
        Delivery(target="webhook:https://hooks.acme.example/files", status="failed", error="503"),
    ),
    error="1 of 2 deliveries failed: café\u2028down",
    labels={"team": "emea", "ticket": "SUP-1234", "priority": 2},
)
OLD_LINE = (  # as releases before compact lines wrote it: every field, nulls included
    '{"attempt":1,"deliveries":[{"error":null,"status":"succeeded",'
    '"target":"email:buyer@acme.example"},{"error":"503","status":"failed",'
    '"target":"webhook:https://hooks.acme.example/files"}],"duration_ms":5321,'
    '"error":"1 of 2 deliveries failed: caf\\u00e9\\u2028down",'
    '"file":{"name":"acme-products-2026-11-22.xlsx","sha256":"' + "ab" * 32 + '","size":48213},'
    '"fire":"2026-11-22T15:00:00Z","labels":{"priority":2,"team":"emea","ticket":"SUP-1234"},'
    '"rows":1200,"run_id":"acme-corp/weekly@2026-11-22T15:00:00Z",'
    '"schedule":"acme-corp/weekly","started":"2026-11-22T15:02:10Z","status":"partial",'
    '"trigger":"scheduled"}'
)
PREVIOUS_LINE = (  # as the release before short spellings wrote it: no nulls, no usual run id
    '{"deliveries":[{"target":"email:buyer@acme.example"},{"error":"503","status":"failed",'
    '"target":"webhook:https://hooks.acme.example/files"}],"duration_ms":5321,'
    '"error":"1 of 2 deliveries failed: caf\\u00e9\\u2028down",'
    '"file":{"name":"acme-products-2026-11-22.xlsx","sha256":"' + "ab" * 32 + '","size":48213},'
    '"fire":"2026-11-22T15:00:00Z","labels":{"priority":2,"team":"emea","ticket":"SUP-1234"},'
    '"rows":1200,"schedule":"acme-corp/weekly","started":"2026-11-22T15:02:10Z",'
    '"status":"partial"}'
)
SPELLED_LINE = (  # as the release before short key names wrote it: started after the fire,
    # the digest in base64
    '{"deliveries":[{"target":"email:buyer@acme.example"},{"error":"503","status":"failed",'
    '"target":"webhook:https://hooks.acme.example/files"}],"duration_ms":5321,'
    '"error":"1 of 2 deliveries failed: caf\\u00e9\\u2028down",'
    '"file":{"name":"acme-products-2026-11-22.xlsx","sha256":"'
    + "q6ur"
    * 10
    + 'q6s=","size":48213},'
    '"fire":"2026-11-22T15:00:00Z","labels":{"priority":2,"team":"emea","ticket":"SUP-1234"},'
    '"rows":1200,"schedule":"acme-corp/weekly","started":130,"status":"partial"}'
)
FULL_LINE = (  # as written now: short names for frequent keys, a file and a delivery that
    # succeeded without key names, the digest without padding (line_spelling.py)
    '{"error":"1 of 2 deliveries failed: caf\\u00e9\\u2028down",'
    '"file":["acme-products-2026-11-22.xlsx",48213,"' + "q6ur" * 10 + 'q6s"],'
    '"fire":"2026-11-22T15:00:00Z","id":"acme-corp/weekly",'
    '"labels":{"priority":2,"team":"emea","ticket":"SUP-1234"},"ms":5321,"rows":1200,'
    '"start":130,"status":"partial","to":["email:buyer@acme.example",{"error":"503",'
    '"status":"failed","target":"webhook:https://hooks.acme.example/files"}]}'
)


def test_line_is_compact_sorted_ascii() -> None:
    assert encode_line(FULL) == FULL_LINE


def test_old_long_lines_and_new_short_ones_read_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "history"
    folder.mkdir(parents=True)
    (folder / "2026-11-22.jsonl").write_text(
        "".join(line + "\n" for line in (OLD_LINE, PREVIOUS_LINE, SPELLED_LINE, FULL_LINE))
    )
    assert list(iter_records(tmp_path)) == [FULL, FULL, FULL, FULL]


def test_a_line_leaves_out_defaults_and_the_usual_run_id() -> None:
    plain = record(schedule="acme-corp/daily", status="missed", started="2026-11-22T15:00:30")
    assert json.loads(encode_line(plain)) == {
        "fire": "2026-11-22T15:00:00Z",
        "id": "acme-corp/daily",
        "start": 30,
        "status": "missed",
    }
    retry = replace(plain, attempt=2, trigger="retry")
    assert json.loads(encode_line(retry))["attempt"] == 2
    assert parse_line(encode_line(retry), "x") == retry
    odd = replace(plain, run_id="acme-corp/daily@manual-7")
    assert json.loads(encode_line(odd))["run"] == "acme-corp/daily@manual-7"
    assert parse_line(encode_line(odd), "x") == odd


def test_appending_refuses_a_day_file_that_is_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    folder = tmp_path / "state" / "history"
    folder.mkdir(parents=True)
    (folder / "2026-11-22.jsonl").symlink_to(outside)
    with pytest.raises(StateError) as caught:
        append(tmp_path, [FULL])
    assert caught.value.message == (
        "state/history/2026-11-22.jsonl: history day file is a symbolic link, which no tick "
        "writes; nothing was appended"
    )
    assert "git rm state/history/2026-11-22.jsonl" in (caught.value.hint or "")
    assert outside.read_text() == "keep\n"
    assert list(iter_records(tmp_path)) == []  # a link is not read as a day either


def test_appending_refuses_a_day_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "state" / "history" / "2026-11-22.jsonl").mkdir(parents=True)
    with pytest.raises(StateError, match="is not a regular file"):
        append(tmp_path, [FULL])


def test_appending_never_rewrites_what_is_there(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "history"
    folder.mkdir(parents=True)
    day = folder / "2026-11-22.jsonl"
    day.write_text(OLD_LINE + "\n")
    later = record(attempt=2, started="2026-11-22T15:07:00", trigger="retry")
    append(tmp_path, [FULL, later])  # FULL is there already, in its old spelling
    assert day.read_text() == OLD_LINE + "\n" + encode_line(later) + "\n"


def test_append_then_read_round_trips(tmp_path: Path) -> None:
    skipped = record(schedule="acme-corp/daily", status="skipped", started="2026-11-22T15:00:30")
    assert append(tmp_path, [FULL, skipped]) == {day_path(tmp_path, date(2026, 11, 22)): 2}
    path = tmp_path / "state" / "history" / "2026-11-22.jsonl"
    assert path.read_text() == FULL_LINE + "\n" + encode_line(skipped) + "\n"
    assert list(iter_records(tmp_path)) == [FULL, skipped]


def test_day_file_is_the_attempt_start_in_utc(tmp_path: Path) -> None:
    late = record(fire="2026-11-22T23:55:00", started="2026-11-23T00:10:00", trigger="retry")
    append(tmp_path, [late])
    assert [p.name for p in (tmp_path / "state" / "history").iterdir()] == ["2026-11-23.jsonl"]


def test_replaying_the_same_records_adds_nothing(tmp_path: Path) -> None:
    records = [FULL, record(attempt=2, started="2026-11-22T15:07:00", trigger="retry")]
    append(tmp_path, records)
    path = day_path(tmp_path, date(2026, 11, 22))
    before = path.read_bytes()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert append(tmp_path, records) == {}
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_merge_twice_gives_the_same_file(tmp_path: Path) -> None:
    remote = [encode_line(record(schedule="acme-corp/daily")) + "\n"]
    mine = [FULL, record(attempt=2, started="2026-11-22T15:07:00", trigger="retry"), FULL]
    once = merge_records(remote, mine)
    twice = merge_records(once, mine)
    assert twice == once
    assert once == [remote[0].rstrip("\n"), FULL_LINE, encode_line(mine[1])]


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(record(attempt=2), id="attempt"),
        pytest.param(record(trigger="manual"), id="trigger"),
        pytest.param(record(started="2026-11-22T16:00:00"), id="started"),
        pytest.param(record(fire="2026-11-22T16:00:00"), id="run-id"),
    ],
)
def test_merge_key_is_run_attempt_trigger_started(other: Record) -> None:
    base = record()
    assert merge_records(merge_records([], [base]), [other]) == [
        encode_line(base),
        encode_line(other),
    ]
    same_key = record(status="failed", error="differs but same key")
    assert merge_records([encode_line(base)], [same_key]) == [encode_line(base)]


def test_torn_last_line_is_ignored_and_counted(tmp_path: Path) -> None:
    first, second = record(), record(schedule="acme-corp/daily")
    append(tmp_path, [first, second])
    path = day_path(tmp_path, date(2026, 11, 22))
    torn = encode_line(record(schedule="acme-corp/monthly"))[:57]
    with open(path, "ab") as handle:
        handle.write(torn.encode())  # a crash mid-append
    stats = ReadStats()
    assert list(iter_records(tmp_path, stats=stats)) == [first, second]
    assert stats.skipped == ["state/history/2026-11-22.jsonl:3"]
    assert stats.count == 1

    third = record(schedule="acme-corp/monthly")
    append(tmp_path, [third])  # the torn fragment is closed off, the new line stays whole
    assert path.read_text().splitlines()[2:] == [torn, encode_line(third)]
    stats = ReadStats()
    assert list(iter_records(tmp_path, stats=stats)) == [first, second, third]
    assert stats.skipped == ["state/history/2026-11-22.jsonl:3"]


@pytest.mark.parametrize(
    ("line", "readable"),
    [
        pytest.param(FULL_LINE.replace('"rows":1200', '"rows":"many"'), False, id="bad-type"),
        pytest.param(FULL_LINE.replace('"partial"', '"exploded"'), False, id="bad-status"),
        pytest.param("[1, 2]", False, id="not-object"),
        pytest.param(FULL_LINE[:-1] + ',"future_field":1}', True, id="unknown-key-kept"),
    ],
)
def test_bad_lines_are_skipped_not_fatal(tmp_path: Path, line: str, readable: bool) -> None:
    path = day_path(tmp_path, date(2026, 11, 22))
    path.parent.mkdir(parents=True)
    path.write_text(line + "\n\n" + encode_line(record()) + "\n")
    stats = ReadStats()
    found = list(iter_records(tmp_path, stats=stats))
    assert found == ([FULL] if readable else []) + [record()]
    assert stats.skipped == ([] if readable else ["state/history/2026-11-22.jsonl:1"])


def test_filters_by_day_and_schedule(tmp_path: Path) -> None:
    a = record(started="2026-11-20T15:00:00", fire="2026-11-20T15:00:00")
    b = record(schedule="acme-corp/daily", started="2026-11-21T08:00:00")
    c = record(started="2026-11-22T15:00:00")
    append(tmp_path, [c, a, b])
    assert list(iter_records(tmp_path)) == [a, b, c]
    assert list(iter_records(tmp_path, since=date(2026, 11, 21))) == [b, c]
    assert list(iter_records(tmp_path, schedule="acme-corp/weekly")) == [a, c]
    assert list(iter_records(tmp_path / "nowhere")) == []


def test_a_schedule_s_lines_are_found_by_either_name_of_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "history"
    folder.mkdir(parents=True)
    other = record(schedule="acme-corp/weekly-2", status="missed")  # its id starts alike
    lines = (OLD_LINE, SPELLED_LINE, encode_line(other), FULL_LINE)
    (folder / "2026-11-22.jsonl").write_text("".join(line + "\n" for line in lines))
    assert list(iter_records(tmp_path, schedule="acme-corp/weekly")) == [FULL, FULL, FULL]
    assert list(iter_records(tmp_path, schedule="acme-corp/weekly-2")) == [other]
    assert len(list(iter_records(tmp_path, prefix="acme-corp/"))) == 4
    assert list(iter_records(tmp_path, prefix="globex/")) == []


def test_prune_deletes_exactly_the_old_day_files(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "history"
    folder.mkdir(parents=True)
    names = [
        "2025-09-30.jsonl",
        "2025-10-21.jsonl",
        "2025-10-22.jsonl",
        "2026-11-22.jsonl",
        "2024-13-01.jsonl",
        "notes.txt",
        ".gitkeep",
    ]
    for name in names:
        (folder / name).write_text("x\n")
    deleted = prune(tmp_path, today=date(2026, 11, 22), keep_months=13)
    assert [p.name for p in deleted] == ["2025-09-30.jsonl", "2025-10-21.jsonl"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        set(names) - {"2025-09-30.jsonl", "2025-10-21.jsonl"}
    )
    assert prune(tmp_path, today=date(2026, 11, 22), keep_months=13) == []


def test_prune_refuses_negative_months(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keep_months"):
        prune(tmp_path, date(2026, 11, 22), -1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2026, 11, 22), 13, date(2025, 10, 22), id="13-months"),
        pytest.param(date(2026, 11, 22), 0, date(2026, 11, 22), id="zero"),
        pytest.param(date(2026, 1, 15), 1, date(2025, 12, 15), id="year-boundary"),
        pytest.param(date(2026, 3, 31), 1, date(2026, 2, 28), id="clamped"),
        pytest.param(date(2024, 3, 31), 1, date(2024, 2, 29), id="leap"),
        pytest.param(date(2026, 12, 31), 24, date(2024, 12, 31), id="december"),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_run_id_is_schedule_at_fire_utc() -> None:
    assert make_run_id("acme-corp/weekly", utc("2026-11-23T15:00:00")) == (
        "acme-corp/weekly@2026-11-23T15:00:00Z"
    )
    assert json.loads(OLD_LINE)["run_id"] == FULL.run_id
    assert parse_line(FULL_LINE, "x").run_id == FULL.run_id  # left out of new lines, read back
