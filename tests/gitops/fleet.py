"""Many ticks on many clones of one origin, delivering to a real SMTP server on 127.0.0.1.

The seed repo has schedules that fire every 15 minutes and every hour, so ticks at different
instants disagree about which fires run and which are missed. Every email's subject is its run
id, so the receiver counts what each fire really delivered. Clones are made as actions/checkout
makes them (`gitrepo.shallow`).

Import it only after `pytest.importorskip("aiosmtpd")`.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

from channels.mailserver import Inbox, serve
from gitcron.state import Record, iter_records
from gitcron.state.records import winning
from gitops.gitrepo import command, env, seed_origin

SETTINGS = """\
tick: 15m
defaults: { timezone: UTC, catchup: latest, max_delay: 6h, owner: ops@ourco.example }
datasets:
  products:
    sample: products
    params: { customer: { description: the customer } }
channels:
  email: { smtp_url_env: GITCRON_SMTP_URL, from: Reports <reports@ourco.example> }
  outbox: { dir: outbox }
network: { allow: ["127.0.0.1"] }
"""

SCHEDULE = """\
description: {name} for {customer}
owner: ops@ourco.example
schedule:
  {when}
report:
  dataset: products
  params: {{ customer: {customer} }}
  format: csv
  filename: "{customer}-{name}-{{{{ run.local_date }}}}-{{{{ run.local_time }}}}.csv"
deliver:
  - email: {{ to: [{customer}@example.com], subject: "{{{{ run.id }}}}" }}
"""

FORMS = {"quarter": "every: 15m", "hourly": 'cron: "0 * * * *"'}
CUSTOMERS = ("c1", "c2", "c3", "c4")
RAN = ("succeeded", "partial", "failed")


def seed(tmp: Path, first_tick: str) -> Path:
    """A bare origin with 4 customers x 2 fast schedules, after its first tick."""
    root = tmp / "seed"
    root.mkdir(parents=True)
    (root / "gitcron.yaml").write_text(SETTINGS)
    (root / ".gitignore").write_text(".gitcron-cache/\noutbox/\n")
    (root / ".gitattributes").write_text("state/history/*.jsonl merge=union\n")
    for customer in CUSTOMERS:
        folder = root / "schedules" / customer
        folder.mkdir(parents=True)
        for name, when in FORMS.items():
            text = SCHEDULE.format(name=name, customer=customer, when=when)
            (folder / f"{name}.yaml").write_text(text)
    return seed_origin(tmp, root, first_tick)


@dataclass
class Receiver:
    """The SMTP server every tick delivers to, and what it has received."""

    inbox: Inbox
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def delivered(self) -> Counter[str]:
        """How many emails arrived per run id (notifications to owners are not counted)."""
        found: Counter[str] = Counter()
        for envelope in self.inbox.received:
            message = BytesParser(policy=default).parsebytes(envelope.content)
            subject = str(message["Subject"])
            if "@" in subject and " " not in subject:
                found[subject] += 1
        return found


@contextmanager
def receiver() -> Iterator[Receiver]:
    inbox = Inbox()
    with serve(inbox, auth_require_tls=False) as port:
        yield Receiver(inbox, port)


def tick_env(root: Path, smtp: Receiver, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**env(root), "GITCRON_SMTP_URL": smtp.url, **(extra or {})}


def start(
    root: Path, smtp: Receiver, *args: str, extra: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(root, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=tick_env(root, smtp, extra),
    )


def gitcron(
    root: Path, smtp: Receiver, *args: str, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(root, *args),
        capture_output=True,
        text=True,
        env=tick_env(root, smtp, extra),
        timeout=300,
    )


def history(root: Path) -> list[Record]:
    return list(iter_records(root))


def ran_lines(found: list[Record]) -> Counter[tuple[str, int]]:
    """How many history lines say each (run id, attempt) ran."""
    return Counter((r.run_id, r.attempt) for r in found if r.status in RAN)


def standing(found: list[Record]) -> dict[str, str]:
    """Each first attempt's winning status, by run id."""
    return {key[0]: r.status for key, r in winning(found).items() if key[1] == 1}
