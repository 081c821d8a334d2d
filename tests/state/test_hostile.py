"""State files as hostile input: bounded sizes, nesting, numbers, instants, names and retries.

Each refusal names the file, the place and what no tick would have written, with the way out;
each bound sits far above anything a tick writes, which the accepted cases pin.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gitcron.state.codec import MAX_TEXT
from gitcron.state.files import MAX_DEPTH, MAX_FILE_BYTES, StateError, read_json
from gitcron.state.history import MAX_LINE, parse_line
from gitcron.state.model import customer_from_json, tick_from_json
from gitcron.state.phrases import short_json
from gitcron.state.records import encode_line
from gitcron.state.store import StateStore
from support import record

NAME = "state/schedules/acme-corp.json"
TICK = "state/tick.json"
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
RUN = "acme-corp/weekly@2026-11-23T15:00:00Z"


def document(**changes: Any) -> dict[str, Any]:
    """A customer file with one schedule, `weekly`, with `changes` made to its entry."""
    entry: dict[str, Any] = {
        "fingerprint": "3f2a9c0d1e4b5a67",
        "first_seen": "2026-11-01T09:15:00Z",
        "last_fire": "2026-11-23T15:00:00Z",
        "next_fire": "2026-11-30T15:00:00Z",
        "runs": 4,
        "succeeded": 3,
        "failed": 1,
        "pending_retry": {
            "run_id": RUN,
            "fire": "2026-11-23T15:00:00Z",
            "attempt": 1,
            "due": "2026-11-23T15:05:00Z",
            "failed_targets": ["webhook:https://hooks.acme.example/files"],
        },
    }
    entry.update(changes)
    return {"format": 1, "schedules": {"weekly": entry}}


def retry(**changes: Any) -> dict[str, Any]:
    pending: dict[str, Any] = dict(document()["schedules"]["weekly"]["pending_retry"])
    pending.update(changes)
    return pending


def refused(data: object, customer: str | None = None, now: datetime | None = None) -> str:
    with pytest.raises(StateError) as caught:
        customer_from_json(data, NAME, customer, now)
    error = caught.value
    assert error.hint is not None
    assert "gitcron state repair" in error.hint
    return error.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            document(runs=10**30),
            "schedules.weekly.runs: expected a whole number <= 1000000000, "
            "found 1000000000000000000000000000000",
            id="counter-10^30",
        ),
        pytest.param(
            document(consecutive_failures=10**9 + 1),
            "schedules.weekly.consecutive_failures: expected a whole number <= 1000000000",
            id="counter-just-over",
        ),
        pytest.param(
            document(pending_retry=retry(attempt=2**63)),
            "schedules.weekly.pending_retry.attempt: expected a whole number <= 1000000000",
            id="attempt",
        ),
        pytest.param(
            document(last_fire="2200-01-01T00:00:00Z"),
            "schedules.weekly.last_fire: expected an instant from 2000-01-01T00:00:00Z to "
            '2199-12-31T23:59:59Z, found "2200-01-01T00:00:00Z"',
            id="year-2200",
        ),
        pytest.param(
            document(first_seen="1999-12-31T23:59:59Z"),
            "schedules.weekly.first_seen: expected an instant from 2000",
            id="year-1999",
        ),
        pytest.param(
            document(next_fire="9999-12-31T23:59:59Z"),
            "schedules.weekly.next_fire: expected an instant from 2000",
            id="next-fire-9999",
        ),
        pytest.param(
            document(pending_retry=retry(due="2999-01-01T00:00:00Z")),
            "schedules.weekly.pending_retry.due: expected an instant from 2000",
            id="retry-due-2999",
        ),
        pytest.param(
            document(fingerprint="f" * (MAX_TEXT + 1)),
            f"schedules.weekly.fingerprint: expected at most {MAX_TEXT} characters, "
            f"found {MAX_TEXT + 1}",
            id="long-fingerprint",
        ),
        pytest.param(
            document(completed_reason="x" * 10**6),
            f"schedules.weekly.completed_reason: expected at most {MAX_TEXT} characters",
            id="long-reason",
        ),
        pytest.param(
            document(delivered=[f"{RUN}|email:{n}@acme.example" for n in range(10_001)]),
            "schedules.weekly.delivered: expected at most 10000 items, found 10001",
            id="long-list",
        ),
        pytest.param(
            document(pending_retry=retry(failed_targets=["x" * (MAX_TEXT + 1)])),
            "schedules.weekly.pending_retry.failed_targets: expected texts of at most",
            id="long-target",
        ),
        pytest.param(
            document(pending_retry=retry(run_id="r" * (MAX_TEXT + 1))),
            "schedules.weekly.pending_retry.run_id: expected at most",
            id="long-run-id",
        ),
    ],
)
def test_values_out_of_bounds_are_damage_with_their_path(data: object, message: str) -> None:
    assert refused(data).startswith(f"{NAME}: {message}")


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("", id="empty"),
        pytest.param("..", id="parent"),
        pytest.param("../../etc", id="climbing"),
        pytest.param(".hidden", id="dot-first"),
        pytest.param("a//b", id="empty-part"),
        pytest.param("weekly/", id="trailing-slash"),
        pytest.param("bad name", id="space"),
        pytest.param("wöchentlich", id="not-ascii"),
        pytest.param("a\\b", id="backslash"),
        pytest.param("a" * 256, id="part-too-long"),
        pytest.param("/".join(["abcdefgh"] * 500), id="name-too-long"),
    ],
)
def test_a_key_no_schedule_file_can_have_is_damage(key: str) -> None:
    data = document()
    data["schedules"][key] = data["schedules"]["weekly"]
    message = refused(data)
    assert message.startswith(f"{NAME}: schedules.{short_json(key)}: ")
    assert "expected a schedule name (letters, digits, '.', '_' and '-'" in message


def test_names_of_nested_and_deleted_schedules_are_not_damage() -> None:
    """`acme-corp/reports/weekly` is schedules/acme-corp/reports/weekly.yaml, and an entry whose
    file is gone is dropped by the next whole tick: neither is a name no file can have."""
    data = document(pending_retry=None)
    for name in ("reports/weekly", "customer-002/x", "retired.v2", "A_1-b", "a" * 255):
        data["schedules"][name] = data["schedules"]["weekly"]
    assert len(customer_from_json(data, NAME, "acme-corp", NOW)) == 6
    with pytest.raises(StateError):  # while one part too long is not
        customer_from_json({"format": 1, "schedules": {"a" * 256: {}}}, NAME)


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        pytest.param({"first_seen": "2026-11-24T00:00:00Z"}, "first_seen", id="first-seen"),
        pytest.param({"anchor": "2026-11-23T16:10:01Z"}, "anchor", id="anchor-just-over"),
        pytest.param({"last_fire": "2099-01-01T00:00:00Z"}, "last_fire", id="last-fire"),
        pytest.param({"last_manual": "2026-12-01T00:00:00Z"}, "last_manual", id="last-manual"),
        pytest.param(
            {
                "pending_retry": retry(
                    run_id="acme-corp/weekly@2026-11-30T15:00:00Z", fire="2026-11-30T15:00:00Z"
                )
            },
            "pending_retry.fire",
            id="retry-fire",
        ),
    ],
)
def test_an_instant_the_tick_has_not_reached_is_damage(changes: dict[str, Any], where: str) -> None:
    data = document(**changes)
    found = data["schedules"]["weekly"]
    instant = found[where] if "." not in where else found["pending_retry"]["fire"]
    assert refused(data, "acme-corp", NOW) == (
        f"{NAME}: schedules.weekly.{where}: {instant} is later than this tick "
        "(2026-11-23T16:00:00Z); no tick writes an instant it has not reached"
    )
    assert customer_from_json(data, NAME, "acme-corp")  # without a tick's instant: not judged


def test_instants_a_tick_writes_ahead_and_a_little_clock_skew_are_fine() -> None:
    data = document(
        next_fire="2199-12-31T23:59:59Z",  # a `once` far ahead
        anchor="2026-11-23T16:10:00Z",  # a machine whose clock is ten minutes ahead
        pending_retry=retry(due="2031-01-01T00:00:00Z"),  # a long backoff
    )
    assert customer_from_json(data, NAME, "acme-corp", NOW)
    assert refused(document(anchor="2026-11-23T16:10:01Z"), "acme-corp", NOW)


@pytest.mark.parametrize(
    "run_id",
    [
        pytest.param("globex/weekly@2026-11-23T15:00:00Z", id="another-customer"),
        pytest.param("acme-corp/daily@2026-11-23T15:00:00Z", id="another-schedule"),
        pytest.param("acme-corp/weekly@2026-11-16T15:00:00Z", id="another-fire"),
        pytest.param("acme-corp/weekly", id="no-fire"),
    ],
)
def test_a_retry_of_another_run_is_damage(run_id: str) -> None:
    data = document(pending_retry=retry(run_id=run_id))
    assert refused(data, "acme-corp") == (
        f'{NAME}: schedules.weekly.pending_retry.run_id: expected "{RUN}" '
        f"(this schedule's run at its fire), found {json.dumps(run_id)}"
    )


def test_the_tick_file_is_judged_against_the_tick_reading_it() -> None:
    data = {"format": 1, "last_tick": "2026-11-23T16:10:00Z"}
    assert tick_from_json(data, TICK, NOW).last_tick == NOW + timedelta(minutes=10)
    with pytest.raises(StateError) as caught:
        tick_from_json({"format": 1, "last_tick": "2027-01-01T00:00:00Z"}, TICK, NOW)
    assert caught.value.message == (
        f"{TICK}: last_tick: 2027-01-01T00:00:00Z is later than this tick (2026-11-23T16:00:00Z); "
        "no tick writes an instant it has not reached"
    )
    with pytest.raises(StateError, match="last_tick: expected an instant from 2000"):
        tick_from_json({"format": 1, "last_tick": "1970-01-01T00:00:00Z"}, TICK)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        pytest.param(b"[" * 100_000, "nested more than 16 levels deep", id="100k-open"),
        pytest.param(b'{"a":' * 100_000, "nested more than 16 levels deep", id="100k-objects"),
        pytest.param(
            b'{"a":' * 17 + b"1" + b"}" * 17, "nested more than 16 levels deep", id="17-levels"
        ),
        pytest.param(b"{}" + b" " * MAX_FILE_BYTES, "larger than 64 MiB", id="over-64-MiB"),
    ],
)
def test_absurd_files_are_damage_without_parsing_them_whole(
    tmp_path: Path, content: bytes, what: str
) -> None:
    path = tmp_path / "acme-corp.json"
    path.write_bytes(content)
    with pytest.raises(StateError) as caught:
        read_json(path, NAME)
    assert caught.value.message.startswith(f"{NAME}: corrupt state file: ")
    assert what in caught.value.message
    assert caught.value.hint is not None
    assert f"delete {NAME}" in caught.value.hint


def test_the_bounds_leave_room_for_real_files(tmp_path: Path) -> None:
    path = tmp_path / "acme-corp.json"
    path.write_bytes(b'{"a":' * MAX_DEPTH + b"[]" + b"}" * MAX_DEPTH)
    with pytest.raises(StateError, match="nested more than 16"):
        read_json(path, NAME)  # 17 levels: the list is one more
    path.write_bytes(b'{"a":' * (MAX_DEPTH - 1) + b"[]" + b"}" * (MAX_DEPTH - 1))
    assert read_json(path, NAME)
    path.write_bytes(b"{}".ljust(MAX_FILE_BYTES))
    assert read_json(path, NAME) == {}


@pytest.mark.parametrize(
    ("line", "what"),
    [
        pytest.param("[" * 100_000, "not a record: objects and lists nested", id="100k-open"),
        pytest.param(
            '{"labels": ' + "[" * 40 + "]" * 40 + "}", "not a record: objects and lists", id="40"
        ),
        pytest.param(" " * (MAX_LINE + 1), "not a record: longer than 1048576", id="long-line"),
    ],
)
def test_an_absurd_history_line_is_not_a_record(line: str, what: str) -> None:
    with pytest.raises(StateError) as caught:
        parse_line(line, "state/history/2026-11-23.jsonl:7")
    assert caught.value.message.startswith(f"state/history/2026-11-23.jsonl:7: {what}")


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        pytest.param({"duration_ms": 10**12}, "duration_ms: expected a whole number <= ", id="ms"),
        pytest.param({"rows": 10**16}, "rows: expected a whole number <= 10000", id="rows"),
        pytest.param({"attempt": 10**10}, "attempt: expected a whole number <= ", id="attempt"),
        pytest.param({"started": "2201-01-01T00:00:00Z"}, "started: expected an instant", id="y"),
        pytest.param(
            {"file": {"name": "a.csv", "size": 10**16, "sha256": "0" * 64}},
            "file.size: expected a whole number <= 1000000000000000",
            id="size",
        ),
    ],
)
def test_history_numbers_and_instants_are_bounded(changes: dict[str, Any], where: str) -> None:
    data = json.loads(encode_line(record("2026-11-23T15:00:00", "2026-11-23T15:00:07")))
    data.update(changes)
    with pytest.raises(StateError) as caught:
        parse_line(json.dumps(data), "state/history/2026-11-23.jsonl:7")
    assert caught.value.message.startswith(f"state/history/2026-11-23.jsonl:7: {where}")


def test_history_bounds_leave_room_for_real_runs() -> None:
    """A 5 GB file of 20 million rows that took a day to make is a record like any other."""
    data = json.loads(encode_line(record("2026-11-23T15:00:00", "2026-11-23T15:00:07")))
    data.update(
        rows=20_000_000,
        duration_ms=24 * 3600 * 1000,
        file={"name": "big.csv", "size": 5 * 10**9, "sha256": "0" * 64},
    )
    assert parse_line(json.dumps(data), "h:1").rows == 20_000_000
    with pytest.raises(StateError):  # while a run of more than a year is not
        parse_line(json.dumps({**data, "duration_ms": 367 * 24 * 3600 * 1000}), "h:1")


def test_a_file_no_customer_can_have_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "schedules"
    folder.mkdir(parents=True)
    for name in ("..json", "a\\b.json", "acme-corp.json"):
        (folder / name).write_text('{"format": 1, "schedules": {}}')
    assert StateStore(tmp_path).customers() == ["acme-corp"]


def test_only_json_files_are_listed_as_customers(tmp_path: Path) -> None:
    """The listing reads names, not paths: a folder named like a state file, or another file, is
    no customer's; a link is listed, and reading it reports it (below)."""
    folder = tmp_path / "state" / "schedules"
    (folder / "globex.json").mkdir(parents=True)
    (folder / "notes.txt").write_text("{}")
    (folder / "acme-corp.json").write_text('{"format": 1, "schedules": {}}')
    (folder / "initech.json").symlink_to("acme-corp.json")
    assert StateStore(tmp_path).customers() == ["acme-corp", "initech"]
    with pytest.raises(StateError, match="a symbolic link, which no tick writes"):
        StateStore(tmp_path).load_customer("initech")


def test_a_state_folder_that_is_a_file_lists_no_customer(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "schedules").write_text("not a folder")
    assert StateStore(tmp_path).customers() == []


def test_a_symbolic_link_is_damage_not_followed(tmp_path: Path) -> None:
    """A link committed in place of a state file could make a tick read, and print parts of, any
    file on the machine running it; no tick writes one."""
    elsewhere = tmp_path / "secret.json"
    elsewhere.write_text('{"format": "s3cr3t"}')
    folder = tmp_path / "state" / "schedules"
    folder.mkdir(parents=True)
    (folder / "acme-corp.json").symlink_to(elsewhere)
    with pytest.raises(StateError) as caught:
        StateStore(tmp_path).load_customer("acme-corp")
    assert (
        caught.value.message == f"{NAME}: corrupt state file: a symbolic link, which no tick writes"
    )
    assert "s3cr3t" not in str(caught.value)
