"""The schedule file `gitcron new` writes: its answers (`Draft`) laid out as people write them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MODELINE = "# yaml-language-server: $schema=../../schema/schedule.schema.json"
FORMATS = {"excel": "xlsx", "xlsx": "xlsx", "csv": "csv", "pdf": "pdf", "json": "json"}


@dataclass
class Draft:
    """The answers a schedule file is written from."""

    sid: str
    when: dict[str, Any]
    timezone: str | None = None
    dataset: str = "products"
    fmt: str = "xlsx"
    emails: list[str] = field(default_factory=list)
    description: str | None = None
    customer_name: str | None = None  # from the folder's customer file
    customer_to: bool = False  # the customer file gives the email's recipients


def _q(value: Any) -> str:
    """A YAML scalar that means the same to every YAML reader (JSON strings are valid YAML)."""
    return json.dumps(value) if isinstance(value, str) else str(value).lower()


def _flow(mapping: dict[str, Any]) -> str:
    items = []
    for key, value in mapping.items():
        shown = (
            "[" + ", ".join(_q(v) for v in value) + "]" if isinstance(value, list) else _q(value)
        )
        items.append(f"{key}: {shown}")
    return "{ " + ", ".join(items) + " }"


def render(draft: Draft) -> str:
    """The file text, laid out the way people write schedules by hand."""
    customer, name = draft.sid.split("/", 1)
    ((form, spec),) = draft.when.items()
    when = _flow(spec) if isinstance(spec, dict) else _q(spec)
    lines = [MODELINE]
    who = draft.customer_name or customer
    lines.append(f"description: {_q(draft.description or f'{name} for {who}')}")
    if draft.timezone:
        lines.append(f"timezone: {draft.timezone}")
    lines += ["schedule:", f"  {form}: {when}", "report:", f"  dataset: {draft.dataset}"]
    lines.append(f"  format: {draft.fmt}")
    # the customer reads the file's name: the schedule's name and the day, never the folder's id
    filename = f"{name.replace('/', '-')}-{{{{ run.local_date }}}}.{draft.fmt}"
    lines.append(f"  filename: {_q(filename)}")
    if draft.emails:
        lines += ["deliver:", f"  - email: {{ to: [{', '.join(_q(e) for e in draft.emails)}] }}"]
    elif draft.customer_to:  # to whom the customer file says
        lines += ["deliver:", "  - email: {}"]
    else:  # a report must go somewhere: the outbox folder, until an address is added
        lines += ["deliver:", "  - outbox: {}"]
    return "\n".join(lines) + "\n"
