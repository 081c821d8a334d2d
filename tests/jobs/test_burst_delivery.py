"""Bursting end to end: one report split by region, each part emailed through a real SMTP server
(aiosmtpd on 127.0.0.1) to its own recipients only, each part its own delivery in the record."""

from __future__ import annotations

import csv
import email
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aiosmtpd")
from channels.mailserver import Inbox, serve
from gitcron.state.line_spelling import lengthened
from support import Run, invoke

SETTINGS = """\
tick: 15m
defaults:
  timezone: UTC
  retry: { attempts: 0, backoff: 5m }
  owner: ops@ourco.example
datasets:
  sales: { file: data/sales.csv }
channels:
  email: { smtp_url_env: GITCRON_SMTP_URL, from: reports@ourco.example }
  storage: { roots: [exports] }
  retry: { attempts: 0 }
network: { allow: ["127.0.0.1"] }
"""

SCHEDULE = """\
description: Sales by region
schedule:
  daily: {{ at: "08:00" }}
{retry}report:
  dataset: sales
  format: csv
  filename: "sales-{{{{ run.local_date }}}}.csv"
  burst:
{burst}
deliver:
  - storage: {{ path: exports/acme }}
  - email: {{ subject: "Your sales" }}
"""

BY_NAME = """\
    by: region
    to:
      north: [north@acme.example]
      south: [south@acme.example]"""

DATA = """\
region,sku,qty,email
north,A1,3,north.buyer@acme.example
north,B2,5,north.buyer@acme.example
south,A1,7,south.buyer@acme.example
south,D4,2,
"""

FIRST = "2026-11-02T07:00:00Z"  # before the first fire: the schedule is seen
FIRE = "2026-11-02T08:05:00Z"
OWNER = "ops@ourco.example"


class Picky(Inbox):
    """An inbox that answers `451` to the addresses in `busy` (a mailbox that is briefly full)."""

    def __init__(self) -> None:
        super().__init__()
        self.busy: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.busy:
            return "451 4.2.1 mailbox busy, try later"
        return await super().handle_RCPT(server, session, envelope, address, options)


@dataclass
class Place:
    root: Path
    inbox: Picky
    port: int

    def write(self, burst: str = BY_NAME, data: str = DATA, retry: str = "") -> None:
        folder = self.root / "schedules" / "acme"
        folder.mkdir(parents=True, exist_ok=True)
        text = SCHEDULE.format(burst=burst, retry=retry)
        (folder / "sales.yaml").write_text(text, encoding="utf-8")
        (self.root / "data" / "sales.csv").write_text(data, encoding="utf-8")

    def gitcron(self, *args: str) -> Run:
        smtp = {"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{self.port}"}
        return invoke(["--repo", str(self.root), *args], smtp)

    def tick(self, at: str) -> Run:
        return self.gitcron("run", "--at", at)

    def history(self) -> list[dict[str, Any]]:
        """The history lines as stored, each with its status (a line leaves out "succeeded"), and
        with long key names and shapes (a line names frequent keys short)."""
        lines = []
        for path in sorted((self.root / "state" / "history").glob("*.jsonl")):
            lines += [
                {"status": "succeeded", **lengthened(json.loads(x))}
                for x in path.read_text().splitlines()
                if x.strip()
            ]
        return lines

    def mails(self) -> list[tuple[list[str], Message]]:
        """Each message the customer's people received: its envelope recipients, the message."""
        return [
            (list(e.rcpt_tos), email.message_from_bytes(e.content))
            for e in self.inbox.received
            if e.rcpt_tos != [OWNER]
        ]

    def notices(self) -> list[str]:
        """The subjects of what the schedule's owner was told."""
        found = [email.message_from_bytes(e.content) for e in self.inbox.received]
        return [str(m["Subject"]) for m in found if m["To"] == OWNER]


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Place]:
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "gitcron.yaml").write_text(SETTINGS, encoding="utf-8")
    inbox = Picky()
    with serve(inbox, auth_require_tls=False) as port:
        yield Place(root, inbox, port)


def attached_rows(message: Message) -> tuple[str, list[list[str]]]:
    """The attachment's file name and its CSV rows (without the header)."""
    [part] = [p for p in message.walk() if p.get_filename()]
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return str(part.get_filename()), rows[1:]


def deliveries(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["target"]: d for d in record["deliveries"]}


def test_two_recipients_receive_disjoint_rows_each_a_delivery_of_its_own(repo: Place) -> None:
    repo.write()
    assert repo.tick(FIRST).code == 0
    run = repo.tick(FIRE)
    assert run.code == 0, run.both

    received = {tuple(to): attached_rows(message) for to, message in repo.mails()}
    assert set(received) == {("north@acme.example",), ("south@acme.example",)}
    north_name, north = received[("north@acme.example",)]
    south_name, south = received[("south@acme.example",)]
    assert (north_name, south_name) == ("sales-2026-11-02-north.csv", "sales-2026-11-02-south.csv")
    assert {row[0] for row in north} == {"north"}
    assert {row[0] for row in south} == {"south"}
    everything = list(csv.reader(io.StringIO(DATA)))[1:]
    assert sorted(north + south) == sorted(everything)  # every row once, none to both
    assert not {tuple(r) for r in north} & {tuple(r) for r in south}
    ids = {message["Message-ID"] for _, message in repo.mails()}
    assert len(ids) == 2

    stored = sorted(p.name for p in (repo.root / "exports" / "acme").iterdir())
    assert stored == ["sales-2026-11-02-north.csv", "sales-2026-11-02-south.csv"]
    record = repo.history()[-1]
    assert record["status"] == "succeeded"
    assert record["rows"] == 4
    assert "file" not in record  # the parts are the files
    assert sorted(deliveries(record)) == [
        "email:parts#north",
        "email:parts#south",
        "storage:exports/acme#north",
        "storage:exports/acme#south",
    ]
    assert all("status" not in d for d in record["deliveries"])  # succeeded: left out (compact)


