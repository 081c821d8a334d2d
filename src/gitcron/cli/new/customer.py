"""`gitcron new` in a customer folder: what the customer file gives, the new schedule leaves out.

A schedule inherits its timezone and its email recipients from its folder's customer file
(`config.customer.inherit`); one that repeats them would keep the old values when the customer
file changes. So `new` writes only what differs from the customer file and says what was
inherited. `--customer-name` starts a new customer folder with a customer file of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gitcron.catalog.customers import CustomerRead, customer_path, read_customer
from gitcron.config.customer import CustomerFile
from gitcron.config.problems import format_text
from gitcron.errors import GitcronError, UsageError

MODELINE = "# yaml-language-server: $schema=../../schema/customer.schema.json"


@dataclass(slots=True)
class Inherited:
    """The customer file a new schedule inherits from, and what it takes from it."""

    file: str  # schedules/<customer>/customer.yaml
    model: CustomerFile
    taken: list[str] = field(default_factory=list)  # "timezone Europe/London", ...
    text: str | None = None  # the file to write, when `new` starts the customer folder

    def said(self) -> str:
        """The line `new` prints about it."""
        if not self.taken:
            return f"it names its own timezone and recipients over {self.file}'s"
        return f"it inherits from {self.file}: {'; '.join(self.taken)}"


def customer_for(
    root: Path, customer: str, name: str | None, timezone: str | None, emails: list[str]
) -> Inherited | None:
    """The folder's customer file as read; with `name`, a new one for a folder without one
    (its timezone and recipients those given, so the schedule inherits them)."""
    found = read_customer(root, customer)
    exists = bool(found.digest) or bool(found.problems)
    if name is not None:
        if exists:
            raise UsageError(
                f"{found.file} already exists, so --customer-name cannot start it",
                f"drop --customer-name (the customer's name is written in {found.file})",
            )
        return _skeleton(root, customer, name, timezone, emails)
    if not exists:
        return None
    if found.model is None:
        raise GitcronError(_broken(found), f"fix {found.file} first (gitcron validate lists it)")
    return Inherited(found.file, found.model)


def _broken(found: CustomerRead) -> str:
    problems = "\n".join(format_text(p) for p in found.problems)
    return (
        "the customer file of this folder has errors, so no schedule can inherit from it:\n"
        + problems
    )


def _skeleton(
    root: Path, customer: str, name: str, timezone: str | None, emails: list[str]
) -> Inherited:
    data: dict[str, Any] = {"name": name}
    if timezone:
        data["timezone"] = timezone
    if emails:
        data["to"] = emails
    file = customer_path(root, customer).relative_to(root).as_posix()
    try:
        model = CustomerFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "name"
        raise UsageError(
            f"the customer file {file} would not be valid: {where}: {first['msg']}",
            "change --customer-name, --timezone or --email",
        ) from None
    return Inherited(file, model, text=skeleton_text(model))


def skeleton_text(model: CustomerFile) -> str:
    """A customer file with what is known, and the other keys as comments to fill in."""
    lines = [
        MODELINE,
        "# Who this customer is, in the words they read. Their schedules inherit what they leave"
        " out.",
        f"name: {json.dumps(model.name)}",
    ]
    if model.timezone:
        lines.append(f"timezone: {model.timezone}")
    else:
        lines.append("# timezone: Europe/London           # for schedules that name none")
    if model.to:
        lines.append(f"to: [{', '.join(json.dumps(a) for a in model.to)}]")
    else:
        lines.append("# to: [buyer@customer.example]      # for email deliveries that name no one")
    lines += [
        "# reply_to: account.manager@ourco.example  # where their replies go",
        "# sender_name: Our Co Reports        # the name their emails come from",
        "# locale: en-GB                      # how dates and numbers are written for them",
    ]
    return "\n".join(lines) + "\n"


def leave_out(
    inherited: Inherited, timezone: str | None, emails: list[str]
) -> tuple[str | None, list[str]]:
    """The timezone and recipients the schedule still has to write itself: none of those its
    customer file gives (a different value is the schedule's own, and kept)."""
    model = inherited.model
    if model.timezone is not None and timezone in (None, model.timezone):
        inherited.taken.append(f"timezone {model.timezone}")
        timezone = None
    wanted = [address.lower() for address in emails]
    given = [address.lower() for address in model.to or ()]
    if given and (not emails or sorted(wanted) == sorted(given)):
        inherited.taken.append(f"recipients {', '.join(model.to or ())}")
        emails = []
    return timezone, emails
