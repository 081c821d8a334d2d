"""Short history lines: lines written before still read the same, and each shorter spelling reads
back as what was written."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gitcron.state.files import StateError
from gitcron.state.history import parse_line
from gitcron.state.line_spelling import SHORT_KEYS
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
SPELLED_RUN_LINE = (  # as written before short key names
    '{"deliveries":[{"note":["sent to ",0," via smtp.example.com:587"],'
    '"target":"email:buyer@customer-0000.example"},{"note":[0,"/",1],'
    '"target":"storage:s3://drop/in"}],"duration_ms":1984,'
    '"file":{"name":"customer-0000-products-2026-12-06.xlsx",'
    '"sha256":"0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/c=","size":44192},'
    '"fire":"2026-12-06T03:00:00Z","rows":1032,"schedule":"customer-0000/report-03-products",'
    '"started":423}'
)
RUN_LINE = (  # as written now
    '{"file":["customer-0000-products-2026-12-06.xlsx",44192,'
    '"0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/c"],"fire":"2026-12-06T03:00:00Z",'
    '"id":"customer-0000/report-03-products","ms":1984,"rows":1032,"start":423,'
    '"to":[["email:buyer@customer-0000.example",["sent to ",0]],'
    '["storage:s3://drop/in",[0,"/",1]]]}'
)


def without_server(record: Record) -> Record:
    """A record as a line written now reads it back: an email's note without its mail server."""
    deliveries = tuple(
        replace(d, note=d.note.replace(" via smtp.example.com:587", "")) if d.note else d
        for d in record.deliveries
    )
    return replace(record, deliveries=deliveries)


SENT = without_server(RUN)  # a record that reads back whole from a line written now


@pytest.mark.parametrize("form", WRITTEN_BEFORE)
def test_lines_written_before_read_the_same(form: str) -> None:
    lines, records = written_before(form)
    assert len(lines) == len(records) > 50
    for number, (line, shown) in enumerate(zip(lines, records, strict=True), 1):
        record = parse_line(line, f"{form}-history-lines.jsonl:{number}")
        assert record_to_json(record) == shown
        again = encode_line(record)  # as written now: shorter, and read the same but for the
        assert len(again) < len(line)  # mail server an email went through
        assert parse_line(again, "again") == without_server(record)


def test_a_usual_run_is_written_short_and_read_back_whole() -> None:
    assert encode_line(RUN) == RUN_LINE
    assert parse_line(RUN_LINE, "x") == SENT
    assert encode_line(SENT) == RUN_LINE
    assert parse_line(SPELLED_RUN_LINE, "x") == RUN  # written before: the mail server kept


def test_started_at_the_fire_is_left_out_and_before_it_stays_an_instant() -> None:
    manual = replace(SENT, trigger="manual", started=FIRE)
    assert {"started", "start"}.isdisjoint(json.loads(encode_line(manual)))
    assert parse_line(encode_line(manual), "x") == manual
    early = replace(SENT, started=FIRE - timedelta(seconds=1))
    assert json.loads(encode_line(early))["start"] == "2026-12-06T02:59:59Z"
    assert parse_line(encode_line(early), "x") == early


def test_a_digest_that_is_not_a_lowercase_sha256_is_kept_as_it_is() -> None:
    for digest in (DIGEST.upper(), "ab" * 20, "not hex", ""):
        odd = replace(SENT, file=FileInfo("a.csv", 1, digest))
        assert json.loads(encode_line(odd))["file"] == ["a.csv", 1, digest]
        assert parse_line(encode_line(odd), "x") == odd


def test_a_note_is_referenced_only_where_it_says_the_destination_or_the_file() -> None:
    plain = Delivery("outbox:default", "succeeded", note="outbox/acme/a.csv")
    short = Delivery("sftp:sftp://u@h/in", "succeeded", note="")
    odd = replace(SENT, deliveries=(plain, short))
    entries = json.loads(encode_line(odd))["to"]
    assert [note for _, note in entries] == ["outbox/acme/a.csv", ""]
    assert parse_line(encode_line(odd), "x") == odd
    nameless = replace(SENT, file=None)  # no file: only the destination is referenced
    assert json.loads(encode_line(nameless))["to"][1] == [
        "storage:s3://drop/in",
        [0, "/customer-0000-products-2026-12-06.xlsx"],
    ]
    assert parse_line(encode_line(nameless), "x") == nameless


@pytest.mark.parametrize("note", [[1, "x"], [0, 2], [True], [0, None], [-1], [{"a": 1}]], ids=str)
def test_a_reference_that_stands_for_nothing_reads_as_no_note(note: list[object]) -> None:
    data = json.loads(SPELLED_RUN_LINE)
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
@pytest.mark.parametrize("key", ["started", "start"])
def test_a_bad_started_is_told(started: object, where: str, key: str) -> None:
    data = {**json.loads(RUN_LINE), key: started}
    with pytest.raises(StateError) as caught:
        parse_line(json.dumps(data), "state/history/2026-12-06.jsonl:4")
    if key == "start":  # the field as the line names it, too
        where = where.replace("started", "started (`start` in the line)", 1)
    assert caught.value.message.startswith(f"state/history/2026-12-06.jsonl:4: {where}")