def test_a_data_address_outside_the_allowlist_is_refused_and_gets_nothing(repo: Place) -> None:
    data = DATA.replace("B2,5,north.buyer@acme.example", "B2,5,intruder@attacker.example")
    repo.write("    by: region\n    to_column: email\n    allow: [acme.example]", data)
    assert repo.tick(FIRST).code == 0
    run = repo.tick(FIRE)
    assert run.code == 1  # a partial run
    assert "✗ email:parts#north" in run.out

    sent_to = [address for to, _ in repo.mails() for address in to]
    assert "intruder@attacker.example" not in sent_to
    assert sent_to == ["south.buyer@acme.example"]  # north's part went to no one
    _, south = attached_rows(repo.mails()[0][1])
    assert {row[0] for row in south} == {"south"}

    record = repo.history()[-1]
    assert record["status"] == "partial"
    north = deliveries(record)["email:parts#north"]
    assert (north["status"], north["permanent"]) == ("failed", True)
    assert (
        "intruder@attacker.example (from the column email) is not in burst.allow"
        in (north["error"])
    )
    assert "status" not in deliveries(record)["email:parts#south"]
    assert len(repo.notices()) == 1  # the owner hears of the refused part


def test_a_retry_sends_again_only_the_part_that_failed(repo: Place) -> None:
    repo.write(retry="retry: { attempts: 2, backoff: 5m }\n")
    repo.inbox.busy = {"south@acme.example"}
    assert repo.tick(FIRST).code == 0
    repo.tick(FIRE)
    first = repo.history()[-1]
    assert first["status"] == "partial"
    assert deliveries(first)["email:parts#south"]["status"] == "failed"
    assert [to for to, _ in repo.mails()] == [["north@acme.example"]]

    repo.inbox.busy = set()
    run = repo.tick("2026-11-02T08:15:00Z")
    assert run.code == 0, run.both
    retry = repo.history()[-1]
    assert (retry["trigger"], retry["attempt"], retry["status"]) == ("retry", 2, "succeeded")
    assert [to for to, _ in repo.mails()] == [["north@acme.example"], ["south@acme.example"]]
    sent = deliveries(retry)
    assert "status" not in sent["email:parts#south"]
    assert sent["email:parts#north"]["status"] == "skipped"
    assert sent["storage:exports/acme#north"]["status"] == "skipped"
    _, south = attached_rows(repo.mails()[-1][1])
    assert {row[0] for row in south} == {"south"}


def test_more_values_than_the_cap_send_nothing(repo: Place) -> None:
    repo.write(BY_NAME + "\n    max_parts: 1")
    assert repo.tick(FIRST).code == 0
    repo.tick(FIRE)
    assert repo.mails() == []
    assert not (repo.root / "exports").exists()
    record = repo.history()[-1]
    assert (record["status"], record["permanent"]) == ("failed", True)
    assert "region has more than 1 values: nothing was sent" in record["error"]


def test_a_value_no_one_is_mapped_to_is_sent_to_no_one(repo: Place) -> None:
    repo.write(BY_NAME.split("\n      south")[0])
    assert repo.tick(FIRST).code == 0
    repo.tick(FIRE)
    assert [to for to, _ in repo.mails()] == [["north@acme.example"]]
    record = repo.history()[-1]
    south = deliveries(record)["email:parts#south"]
    assert south["status"] == "failed"
    assert "part south: no one to send it to" in south["error"]
    assert "status" not in deliveries(record)["storage:exports/acme#south"]  # kept all the same


def test_backfill_and_resend_of_a_bursting_run(repo: Place) -> None:
    repo.write()
    assert repo.tick(FIRST).code == 0
    assert repo.tick(FIRE).code == 0
    later = ("--at", "2026-11-03T10:00:00Z")
    run = repo.gitcron(
        "backfill", "acme/sales", "--from", "2026-11-02", "--until", "2026-11-02", *later
    )
    assert run.code == 0, run.both
    assert "delivered (--force sends it again)" in run.out  # its parts count for their targets
    assert len(repo.mails()) == 2

    run = repo.gitcron("resend", "acme/sales@2026-11-02T08:00:00Z", "--target", "2", *later)
    assert run.code == 0, run.both
    again = repo.mails()[2:]
    assert sorted(to for to, _ in again) == [["north@acme.example"], ["south@acme.example"]]
    record = repo.history()[-1]
    assert (record["trigger"], record["status"]) == ("resend", "succeeded")
    assert deliveries(record)["storage:exports/acme#north"]["status"] == "skipped"
    first_ids = {m["Message-ID"] for _, m in repo.mails()[:2]}
    assert not first_ids & {m["Message-ID"] for _, m in again}  # ids of their own: accepted
