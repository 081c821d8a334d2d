"""The grant checked again at send time, just before a channel reads a secret.

`validate` has checked every use against gitcron.yaml, but a target can reach a channel without
it (a plugin, a repository whose gitcron.yaml changed, a model built in code). So the channel
asks `Grants.check` once more, with the address it is about to connect to as it parsed it, and
reads the variable only when the grant covers it; a refusal is permanent and nothing connects.

A Slack or Teams webhook URL is itself the secret: its address is only known once the variable is
read, so `granted_url` checks the channel and the customer first, reads the URL, then checks the
grant on it, and no refusal ever shows more of it than its scheme and host.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

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


def granted_url(use: Use, kind: str, ctx: DeliveryContext) -> str:
    """The URL the credential `use` names holds (a chat webhook), once its grant covers it."""
    grants, customer = ctx.settings.grants(), ctx.run.customer
    found = grants.check_unaddressed(use, kind, customer)
    if isinstance(found, Refusal):
        raise DeliveryError(f"{found.message}; nothing was sent", found.hint, permanent=True)
    url = variable_value(found.credential.env, ctx.env, named_by(use), f"{kind} message")
    try:
        parts = urlsplit(url)
        to = Destination.of(parts.scheme, parts.hostname or "", parts.port, parts.path)
    except ValueError:
        to = None
    if to is None or not to.host:
        raise DeliveryError(
            f"{found.credential.env} does not hold a URL, so the {kind} message cannot be sent"
            f" ({named_by(use)} names it)",
            f"set {found.credential.env} to the whole webhook URL the service gave",
            permanent=True,
        )
    checked = grants.check(use, kind, to, customer)
    if isinstance(checked, Refusal):
        origin = str(to).split("/", 3)
        shown = f"{origin[0]}//{origin[2]}/… (the address {found.credential.env} holds)"
        raise DeliveryError(
            f"{checked.message.replace(str(to), shown)}; nothing was sent",
            checked.hint.replace(str(to), shown),
            permanent=True,
        )
    return url


def variable_value(name: str, env: Mapping[str, str], key: str, what: str) -> str:
    """The value of a granted credential's variable; an unset one is a permanent error."""
    value = env.get(name, "").strip()
    if not value:
        raise DeliveryError(
            f"{name} is not set, so the {what} cannot be sent ({key} names it)",
            f"set {name} in the environment (a repository secret in the tick workflow)",
            permanent=True,
        )
    return value