def test_a_retry_s_generated_is_after_the_fire_and_rows_digest_in_base64() -> None:
    retry = replace(
        SENT,
        trigger="retry",
        attempt=2,
        started=FIRE + timedelta(hours=1),
        generated=FIRE,  # its first attempt began at the fire: 0, still written
        rows_sha256=DIGEST,
    )
    data = json.loads(encode_line(retry))
    assert (data["start"], data["generated"]) == (3600, 0)
    assert data["rows_sha256"] == "0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/c"
    assert parse_line(encode_line(retry), "x") == retry
    assert "generated" not in json.loads(encode_line(RUN))


def test_short_key_names_clash_with_no_long_name() -> None:
    long_names = {f.name for kind in (Record, Delivery, FileInfo) for f in fields(kind)}
    assert set(SHORT_KEYS) <= long_names
    assert long_names.isdisjoint(SHORT_KEYS.values())
    assert len(set(SHORT_KEYS.values())) == len(SHORT_KEYS)


def test_a_line_that_names_a_key_twice_reads_the_long_name() -> None:
    data = {**json.loads(RUN_LINE), "schedule": "acme/other"}  # "id" is then an unknown key
    assert parse_line(json.dumps(data), "x").schedule == "acme/other"


@pytest.mark.parametrize("padding", ["", "="], ids=["unpadded", "padded"])
def test_a_digest_in_base64_reads_with_or_without_its_padding(padding: str) -> None:
    data = json.loads(RUN_LINE)
    data["file"][2] += padding
    assert parse_line(json.dumps(data), "x") == SENT


@pytest.mark.parametrize(
    "digest",
    [
        "0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/d",
        "0qpKbOYz9oS1CTPwe8LdV2u89JaHRD/kUJkr1omAu/c==",
    ],
)
def test_base64_no_writer_spells_is_kept_as_it_is(digest: str) -> None:
    data = json.loads(RUN_LINE)  # the last character's spare bits set, or padded twice
    data["file"][2] = digest
    assert parse_line(json.dumps(data), "x").file == FileInfo(
        "customer-0000-products-2026-12-06.xlsx", 44192, digest
    )


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        pytest.param(
            "sent to a@acme.example, b@acme.example and 2 more via [::1]:2525",
            "sent to a@acme.example, b@acme.example and 2 more",
            id="recipients-ipv6",
        ),
        pytest.param(
            "sent to a@acme.example via 127.0.0.1:2525 (the email with big.csv takes 12.0 MB)",
            "sent to a@acme.example (the email with big.csv takes 12.0 MB)",
            id="with-a-note",
        ),
        pytest.param(
            "outbox/acme/daily.eml (GITCRON_SMTP_URL is not set)",
            "outbox/acme/daily.eml (GITCRON_SMTP_URL is not set)",
            id="outbox",
        ),
    ],
)
def test_an_email_note_leaves_out_only_its_mail_server(note: str, kept: str) -> None:
    sent = replace(SENT, deliveries=(Delivery("email:a@acme.example", "succeeded", note=note),))
    assert parse_line(encode_line(sent), "x").deliveries[0].note == kept


def test_another_channel_s_note_keeps_what_it_says_via() -> None:
    posted = Delivery("webhook:https://h.example/x", "succeeded", note="posted via proxy:8080")
    sent = replace(SENT, deliveries=(posted,))
    assert parse_line(encode_line(sent), "x") == sent


def test_a_delivery_that_succeeded_without_a_note_is_its_target() -> None:
    bare = replace(SENT, deliveries=(Delivery("email:a@acme.example", "succeeded"),))
    assert json.loads(encode_line(bare))["to"] == ["email:a@acme.example"]
    assert parse_line(encode_line(bare), "x") == bare


@pytest.mark.parametrize(
    ("change", "where"),
    [
        pytest.param({"file": ["a.csv", 1]}, "file: expected an object", id="file-short"),
        pytest.param({"file": ["a.csv", -1, "x"]}, "file.size: expected a whole", id="size"),
        pytest.param(
            {"to": [["email:a@b.example"]]}, "deliveries[0] (`to` in the line): expected", id="pair"
        ),
        pytest.param(
            {"to": [5]},
            "deliveries[0] (`to` in the line): expected an object, found 5",
            id="number",
        ),
        pytest.param(
            {"to": "email:a@b.example"}, "deliveries (`to` in the line): expected a list", id="to"
        ),
    ],
)
def test_a_shape_that_is_not_a_file_or_a_delivery_is_told(
    change: dict[str, object], where: str
) -> None:
    with pytest.raises(StateError) as caught:
        parse_line(json.dumps({**json.loads(RUN_LINE), **change}), "history.jsonl:3")
    assert caught.value.message.startswith(f"history.jsonl:3: {where}")
