"""Telling people about a run: failures, partial deliveries, misses (and successes if asked).

A notification goes out once a run's outcome is final: a failure that a later tick will retry
stays quiet until its last attempt, so an account manager hears once per problem, not once per
try. Who hears it is `notify:` (the schedule's, else `defaults.notify`), else the owner by email
(failures, partial deliveries and missed fires). Missed fires are told by the tick, one message
per recipient listing them (engine/misses.py).
Notifications never change a run's record: one that cannot be sent becomes a warning of the tick.

The mail modules (email.*, smtplib, ssl) are imported when a notification is written: a tick
with nothing to tell never loads them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.channels.base import DeliveryError
from gitcron.config.fields import zone
from gitcron.config.settings import Settings
from gitcron.core.redact import Redactor
from gitcron.files import display_path
from gitcron.net.guard import allowed
from gitcron.state import Record, ScheduleState
from gitcron.state.codec import format_instant

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.engine.run_env import RunEnv
    from gitcron.schedule import Schedule

if TYPE_CHECKING:
    from email.message import EmailMessage

# abandoned (a claimed run whose tick died: it may have been delivered) is told as a failure:
# someone has to find out whether the customer got the file
EVENTS = {
    "failed": "failure",
    "abandoned": "failure",
    "partial": "partial",
    "succeeded": "success",
    "missed": "missed",
}
_WHEN = "%a %d %b %Y %H:%M"


@dataclass(frozen=True, slots=True)
class Where:
    """The schedule's file and its effective timezone (its own, else `defaults.timezone`)."""

    file: str
    zone: str


@dataclass(frozen=True, slots=True)
class Audience:
    """Who hears about which outcomes of one schedule."""

    on: frozenset[str]
    emails: tuple[str, ...]
    webhook: str | None


def audience(schedule: Schedule, settings: Settings) -> Audience:
    """The schedule's `notify:`, else the defaults', else its owner on failure, partial and
    missed fires."""
    notify = schedule.notify or settings.defaults.notify
    owner = schedule.owner or settings.defaults.owner
    on = frozenset(notify.on) if notify else frozenset({"failure", "partial", "missed"})
    emails = tuple(notify.email) if notify and notify.email else ((owner,) if owner else ())
    return Audience(on, emails, notify.webhook if notify else None)


def is_final(record: Record, state: ScheduleState) -> bool:
    """No later attempt of this run is planned: its outcome is the one to tell people."""
    pending = state.pending_retry
    return pending is None or pending.run_id != record.run_id or pending.attempt != record.attempt


def wanted(record: Record, state: ScheduleState, who: Audience) -> bool:
    """Whether `record` is news for `who`: a final outcome they asked to hear about."""
    event = EVENTS.get(record.status)
    return event in who.on and bool(who.emails or who.webhook) and is_final(record, state)


def notify(
    record: Record, schedule: Schedule, where: Where, env: RunEnv, who: Audience | None = None
) -> list[str]:
    """Send the notification for `record` to its audience (or `who`); warnings for what could
    not be sent."""
    who = who or audience(schedule, env.settings)
    redact = Redactor.for_config(env.env, env.settings, schedule)
    subject, text = redact(subject_of(record, where)), redact(body_of(record, where))
    warnings = []
    senders: list[tuple[str, Callable[[], str]]] = []
    if who.emails:
        message = _message(record, who.emails, subject, text, env.settings)
        senders.append(("email", lambda: _send_email(message, record, env)))
    if who.webhook:
        url = who.webhook
        body = _event(record, subject, text)
        senders.append(("webhook", lambda: _post(url, body, record, env)))
    for channel, send_one in senders:
        try:
            send_one()
        except DeliveryError as error:
            warnings.append(
                redact(f"{record.schedule}: the {channel} notification was not sent: {error}")
            )
    return warnings


def subject_of(record: Record, where: Where) -> str:
    """`customer-001/weekly-products failed (Mon 23 Nov 2026 09:00 America/New_York)`."""
    words = {
        "failed": "failed",
        "partial": "was only partly delivered",
        "missed": "was missed",
        "abandoned": "may have been delivered, but its tick died before recording it",
    }
    what = words.get(record.status, record.status)
    return f"{record.schedule} {what} ({_local(record, where.zone)})"


def body_of(record: Record, where: Where) -> str:
    """The plain-text notification: what, when, what failed and why, and what to do next."""
    lines = [
        f"{subject_of(record, where)}.",
        "",
        f"When:  {_local(record, where.zone)} ({format_instant(record.fire)} UTC)",
        f"Run:   {record.run_id} ({record.trigger}, attempt {record.attempt})",
        f"File:  {where.file}",
    ]
    if record.error:
        lines += ["", f"Error: {record.error}"]
    failed = [d for d in record.deliveries if d.status == "failed"]
    if failed:
        lines += ["", "Deliveries that failed:"]
        lines += [f"  - {d.target}: {d.error}" for d in failed]
    arrived = [d for d in record.deliveries if d.status == "succeeded"]
    if arrived:
        lines += ["", "Deliveries that arrived:"]
        lines += [f"  - {d.target}" + (f": {d.note}" if d.note else "") for d in arrived]
    if record.note:
        lines += ["", f"Note: {record.note}"]
    lines += ["", *_next_steps(record)]
    return "\n".join(lines) + "\n"


