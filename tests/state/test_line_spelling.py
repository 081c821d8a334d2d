"""Short history lines: lines written before still read the same, and each shorter spelling reads
back as what was written."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gitcron.state.files import StateError
from gitcron.state.history import parse_line
from gitcron.state.records import Delivery, FileInfo, Record, encode_line, record_to_json

FIXTURES = Path(__file__).parent / "fixtures"
# Lines as earlier releases wrote them, with what `history --format json` showed for each:
#   older: before short spellings (defaults already left out), from the history benchmark's mix
#     and a few odd records;
#   short: the same records and a few more with `started`, digests and notes spelled short, as
#     written before short key names.
WRITTEN_BEFORE = ("older", "short")


def written_before(form: str) -> tuple[list[str], list[dict[str, object]]]:
    lines = (FIXTURES / f"{form}-history-lines.jsonl").read_text("utf-8").splitlines()
    return lines, json.loads((FIXTURES / f"{form}-history-records.json").read_text("utf-8"))


FIRE = datetime(2026, 12, 6, 3, tzinfo=UTC)
DIGEST = "d2aa4a6ce633f684b50933f07bc2dd576bbcf49687443fe450992bd68980bbf7"
RUN = Record(
    run_id="customer-0000/report-03-products@2026-12-06T03:00:00Z",
    schedule="customer-0000/report-03-products",
    fire=FIRE,
    trigger="scheduled",
    status="succeeded",
    attempt=1,
    started=FIRE + timedelta(minutes=7, seconds=3),
    duration_ms=1984,
    rows=1032,
    file=FileInfo("customer-0000-products-2026-12-06.xlsx", 44192, DIGEST),
    deliveries=(
        Delivery(
            "email:buyer@customer-0000.example",
            "succeeded",
            note="sent to buyer@customer-0000.example via smtp.example.com:587",
        ),
        Delivery(
            "storage:s3://drop/in",
            "succeeded",
            note="s3://drop/in/customer-0000-products-2026-12-06.xlsx",
        ),
    ),
)
RUN_LINE = (
    '{"deliveries":[{"note":["sent to ",0," via smtp.example.com:587"],'
    '"target":"email:buyer@customer-0000.example"},{"note":[0,"/",1],'
    '"target":"storage:s3://drop/in"}],"duration_ms":1984,'
    '"file":{"name":"customer-0000-products-2026-12-06.xlsx",'
    '"sha256":"0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/c=","size":44192},'
    '"fire":"2026-12-06T03:00:00Z","rows":1032,"schedule":"customer-0000/report-03-products",'
    '"started":423}'
)


@pytest.mark.parametrize("form", WRITTEN_BEFORE)
def test_lines_written_before_read_the_same(form: str) -> None:
    lines, records = written_before(form)
    assert len(lines) == len(records) > 50
    for number, (line, shown) in enumerate(zip(lines, records, strict=True), 1):
        record = parse_line(line, f"{form}-history-lines.jsonl:{number}")
        assert record_to_json(record) == shown
        again = encode_line(record)  # as written now: shorter or the same, and read the same
        assert len(again) <= len(line)
        assert parse_line(again, "again") == record


def test_a_usual_run_is_written_short_and_read_back_whole() -> None:
    assert encode_line(RUN) == RUN_LINE
    assert parse_line(RUN_LINE, "x") == RUN


def test_started_at_the_fire_is_left_out_and_before_it_stays_an_instant() -> None:
    manual = replace(RUN, trigger="manual", started=FIRE)
    assert "started" not in json.loads(encode_line(manual))
    assert parse_line(encode_line(manual), "x") == manual
    early = replace(RUN, started=FIRE - timedelta(seconds=1))
    assert json.loads(encode_line(early))["started"] == "2026-12-06T02:59:59Z"
    assert parse_line(encode_line(early), "x") == early


def test_a_digest_that_is_not_a_lowercase_sha256_is_kept_as_it_is() -> None:
    for digest in (DIGEST.upper(), "ab" * 20, "not hex", ""):
        odd = replace(RUN, file=FileInfo("a.csv", 1, digest))
        assert json.loads(encode_line(odd))["file"]["sha256"] == digest
        assert parse_line(encode_line(odd), "x") == odd


def test_a_note_is_referenced_only_where_it_says_the_destination_or_the_file() -> None:
    plain = Delivery("outbox:default", "succeeded", note="outbox/acme/a.csv")
    short = Delivery("sftp:sftp://u@h/in", "succeeded", note="")
    odd = replace(RUN, deliveries=(plain, short))
    entries = json.loads(encode_line(odd))["deliveries"]
    assert [entry["note"] for entry in entries] == ["outbox/acme/a.csv", ""]
    assert parse_line(encode_line(odd), "x") == odd
    nameless = replace(RUN, file=None)  # no file: only the destination is referenced
    assert json.loads(encode_line(nameless))["deliveries"][1]["note"] == [
        0,
        "/customer-0000-products-2026-12-06.xlsx",
    ]
    assert parse_line(encode_line(nameless), "x") == nameless


@pytest.mark.parametrize("note", [[1, "x"], [0, 2], [True], [0, None], [-1], [{"a": 1}]], ids=str)
def test_a_reference_that_stands_for_nothing_reads_as_no_note(note: list[object]) -> None:
    data = json.loads(RUN_LINE)
    del data["file"]
    data["deliveries"][0]["note"] = note
    record = parse_line(json.dumps(data), "x")
    assert record.deliveries[0].note is None
    assert record.deliveries[1].note is None  # [0, "/", 1] with no file: 1 stands for nothing
    assert record.file is None
    assert record.rows == 1032


@pytest.mark.parametrize(
    ("started", "where"),
    [
        pytest.param(-5, "started: expected a string, found -5", id="negative"),
        pytest.param(10**30, "started: expected a string", id="huge"),
        pytest.param(True, "started: expected a string, found true", id="bool"),
        pytest.param(
            6_000_000_000,
            "started: expected an instant from 2000-01-01T00:00:00Z to 2199",
            id="late",
        ),
    ],
)
def test_a_bad_started_is_told(started: object, where: str) -> None:
    data = {**json.loads(RUN_LINE), "started": started}
    with pytest.raises(StateError) as caught:
        parse_line(json.dumps(data), "state/history/2026-12-06.jsonl:4")
    assert caught.value.message.startswith(f"state/history/2026-12-06.jsonl:4: {where}")


def test_a_retry_s_generated_is_after_the_fire_and_rows_digest_in_base64() -> None:
    retry = replace(
        RUN,
        trigger="retry",
        attempt=2,
        started=FIRE + timedelta(hours=1),
        generated=FIRE,  # its first attempt began at the fire: 0, still written
        rows_sha256=DIGEST,
    )
    data = json.loads(encode_line(retry))
    assert (data["started"], data["generated"]) == (3600, 0)
    assert data["rows_sha256"] == "0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/c="
    assert parse_line(encode_line(retry), "x") == retry
    assert "generated" not in json.loads(encode_line(RUN))
