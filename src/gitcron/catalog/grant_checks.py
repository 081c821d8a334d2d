"""Checks of credentials: each use in a schedule against its grant, and gitcron.yaml's grants.

A schedule names credentials (`secret: acme-hooks`, or the older `secret_env: X`); each is
checked with the same `Grants.check` the channel runs before sending (config/credentials.py), so
validate and the tick never disagree. gitcron.yaml itself may not grant a variable twice (the older
`*_env` form could not tell which grant applies) nor grant one of gitcron's own secrets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from gitcron.catalog.files import schedule_id
from gitcron.config.credentials import Granted, Grants, Refusal, Use
from gitcron.config.destinations import destination
from gitcron.config.problems import Loc, Problem
from gitcron.config.settings import Settings

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import (
        Delivery,
        Schedule,
        SftpTarget,
        SlackTarget,
        TeamsTarget,
        WebhookTarget,
    )

    Named = WebhookTarget | SftpTarget | SlackTarget | TeamsTarget

Found = Iterator[Problem]
SETTINGS_FILE = "gitcron.yaml"


def grant_problems(file: str, schedule: Schedule, settings: Settings, settings_ok: bool) -> Found:
    """Every credential a delivery names, checked against its grant; names in a broken
    gitcron.yaml are not judged."""
    if not settings_ok or not any(_named(d) or d.protect for d in schedule.deliver):
        return
    grants = settings.grants()
    reserved = grants.reserved
    customer = schedule_id(file).split("/", 1)[0]
    for index, delivery in enumerate(schedule.deliver):
        loc: Loc = ("deliver", index, delivery.channel)
        if delivery.protect is not None:
            for use in delivery.protect.uses().values():  # a zip's password: no address
                found = grants.check_unaddressed(use, "zip", customer)
                if isinstance(found, Refusal):
                    yield _problem(
                        file, ("deliver", index, "protect", use.key), found, use, reserved
                    )
        target = _named(delivery)
        if target is None:
            continue
        for use in target.uses().values():
            found = _check(grants, use, delivery.channel, target, customer)
            if isinstance(found, Refusal):
                yield _problem(file, (*loc, use.key), found, use, reserved)
        name = delivery.sftp.known_hosts_env if delivery.sftp is not None else None
        if name is not None and name in reserved:
            yield Problem(
                file,
                f"{name} holds {reserved[name]}: a schedule can never use it",
                (*loc, "known_hosts_env"),
                "host keys are not secret: paste the server's known_hosts line under known_hosts:",
                kind="secret",
            )


def _named(delivery: Delivery) -> Named | None:
    """The target of a delivery that names credentials (webhook, sftp, slack, teams)."""
    return delivery.webhook or delivery.sftp or delivery.slack or delivery.teams


def _check(grants: Grants, use: Use, kind: str, target: Named, customer: str) -> Granted | Refusal:
    """The grant of one use; a chat webhook's address is in its secret, so only the channel and
    the customer are checked here (the channel checks the address once it reads it)."""
    from gitcron.schedule import SlackTarget, TeamsTarget

    address = target.address() if isinstance(target, SlackTarget | TeamsTarget) else target.url
    key = (use, kind, address, customer)
    verdicts = _verdicts(grants)
    found = verdicts.get(key)
    if found is None:
        if address is None:
            found = grants.check_unaddressed(use, kind, customer)
        else:
            found = grants.check(use, kind, destination(address), customer)
        verdicts[key] = found
    return found


# The verdicts of one gitcron.yaml's grants, by (use, channel, address, customer): a customer's
# schedules name the same credentials for the same addresses, and the verdict depends on no more.
_VERDICTS: tuple[Grants | None, dict[tuple[Use, str, str | None, str], Granted | Refusal]] = (
    None,
    {},
)


def _verdicts(grants: Grants) -> dict[tuple[Use, str, str | None, str], Granted | Refusal]:
    global _VERDICTS
    if _VERDICTS[0] is not grants or len(_VERDICTS[1]) > 100_000:
        _VERDICTS = (grants, {})
    return _VERDICTS[1]


def _problem(
    file: str, loc: Loc, refusal: Refusal, use: Use, reserved: Mapping[str, str]
) -> Problem:
    kind = "secret" if use.by_variable and use.name in reserved else "target"
    return Problem(file, refusal.message, loc, refusal.hint, kind=kind)


def settings_problems(settings: Settings) -> list[Problem]:
    """gitcron.yaml's grants: no variable granted twice, none of gitcron's own secrets granted."""
    found: list[Problem] = []
    reserved = settings.reserved_variables()
    first: dict[str, str] = {}
    for name, credential in settings.credentials.items():
        loc: Loc = ("credentials", name, "env")
        variable = credential.env
        if variable in reserved:
            found.append(
                Problem(
                    SETTINGS_FILE,
                    f"{variable} holds {reserved[variable]}: it cannot be granted to schedules",
                    loc,
                    "give each receiver a secret of its own, in a variable of its own",
                    kind="secret",
                )
            )
        elif variable in first:
            found.append(
                Problem(
                    SETTINGS_FILE,
                    f"{variable} is granted twice: by '{first[variable]}' and by '{name}'",
                    loc,
                    f"keep one credential for {variable}, listing every address and customer"
                    " it may go to",
                    kind="target",
                )
            )
        first.setdefault(variable, name)
    return found