def _next_steps(record: Record) -> list[str]:
    if record.status == "succeeded":
        return ["Nothing to do."]
    if record.status == "missed":
        why = "Ticks did not come in time (see the tick workflow's runs)."
    elif record.status == "abandoned":
        why = (
            "The tick that claimed this run died after claiming it, so the file may have reached"
            " the customer. Ask them before sending it again."
        )
    elif record.permanent or any(d.permanent for d in record.deliveries):
        why = "Retrying cannot fix this error: fix its cause first."
    else:
        why = "Every retry has been tried (retry.attempts)."
    return [
        why,
        f"To send it again: gitcron trigger {record.schedule}",
        f"(or the tick workflow's 'Run workflow' button with schedule: {record.schedule}).",
    ]


def _local(record: Record, key: str) -> str:
    return f"{record.fire.astimezone(zone(key)).strftime(_WHEN)} {key}"


def _message(
    record: Record, emails: tuple[str, ...], subject: str, text: str, settings: Settings
) -> EmailMessage:
    message = new_message(emails, subject, text, settings, record.started, _key(record))
    message["X-Gitcron-Run"] = record.run_id
    return message


def new_message(
    emails: tuple[str, ...],
    subject: str,
    text: str,
    settings: Settings,
    when: datetime,
    key: str,
) -> EmailMessage:
    """A plain-text notice from gitcron's sender; `key` makes its Message-ID."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, getaddresses

    sender = settings.notify_from[0] if settings.notify_from else settings.channels.email.sender
    domain = getaddresses([sender])[0][1].rpartition("@")[2] or "gitcron"
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = ", ".join(emails)
    message["Subject"] = " ".join(subject.split())  # one line whatever the values inside
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<notify-{key[:32]}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


def _send_email(message: EmailMessage, record: Record, env: RunEnv) -> str:
    folder = record.schedule.partition("/")[0]
    return mail(message, env, folder, f"{_stem(record)}.eml")


def mail(message: EmailMessage, env: RunEnv, folder: str, name: str) -> str:
    """Send `message` by the SMTP server, else write it to the outbox's _notifications/<folder>/
    <name>, as for deliveries; where it went."""
    env_name = env.settings.channels.email.smtp_url_env
    url = env.env.get(env_name, "").strip()
    if env.outbox is not None or not url:  # no mail server: the outbox, as for deliveries
        return to_outbox(env, folder, name, message.as_bytes())
    from gitcron.channels.email.smtp import parse_smtp_url, send

    server = parse_smtp_url(url, env_name)
    send(message, server, allowed(env.settings))
    return f"sent via {server.where}"


def _post(url: str, body: bytes, record: Record, env: RunEnv) -> str:
    folder, name = record.schedule.partition("/")[0], f"{_stem(record)}.json"
    return post(url, body, _key(record), env, folder, name)


def post(url: str, body: bytes, key: str, env: RunEnv, folder: str, name: str) -> str:
    """POST a notice's JSON to `url` (with `key` as its idempotency key), or write it to the
    outbox's _notifications/<folder>/<name>; where it went."""
    if env.outbox is not None:
        return to_outbox(env, folder, name, body)
    from gitcron.channels.webhook.channel import post_json

    return post_json(
        url, body, f"notify-{key[:32]}", secret=None, token=None, settings=env.settings,
        timeout=None,
    )  # fmt: skip


def _event(record: Record, subject: str, text: str) -> bytes:
    event = {
        "type": f"gitcron.run.{record.status}",
        "id": record.run_id,
        "schedule": record.schedule,
        "fire": format_instant(record.fire),
        "attempt": record.attempt,
        "status": record.status,
        "summary": subject,
        "text": text,
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def to_outbox(env: RunEnv, folder: str, name: str, data: bytes) -> str:
    """Write a notice to the outbox's _notifications/<folder>/<name>; its path as shown."""
    root = env.outbox or env.root / env.settings.channels.outbox.dir
    path = Path(root) / "_notifications" / folder / name
    from gitcron.channels.outbox.channel import write_atomic

    write_atomic(path, data)
    return display_path(path, env.root)


def _stem(record: Record) -> str:
    rest = record.run_id.split("/", 1)[-1].replace(":", "-")
    return f"{rest}.{record.status}.{record.attempt}"


def _key(record: Record) -> str:
    return hashlib.sha256(f"{record.run_id}\n{record.attempt}\nnotify".encode()).hexdigest()
