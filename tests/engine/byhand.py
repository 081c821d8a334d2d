"""A small repository for the by-hand commands (resend, backfill), with real receivers.

One customer's daily CSV from a committed data file (so a test can change the data), kept in a
storage folder, emailed through a real SMTP server and posted to a real webhook receiver, both
on 127.0.0.1. Every command goes through the real entry point (`support.invoke`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from channels.mailserver import Inbox
from channels.mailserver import serve as serve_mail
from channels.webserver import Receiver
from channels.webserver import serve as serve_hooks
from gitcron.state import format_instant, iter_records
from support import Run, invoke

SECRET = "whsec_" + "a2tra2tra2tra2tra2tra2tra2tra2tr"  # base64 of 24 bytes: a test signing key

SETTINGS = """\
tick: 15m
defaults:
  timezone: UTC
  retry: { attempts: 0, backoff: 5m }
  owner: ops@ourco.example
datasets:
  prices: { file: data/prices.csv }
channels:
  email: { smtp_url_env: GITCRON_SMTP_URL, from: reports@ourco.example }
  webhook: { allow_private: ["127.0.0.1"] }
  storage: { roots: [exports] }
  retry: { attempts: 0 }
network: { allow: ["127.0.0.1"] }
credentials:
  hooks: { env: HOOK_SECRET, for: webhook, to: ["127.0.0.1"] }
"""

SCHEDULE = """\
description: Daily prices for Acme
schedule:
  {timing}
report:
  dataset: prices
  format: csv
  filename: "acme-{{{{ run.local_date }}}}.csv"
deliver:
{deliver}
"""

STORE = "  - storage: { path: exports/acme }\n"
MAIL = "  - email: { to: [buyer@acme.example] }\n"


def hook(port: int) -> str:
    return f'  - webhook: {{ url: "http://127.0.0.1:{port}/hooks", secret: hooks }}\n'


@dataclass
class Place:
    """The repository and its receivers."""

    root: Path
    inbox: Inbox
    hooks: Receiver
    smtp_port: int
    hook_port: int
    env: dict[str, str | None] = field(default_factory=dict)  # more variables for gitcron

    def write(self, deliver: str, timing: str = 'daily: { at: "08:00" }') -> None:
        folder = self.root / "schedules" / "acme"
        folder.mkdir(parents=True, exist_ok=True)
        text = SCHEDULE.format(timing=timing, deliver=deliver)
        (folder / "daily.yaml").write_text(text, encoding="utf-8")

    def data(self, rows: str) -> None:
        (self.root / "data" / "prices.csv").write_text("sku,price\n" + rows, encoding="utf-8")

    def gitcron(self, *args: str) -> Run:
        env: dict[str, str | None] = {
            "GITCRON_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "HOOK_SECRET": SECRET,
            **self.env,
        }
        return invoke(["--repo", str(self.root), *args], env)

    def history(self) -> list[dict[str, Any]]:
        """Every record, read as gitcron reads history (lines may leave defaults out)."""
        return [
            {
                "trigger": r.trigger,
                "attempt": r.attempt,
                "status": r.status,
                "fire": format_instant(r.fire),
                "file": None if r.file is None else {"name": r.file.name, "sha256": r.file.sha256},
                "deliveries": [
                    {"target": d.target, "status": d.status, "note": d.note} for d in r.deliveries
                ],
            }
            for r in iter_records(self.root)
        ]

    def course(self) -> dict[str, Any]:
        """The schedule's course in state: what a re-send or a backfill must never move."""
        text = (self.root / "state" / "schedules" / "acme.json").read_text(encoding="utf-8")
        state = json.loads(text)["schedules"]["daily"]
        keys = ("last_fire", "next_fire", "runs", "manual_runs", "succeeded", "failed")
        return {key: state.get(key) for key in (*keys, "pending_retry", "status", "anchor")}

    def mails(self) -> list[bytes]:
        """What the customer received (notifications to the owner are not counted)."""
        return [bytes(e.content) for e in self.inbox.received if "buyer@acme.example" in e.rcpt_tos]


@contextmanager
def place(tmp: Path) -> Iterator[Place]:
    root = tmp / "repo"
    (root / "data").mkdir(parents=True)
    (root / "gitcron.yaml").write_text(SETTINGS, encoding="utf-8")
    inbox, receiver = Inbox(), Receiver(secret=SECRET)
    with serve_mail(inbox, auth_require_tls=False) as smtp, serve_hooks(receiver) as http:
        where = Place(root, inbox, receiver, smtp, http)
        where.data("A1,10\nB2,12\n")
        yield where
