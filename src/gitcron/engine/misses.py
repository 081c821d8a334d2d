"""Missed fires, told once per tick: one message per recipient, and one outage notice.

After an outage a tick records every fire it can no longer make up as missed. Told one record at
a time, a 3-day outage sent hundreds of messages; so the tick tells misses after its runs, one
message per recipient (an email address or a webhook) listing every miss that recipient asked to
hear about (`notify: on: [missed]`, which owners get by default), and the single-miss message
when there is only one. And when the previous tick is older than `liveness.stale_after`, the
`operators:` of gitcron.yaml get one notice saying how long ticks stopped and what was missed.
The next tick finds this one recent, so the notice goes out once. Like every notification, one
that cannot be sent is a warning of the tick, never a change to its records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from gitcron.catalog.view import ScheduleView
from gitcron.state import Record
from gitcron.state.codec import format_instant
from gitcron.timing.words import duration_words

if TYPE_CHECKING:  # what tells people (channels' errors, mail) loads when there is news
    from gitcron.engine import notify
    from gitcron.engine.run_env import RunEnv
    from gitcron.schedule import Schedule

SHOWN = 200  # misses listed one by one in a message; the rest are counted


@dataclass
class Miss:
    record: Record
    where: notify.Where
    schedule: Schedule


def tell(
    records: Iterable[Record],
    views: Iterable[ScheduleView],
    env: RunEnv,
    last_tick: datetime | None,
) -> list[str]:
    """Tell this tick's missed fires, grouped per recipient, and the operators about an outage;
    the warnings of notices that could not be sent."""
    by_id = {view.id: view for view in views}
    # in schedule and fire order: the tick's workers record in the order they finish, and the
    # messages (and their keys) must not depend on which thread was first
    missed = sorted(
        (r for r in records if r.status == "missed"), key=lambda r: (r.schedule, r.fire)
    )
    misses = _with_schedules(missed, by_id, env)
    warnings = _outage(missed, env, last_tick)
    if not misses:  # the usual tick: nobody to tell
        return warnings
    from gitcron.engine import notify

    emails: dict[str, list[Miss]] = {}
    hooks: dict[str, list[Miss]] = {}
    for miss in misses:
        who = notify.audience(miss.schedule, env.settings)
        if "missed" not in who.on:
            continue
        for address in who.emails:
            emails.setdefault(address, []).append(miss)
        if who.webhook:
            hooks.setdefault(who.webhook, []).append(miss)
    for address, mine in sorted(emails.items()):
        warnings += _email(address, mine, env)
    for url, mine in sorted(hooks.items()):
        warnings += _webhook(url, mine, env)
    return warnings


def _with_schedules(
    records: list[Record], views: Mapping[str, ScheduleView], env: RunEnv
) -> list[Miss]:
    """Each missed record with its schedule; a schedule that can no longer be read tells no one."""
    if not records:  # the usual tick: no miss, and the executor is not even imported
        return []
    from gitcron.engine import notify
    from gitcron.engine.steps import LazySchedule
    from gitcron.schedule import Schedule

    found, schedules = [], {}
    for record in records:
        view = views.get(record.schedule)
        if view is None:
            continue
        if view.id not in schedules:
            schedules[view.id] = LazySchedule(view, env).loaded
        loaded = schedules[view.id]
        if isinstance(loaded, Schedule):
            found.append(Miss(record, notify.Where(view.file, view.zone), loaded))
    return found


def _email(address: str, misses: list[Miss], env: RunEnv) -> list[str]:
    from gitcron.engine import notify

    if len(misses) == 1:
        [one] = misses
        who = notify.Audience(frozenset({"missed"}), (address,), None)
        return notify.notify(one.record, one.schedule, one.where, env, who)
    subject, text = _grouped(misses, env)
    key = _key([m.record for m in misses], address)
    failed = f"the email listing {len(misses)} missed runs was not sent to {address}"
    return _mail((address,), subject, text, key, env, ("_missed", f"missed.{key[:12]}"), failed)


def _webhook(url: str, misses: list[Miss], env: RunEnv) -> list[str]:
    from gitcron.channels.base import DeliveryError
    from gitcron.engine import notify

    if len(misses) == 1:
        [one] = misses
        who = notify.Audience(frozenset({"missed"}), (), url)
        return notify.notify(one.record, one.schedule, one.where, env, who)
    subject, text = _grouped(misses, env)
    key = _key([m.record for m in misses], url)
    event = {
        "type": "gitcron.runs.missed",
        "id": key[:32],
        "runs": [
            {
                "id": m.record.run_id,
                "schedule": m.record.schedule,
                "fire": format_instant(m.record.fire),
                "note": m.record.note,
            }
            for m in misses
        ],
        "summary": subject,
        "text": text,
    }
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    name = f"{format_instant(env.now).replace(':', '-')}.missed.{key[:12]}.json"
    try:
        notify.post(url, body, key, env, "_missed", name)
    except DeliveryError as error:
        return [f"the webhook listing {len(misses)} missed runs was not sent: {error}"]
    return []


def _grouped(misses: list[Miss], env: RunEnv) -> tuple[str, str]:
    """The subject and text of one message listing `misses` (each line redacted by its schedule)."""
    from gitcron.core.redact import Redactor
    from gitcron.engine import notify

    names = sorted({m.record.schedule for m in misses})
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    subject = f"{len(misses)} scheduled runs were missed ({shown})"
    lines = [f"{subject}.", "", "Missed:"]
    for miss in misses[:SHOWN]:
        redact = Redactor.for_config(env.env, env.settings, miss.schedule)
        when = notify.subject_of(miss.record, miss.where).removeprefix(
            f"{miss.record.schedule} was missed "
        )
        note = f": {miss.record.note}" if miss.record.note else ""
        lines.append(redact(f"  - {miss.record.schedule} {when}{note}"))
    if len(misses) > SHOWN:
        lines.append(f"  ... and {len(misses) - SHOWN} more (gitcron history --since)")
    lines += [
        "",
        "Ticks did not come in time (see the tick workflow's runs).",
        "To run one now: gitcron trigger ID (or the tick workflow's 'Run workflow' button).",
    ]
    return subject, "\n".join(lines) + "\n"


def _outage(missed: list[Record], env: RunEnv, last_tick: datetime | None) -> list[str]:
    """One notice to the operators when ticks stopped for longer than liveness.stale_after."""
    operators = env.settings.operators
    if not operators or last_tick is None:
        return []
    gap = env.now - last_tick
    if gap <= env.settings.liveness.stale_after:
        return []
    took = _span(gap)
    subject = f"gitcron: no tick for {took}; {len(missed)} fires missed"
    lines = [
        f"No tick ran from {format_instant(last_tick)} to {format_instant(env.now)} UTC ({took}); "
        f"liveness.stale_after is {duration_words(env.settings.liveness.stale_after)}.",
        "",
    ]
    per_schedule: dict[str, list[Record]] = {}
    for record in missed:
        per_schedule.setdefault(record.schedule, []).append(record)
    if per_schedule:
        lines.append(f"Missed ({len(missed)} fires of {len(per_schedule)} schedules):")
        for sid, mine in sorted(per_schedule.items())[:SHOWN]:
            fires = sorted(r.fire for r in mine)
            span = format_instant(fires[0])
            if len(fires) > 1:
                span += f" .. {format_instant(fires[-1])}"
            lines.append(f"  - {sid}: {len(fires)} ({span})")
        lines.append("")
        lines.append("Each schedule's owner (or notify:) is told about its own misses.")
    else:
        lines.append("No fire was missed: each schedule's catchup: made up what was due.")
    lines += [
        "",
        "Check why ticks stopped: a disabled workflow (Actions), an expired token or App key,",
        "or GitHub's own incidents. See docs/gitops.md, 'When a tick fails'.",
    ]

    key = _key(missed, f"outage {format_instant(last_tick)}")
    text = "\n".join(lines) + "\n"
    failed = "the outage notice was not sent to the operators"
    return _mail(tuple(operators), subject, text, key, env, ("_operators", "outage"), failed)


def _mail(
    to: tuple[str, ...],
    subject: str,
    text: str,
    key: str,
    env: RunEnv,
    outbox: tuple[str, str],
    failed: str,
) -> list[str]:
    """Send one message to people who run or own schedules; what went wrong, if anything, as
    a warning (a notice that cannot be sent never fails the tick). `outbox` is the folder and
    the name's middle part of the copy kept when there is no mail server."""
    from gitcron.channels.base import DeliveryError
    from gitcron.engine import notify

    message = notify.new_message(to, subject, text, env.settings, env.now, key)
    folder, part = outbox
    name = f"{format_instant(env.now).replace(':', '-')}.{part}.eml"
    try:
        notify.mail(message, env, folder, name)
    except DeliveryError as error:
        return [f"{failed}: {error}"]
    return []


def _span(gap: timedelta) -> str:
    """`3 days 4 hours`, `5 hours 20 minutes`: how long ticks stopped, to the unit that matters."""
    minutes = int(gap.total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    units = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    said = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in units if n]
    return " ".join(said) or "less than a minute"


def _key(records: list[Record], salt: str) -> str:
    ids = "\n".join(sorted(f"{r.run_id}#{r.attempt}" for r in records))
    return hashlib.sha256(f"{salt}\n{ids}\nmissed".encode()).hexdigest()
