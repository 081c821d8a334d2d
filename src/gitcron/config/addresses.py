"""Strict email address checks: recipients come from schedule files only, parsed one by one.

email-validator is imported on the first address the plain-address fast path cannot judge:
loading the schedule model (every tick does) must not pay for it.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from gitcron.config.fields import bad, each

_NAMED = re.compile(r"^\s*([^<>@,;\"\r\n]*?)\s*<([^<>\s,;]+)>\s*$")
# Plain ASCII dot-atom addresses that email-validator accepts too: most addresses skip its cost.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN = re.compile(rf"^(?=.{{1,64}}@){_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$")


@functools.cache
def _special() -> tuple[str, ...]:
    """Top-level names email-validator refuses (example, invalid, local, ...)."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    return tuple(SPECIAL_USE_DOMAIN_NAMES)


def __getattr__(name: str) -> Any:
    """`_SPECIAL`, the names as a tuple, read lazily like everything of email-validator's."""
    if name == "_SPECIAL":
        return _special()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.lru_cache(maxsize=65536)  # the check is pure, and addresses recur across schedules
def _email_problem(text: str) -> str | None:
    """What is wrong with one written address (bare or `Name <address>`); None when nothing."""
    match = _NAMED.match(text)
    address = match[2] if match else text
    if any(c in text for c in ",;\r\n") or address.count("@") > 1:
        return "write one address per list item"
    if "@" not in address:
        return "it has no '@'"
    return _address_problem(address)


def _address_problem(address: str) -> str | None:
    if len(address) <= 254 and _PLAIN.match(address):
        tld = address.rsplit(".", 1)[1].lower()
        if tld not in _special():
            return None
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as error:
        return str(error)
    return None


def parse_email(value: Any) -> str:
    """`buyer@acme.example` or `Acme Buying <buyer@acme.example>`; exactly one address."""
    text = str(value).strip()
    problem = _email_problem(text)
    if problem:
        raise bad(
            f"'{text}' is not an email address: {problem.rstrip('.')}",
            "write it like name@example.com (or 'Name <name@example.com>'), one per line",
            kind="target",
        )
    return text


def parse_emails(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise bad("no address given", "add at least one email address", kind="target")
    return tuple(each(value, parse_email))


# The shape parse_email checks first: one '@', a dot in the domain, no spaces, commas or
# semicolons; bare or as `Name <address>`. The finer rules of addresses stay with validate.
_ADDRESS = r'[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+'
EMAIL_PATTERN = rf'^\s*(?:{_ADDRESS}|[^<>@,;"\r\n]*<{_ADDRESS}>)\s*$'
_EMAIL_SCHEMA = {
    "type": "string",
    "pattern": EMAIL_PATTERN,
    "examples": ["buyer@acme.example", "Acme Buying <buying@acme.example>"],
}
Email = Annotated[str, BeforeValidator(parse_email), WithJsonSchema(_EMAIL_SCHEMA)]
Emails = Annotated[
    tuple[str, ...],
    BeforeValidator(parse_emails),
    WithJsonSchema(
        {"anyOf": [_EMAIL_SCHEMA, {"type": "array", "items": _EMAIL_SCHEMA, "minItems": 1}]}
    ),
]
