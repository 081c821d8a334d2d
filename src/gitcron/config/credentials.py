"""`credentials:` in gitcron.yaml: every secret a schedule may use, and where it may go.

Schedules are written by account managers and merged after review, but a reviewer cannot see
what an environment variable holds. So a schedule never names a variable on its own authority: it
names a credential that engineers declared once in gitcron.yaml, whose grant says which channel
may use it, which addresses it may be sent to and, optionally, for which customers. `validate`
checks every use against its grant (catalog/grant_checks.py) and the channel checks it again just
before it reads the secret (channels/grants.py), with the same `Grants.check`.

The older `secret_env: X` (and token_env, password_env, key_env) still works when a credential
grants the variable X; the refusal says which entry to add.

Over 250 lines on purpose: the model, the check of a use against its grant and every refusal's
wording are one rule, which validate and the channel must apply identically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator

from gitcron.config.base import Strict, about
from gitcron.config.destinations import SCHEMES, Destination, Place, parse_place
from gitcron.config.fields import (
    EnvName,
    Slug,
    bad,
    did_you_mean,
    looks_secret,
    memo,
    parse_slug,
)

Kind = Literal["webhook", "sftp", "slack", "teams", "zip"]
GUIDE = "docs/grants.md"
_TOKEN_PREFIXES = ("whsec_", "sk_", "ghp_", "github_pat_", "xox", "AKIA", "SG.")


@memo
def parse_credential_name(value: Any) -> str:
    """A credential's name as a schedule writes it; a pasted secret is said to be one."""
    text = str(value).strip()
    secretish = text.startswith(_TOKEN_PREFIXES) or any(
        looks_secret(part) for part in re.split(r"[-._]", text)
    )
    if secretish:
        raise bad(
            "this looks like a secret value, and secrets must never be written in files",
            "write the name of a credential from gitcron.yaml here, e.g. acme-hooks",
            kind="secret",
        )
    return parse_slug(text)


CredentialName = Annotated[
    str,
    BeforeValidator(parse_credential_name),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}),
]


def _place(value: str) -> str:
    try:
        parse_place(value)
    except ValueError as error:
        raise bad(
            str(error),
            "write a host name (hooks.acme.example) or an address prefix"
            ' ("https://hooks.acme.example/gitcron", "sftp://sftp.acme.example:2222/in")',
            kind="target",
        ) from None
    return value


class Credential(Strict):
    """One secret: the variable holding it, and its grant (channel, destinations, customers)."""

    env: Annotated[
        EnvName,
        about(
            "the environment variable holding the secret (a repository secret the tick passes)",
            "ACME_WEBHOOK_SECRET",
        ),
    ]
    kind: Annotated[
        Kind, Field(alias="for"), about("the channel that may use it", "webhook", "sftp")
    ]
    to: Annotated[
        list[Annotated[str, AfterValidator(_place)]],
        about(
            "where it may be sent: host names or address prefixes (none for a zip password)",
            ["https://hooks.acme.example/"],
            ["sftp.acme.example"],
        ),
    ] = []
    customers: Annotated[
        list[Slug] | None,
        about("only these customers' schedules may name it (default: any)", ["acme-corp"]),
    ] = None
    description: Annotated[
        str | None, about("what it is, for the engineers who read this", "Acme's signing key")
    ] = None

    @model_validator(mode="after")
    def _places_fit_the_channel(self) -> Credential:
        if self.kind == "zip" and self.to:
            raise bad(
                "a zip password is never sent anywhere, so it has no to:",
                "remove to: (customers: says whose schedules may use it)",
                kind="target",
            )
        if self.kind != "zip" and not self.to:
            raise bad(
                f"to: should have at least 1 item: where {_one(self.kind)} may send it",
                "list where it may be sent, e.g. to: [hooks.acme.example]",
                kind="target",
            )
        for text in self.to:
            place = parse_place(text)
            if place.scheme is not None and place.scheme not in SCHEMES[self.kind]:
                raise bad(
                    f"'{text}' is not an address {_one(self.kind)} goes to",
                    f"start it with {' or '.join(s + '://' for s in SCHEMES[self.kind])}",
                    kind="target",
                )
            if self.kind == "webhook" and place.user is not None:
                raise bad(f"'{text}' names a user", "remove the user@ part", kind="target")
        return self

    def places(self) -> list[Place]:
        return [parse_place(text) for text in self.to]


