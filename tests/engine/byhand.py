"""A small repository for the by-hand commands (resend, backfill), with real receivers.

One customer's daily CSV from a committed data file (so a test can change the data), kept in a
storage folder, emailed through a real SMTP server and posted to a real webhook receiver, both
on 127.0.0.1. Every command goes through the real entry point (`support.invoke`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from channels.mailserver import Inbox
from channels.mailserver import serve as serve_mail
from channels.webserver import Receiver
from channels.webserver import serve as serve_hooks
from gitcron.state.history import parse_line
from gitcron.state.records import record_to_json
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
        """Every history line, whole: the fields a line leaves out at their defaults filled in."""
        lines = []
        for path in sorted((self.root / "state" / "history").glob("*.jsonl")):
            for line in path.read_text().splitlines():
                if line.strip():
                    lines.append(record_to_json(parse_line(line, path.name)))
        return lines

    def mails(self) -> list[bytes]:
        """The deliveries received (notices of missed fires, owners get them by default, left out)."""
        mails = [bytes(e.content) for e in self.inbox.received]
        return [m for m in mails if b"Message-ID: <notify-" not in m]


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
