"""The outbox: what lands in it, under which names, and that a replay overwrites its own file."""

from __future__ import annotations

import json
from dataclasses import replace
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from channels.helpers import CSV, FILE_NAME, MakeCtx, delivery
from gitcron.channels.base import DeliveryError
from gitcron.channels.registry import deliver
from gitcron.jobs.base import Artifact

STEM = "weekly-products@2026-11-23T14-00-00Z"  # the run id without customer, ':' made safe


def parse(path: Path) -> EmailMessage:
    message = BytesParser(policy=default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


EMAIL = {
    "email": {
        "to": ["Buyer <buyer@acme.example>"],
        "cc": ["boss@acme.example"],
        "bcc": ["audit@ourco.example"],
        "subject": "Products for {{ run.local_date }} ({{ labels.team }})",
    }
}


def test_email_to_outbox_is_the_full_message(
    make_ctx: MakeCtx, root: Path, artifact: Artifact
) -> None:
    ctx = make_ctx(outbox=Path("out"), art=replace(artifact, interval=True))
    note = deliver(delivery(**EMAIL), ctx)

    assert note is not None
    assert note.startswith(f"out/customer-001/{STEM}.")
    assert note.endswith(".eml")
    message = parse(root / note)
    assert message["From"] == "Reports <reports@ourco.example>"
    assert message["To"] == "Buyer <buyer@acme.example>"
    assert message["Cc"] == "boss@acme.example"
    assert message["Bcc"] == "audit@ourco.example"  # kept in the copy; smtplib drops it on the wire
    assert message["Subject"] == "Products for 2026-11-23 (americas)"
    # no clock outside a tick: the fire stands in, in the customer's zone (test_email has the clock)
    assert message["Date"] == "Mon, 23 Nov 2026 09:00:00 -0500"
    assert message["X-Gitcron-Run"] == "customer-001/weekly-products@2026-11-23T14:00:00Z"
    assert message["Message-ID"].endswith("@ourco.example>")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert FILE_NAME in text
    assert "(3 rows)" in text
    assert "covering 2026-11-16 09:00 to 2026-11-23 09:00 (America/New_York)" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == FILE_NAME
    assert attachment.get_content_type() == "text/csv"
    assert attachment.get_payload(decode=True) == CSV


def test_email_replay_writes_the_same_bytes_to_the_same_file(make_ctx: MakeCtx, root: Path) -> None:
    ctx = make_ctx(outbox=root / "out")
    first = deliver(delivery(**EMAIL), ctx)
    written = (root / str(first)).read_bytes()
    second = deliver(delivery(**EMAIL), make_ctx(outbox=root / "out"))

    assert second == first
    assert (root / str(second)).read_bytes() == written
    assert files(root / "out") == [str(first).removeprefix("out/")]  # no temp files left behind


def test_each_email_target_gets_its_own_file_and_message_id(make_ctx: MakeCtx, root: Path) -> None:
    ctx = make_ctx(outbox=Path("out"))
    one = deliver(delivery(email={"to": ["a@acme.example"]}), ctx)
    two = deliver(delivery(email={"to": ["b@acme.example"]}), ctx)

    assert one != two
    assert parse(root / str(one))["Message-ID"] != parse(root / str(two))["Message-ID"]


def test_a_file_is_written_under_its_own_name(make_ctx: MakeCtx, root: Path) -> None:
    target = delivery(storage={"url": "s3://acme-exports/products/"})
    note = deliver(target, make_ctx(outbox=Path("out")))

    assert note == f"out/customer-001/{FILE_NAME}"
    assert (root / note).read_bytes() == CSV


def test_an_event_is_written_as_its_json_body(make_ctx: MakeCtx, root: Path) -> None:
    body = json.dumps({"type": "report.daily", "run": "customer-001/x"}).encode()
    event = Artifact(name="event.json", content_type="application/json", body=body)
    target = delivery(webhook={"url": "https://hooks.acme.example/x", "secret_env": "ACME_SECRET"})
    ctx = make_ctx(art=event, outbox=Path("out"), env={"ACME_SECRET": "s3cr3t"})
    note = deliver(target, ctx)

    assert note == f"out/customer-001/{STEM}.json"
    assert (root / note).read_bytes() == body
    assert b"s3cr3t" not in (root / note).read_bytes()


def test_absolute_outbox_outside_the_repo_is_shown_absolute(
    make_ctx: MakeCtx, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    note = deliver(delivery(outbox={}), make_ctx(outbox=elsewhere))

    assert note == str(elsewhere / "customer-001" / FILE_NAME)


# --- routing --------------------------------------------------------------------------------------


def test_email_without_smtp_url_goes_to_the_settings_outbox(make_ctx: MakeCtx, root: Path) -> None:
    note = deliver(delivery(**EMAIL), make_ctx(env={"OTHER": "x"}))

    assert note is not None
    path, _, reason = note.partition(" ")
    assert path.startswith(f"outbox/customer-001/{STEM}.")
    assert reason == "(GITCRON_SMTP_URL is not set)"
    assert parse(root / path)["To"] == "Buyer <buyer@acme.example>"


def test_outbox_channel_writes_to_its_folder(make_ctx: MakeCtx, root: Path) -> None:
    assert deliver(delivery(outbox={}), make_ctx()) == f"outbox/customer-001/{FILE_NAME}"
    assert deliver(delivery(outbox={"dir": "drop"}), make_ctx()) == f"drop/customer-001/{FILE_NAME}"
    assert (root / "drop" / "customer-001" / FILE_NAME).read_bytes() == CSV


def test_outbox_channel_refuses_a_folder_outside_the_repo(make_ctx: MakeCtx) -> None:
    with pytest.raises(DeliveryError, match="outside the repository") as caught:
        deliver(delivery(outbox={"dir": "../escape"}), make_ctx())
    assert caught.value.permanent
