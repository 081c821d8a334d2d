"""The grant checked again at send time, just before a channel reads a secret.

`validate` has checked every use against gitcron.yaml, but a target can reach a channel without
it (a plugin, a repository whose gitcron.yaml changed, a model built in code). So the channel
asks `Grants.check` once more, with the address it is about to connect to as it parsed it, and
reads the variable only when the grant covers it; a refusal is permanent and nothing connects.
"""

from __future__ import annotations

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.config.credentials import Refusal, Use
from gitcron.config.destinations import Destination


def granted_variable(
    use: Use | None, kind: str, to: Destination, ctx: DeliveryContext
) -> str | None:
    """The variable holding the credential `use` names, if its grant covers `to` for this run's
    customer; a refusal is a permanent DeliveryError (names only, never a value)."""
    if use is None:
        return None
    found = ctx.settings.grants().check(use, kind, to, ctx.run.customer)
    if isinstance(found, Refusal):
        raise DeliveryError(f"{found.message}; nothing was sent", found.hint, permanent=True)
    return found.credential.env


def named_by(use: Use) -> str:
    """How a message names where a variable came from: `secret_env`, or the credential."""
    return use.key if use.by_variable else f"the credential '{use.name}'"


def refuse_reserved(variable: str | None, key: str, kind: str, ctx: DeliveryContext) -> None:
    """A variable a schedule names for something public (known_hosts_env) is never one of
    gitcron's own secrets (the SMTP URL, the storage keys...): refused before it is read."""
    if variable is None:
        return
    holds = ctx.settings.grants().reserved.get(variable)
    if holds is not None:
        raise DeliveryError(
            f"{variable} ({key}) holds {holds}: a schedule can never use it; nothing was sent",
            f"put what this {kind} needs in a variable of its own",
            permanent=True,
        )