@dataclass(frozen=True, slots=True)
class Use:
    """One credential a target names: `secret: acme-hooks`, or the older `secret_env: X`."""

    key: str  # the schedule's key: secret, token, password, key, or one of them + `_env`
    name: str  # a credential's name, or (key ending in `_env`) a variable's

    @property
    def by_variable(self) -> bool:
        return self.key.endswith("_env")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a use is not granted, and the one thing to do about it (no secret in either)."""

    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Granted:
    name: str
    credential: Credential


@dataclass(frozen=True, slots=True)
class Grants:
    """gitcron.yaml's credentials, and the variables its other sections declare for themselves."""

    credentials: Mapping[str, Credential]
    reserved: Mapping[str, str]  # variable -> what it holds, e.g. the SMTP URL's setting

    def check(
        self, use: Use, kind: str, to: Destination | None, customer: str
    ) -> Granted | Refusal:
        """The credential `use` names, when its grant covers this channel, address and customer."""
        found = self.check_unaddressed(use, kind, customer, to)
        if isinstance(found, Refusal):
            return found
        credential, what = found.credential, _what(use, found.name)
        if to is None:
            return Refusal(
                f"{what} cannot be sent to this address: it names no host (or no valid port)",
                "write the whole address, e.g. https://hooks.acme.example/gitcron",
            )
        if to.path is None:
            return Refusal(
                f"{what} cannot be sent to this address: its path has '.' or '..' in it",
                "write the address without them",
            )
        if not any(place.covers(kind, to) for place in credential.places()):
            return Refusal(
                f"{what} may only be sent to {', '.join(credential.to)}, not to {to}",
                f"send it to one of those addresses, or ask an engineer to add {to} to the"
                f" credential's to: in gitcron.yaml ({GUIDE})",
            )
        return found

    def check_unaddressed(
        self, use: Use, kind: str, customer: str, to: Destination | None = None
    ) -> Granted | Refusal:
        """`check` without the address: the channel and the customer only.

        For a credential that holds its own address (a Slack or Teams webhook URL), validate can
        see no address; the channel runs `check` on the address once it has read the variable.
        `to`, when known, only goes into the entry a refusal suggests.
        """
        found = self.lookup(use, kind, to, customer)
        if isinstance(found, Refusal):
            return found
        credential, what = found.credential, _what(use, found.name)
        if credential.env in self.reserved:
            return self._reserved(credential.env, kind)
        if credential.kind != kind:
            return Refusal(
                f"{what} is granted to {credential.kind} deliveries, not to {_plural(kind)}",
                f"use a credential granted for {_plural(kind)}, or ask an engineer for one"
                f" in gitcron.yaml ({GUIDE})",
            )
        if credential.customers is not None and customer not in credential.customers:
            return Refusal(
                f"{what} is granted to {_customers(credential.customers)}, not to {customer}",
                f"use a credential granted to {customer}, or ask an engineer to add {customer}"
                f" to the credential's customers: in gitcron.yaml ({GUIDE})",
            )
        return found

    def lookup(
        self, use: Use, kind: str, to: Destination | None, customer: str
    ) -> Granted | Refusal:
        """The credential `use` names (its grant not yet checked)."""
        if not use.by_variable:
            credential = self.credentials.get(use.name)
            if credential is not None:
                return Granted(use.name, credential)
            return Refusal(
                f"there is no credential named '{use.name}' in gitcron.yaml",
                did_you_mean(use.name, self.credentials)
                or f"ask an engineer to declare it under credentials: in gitcron.yaml ({GUIDE})",
            )
        if use.name in self.reserved:
            return self._reserved(use.name, kind)
        granting = [(n, c) for n, c in self.credentials.items() if c.env == use.name]
        if len(granting) > 1:
            return Refusal(
                f"{use.name} is granted more than once in gitcron.yaml"
                f" ({', '.join(n for n, _ in granting)}), so which grant applies is unclear",
                "an engineer keeps one credential for it in gitcron.yaml",
            )
        if granting:
            return Granted(*granting[0])
        return Refusal(
            f"{use.name} is not granted in gitcron.yaml, so this {kind} cannot use it",
            "an engineer adds this entry under credentials: in gitcron.yaml"
            f" ({GUIDE}): {self.suggestion(use.name, kind, to, customer)}",
        )

    def suggestion(self, variable: str, kind: str, to: Destination | None, customer: str) -> str:
        """The one credentials entry that grants `variable` to exactly this use."""
        name = base = variable.lower().replace("_", "-").strip("-.") or "credential"
        number = 2
        while name in self.credentials:
            name, number = f"{base}-{number}", number + 1
        where = f'"{to}"' if to is not None and to.path is not None else '"<address>"'
        return f"{name}: {{ env: {variable}, for: {kind}, to: [{where}], customers: [{customer}] }}"

    def _reserved(self, variable: str, kind: str) -> Refusal:
        return Refusal(
            f"{variable} holds {self.reserved[variable]}: a schedule can never send it anywhere",
            f"this {kind} needs a secret of its own: ask an engineer to declare one under"
            f" credentials: in gitcron.yaml ({GUIDE})",
        )


def named_uses(target: object, roles: tuple[str, ...]) -> dict[str, Use]:
    """The credentials a target names, by role: `role: name`, or the older `role_env: VARIABLE`."""
    found = {}
    for role in roles:
        name, variable = getattr(target, role), getattr(target, f"{role}_env")
        if name is not None:
            found[role] = Use(role, name)
        elif variable is not None:
            found[role] = Use(f"{role}_env", variable)
    return found


def one_name_each(target: object, roles: tuple[str, ...]) -> None:
    """A role is named once: `secret:` or the older `secret_env:`, never both."""
    for role in roles:
        if getattr(target, role) is not None and getattr(target, f"{role}_env") is not None:
            raise bad(
                f"both {role} and {role}_env are given",
                f"keep only {role}: (the credential's name in gitcron.yaml)",
                kind="target",
            )


def _what(use: Use, name: str) -> str:
    if use.by_variable:
        return f"{use.name} (the credential '{name}' in gitcron.yaml)"
    return f"the credential '{name}'"


# How a kind of credential's use is named in messages: one, and many.
_USES = {
    "webhook": ("a webhook", "webhooks"),
    "sftp": ("an sftp delivery", "sftp deliveries"),
    "teams": ("a Teams delivery", "Teams deliveries"),
    "zip": ("a protected zip", "protected zips"),
}


def _one(kind: str) -> str:
    return _USES[kind][0] if kind in _USES else f"a {kind.capitalize()} delivery"


def _plural(kind: str) -> str:
    return _USES[kind][1] if kind in _USES else f"{kind.capitalize()} deliveries"


def _customers(names: list[str]) -> str:
    if not names:
        return "no customer"
    if len(names) == 1:
        return f"the customer {names[0]} only"
    return f"the customers {', '.join(names[:-1])} and {names[-1]} only"
