"""Checks of the public keys a schedule's `protect:` names: there, readable, not expiring.

The keys live in the repository (keys/), so validate reads them as a run would: a missing or
unreadable file, a private key committed by mistake, or an age line that is not a recipient is
an error at the key's line in the schedule; an OpenPGP key that expires within 30 days is a
warning (the deliveries would start failing), one already expired an error. Only `gitcron
validate` runs these (catalog/load.py): the keys change apart from the schedule files.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gitcron.channels.protect.keys import KeyFileError, age_recipients, expiring
from gitcron.config import yamlio
from gitcron.config.problems import Loc, Problem
from gitcron.schedule import Schedule


def key_problems(
    root: Path, file: str, schedule: Schedule | None, text: str, now: datetime
) -> list[Problem]:
    """Every problem of the key files `schedule` names, placed at their lines in `text`."""
    if schedule is None or not any(d.protect for d in schedule.deliver):
        return []
    found: list[Problem] = []
    for index, delivery in enumerate(schedule.deliver):
        protect = delivery.protect
        if protect is None:
            continue
        for number, rel in enumerate(protect.keys()):
            loc: Loc = ("deliver", index, "protect", protect.way, number)
            found += _one_key(root, file, rel, protect.way, now, loc)
    return yamlio.place(found, text) if text else found


def _one_key(root: Path, file: str, rel: str, way: str, now: datetime, loc: Loc) -> list[Problem]:
    try:
        if way == "age":
            age_recipients(root, rel)
            return []
        return [
            _expiry(file, rel, who, expires, now, loc) for who, expires in _soon(root, rel, now)
        ]
    except KeyFileError as error:
        return [Problem(file, error.message, loc, error.hint, kind="target")]
    except ImportError:
        return [
            Problem(
                file,
                f"{rel} was not checked: the {way} library is not installed here",
                loc,
                "install gitcron with its protect extra: pip install 'gitcron[protect]'",
                severity="warning",
                kind="target",
            )
        ]


def _soon(root: Path, rel: str, now: datetime) -> list[tuple[str, datetime]]:
    return [(e.who, e.expires) for e in expiring(root, rel, now)]


def _expiry(file: str, rel: str, who: str, expires: datetime, now: datetime, loc: Loc) -> Problem:
    day = expires.date().isoformat()
    if expires <= now:
        return Problem(
            file,
            f"the OpenPGP key in {rel} ({who}) expired on {day}: files can no longer be"
            " encrypted to it",
            loc,
            "ask the recipient for their renewed public key and replace the file",
            kind="target",
        )
    days = (expires - now).days
    return Problem(
        file,
        f"the OpenPGP key in {rel} ({who}) expires on {day}, in {days} day{'s' * (days != 1)}:"
        " deliveries to it will fail from then on",
        loc,
        "ask the recipient to extend or renew their key, and replace the file with the new one",
        severity="warning",
        kind="target",
    )
