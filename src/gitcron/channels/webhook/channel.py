"""The `webhook:` channel: one signed HTTP POST per call, classified for the registry's retries.

The body (`body`), its signature (`signing`), the guarded request (`send`) and what the answer
means (`answer`) each have their module; this one reads the target and the secrets it names, each
only once its grant in gitcron.yaml covers the address as the request will be sent to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.grants import granted_variable, named_by
from gitcron.channels.webhook.body import payload
from gitcron.channels.webhook.send import Wire, parse_url, post
from gitcron.channels.webhook.signing import Outgoing
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.credentials import Use
from gitcron.config.destinations import Destination
from gitcron.config.settings import Settings


class WebhookChannel:
    """`webhook: {url, secret, token, timeout}`: events as JSON, reports as multipart."""

    def __init__(self, wire: Wire | None = None) -> None:
        self.wire = wire or Wire()

    def deliver(self, target: WebhookTarget, ctx: DeliveryContext) -> str | None:
        url = parse_url(target.url)
        to = Destination.of(
            url.scheme, url.raw_host.decode("ascii"), url.port, url.raw_path.decode("ascii")
        )
        uses = target.uses()
        secret = _secret(uses.get("secret"), to, ctx)
        token = _secret(uses.get("token"), to, ctx)
        body, content_type = payload(ctx)
        outgoing = Outgoing(target.url, body, content_type, ctx.run.delivery_id, secret, token)
        return post(outgoing, ctx.settings, target.timeout, self.wire)


def post_json(
    url: str,
    body: bytes,
    message_id: str,
    *,
    secret: str | None,
    token: str | None,
    settings: Settings,
    timeout: timedelta | None,
    wire: Wire | None = None,
) -> str:
    """POST a JSON body once (signed, guarded, classified like a delivery), for notifications."""
    outgoing = Outgoing(url, body, "application/json", message_id, secret, token)
    return post(outgoing, settings, timeout, wire or Wire())


def _secret(use: Use | None, to: Destination, ctx: DeliveryContext) -> str | None:
    """The value of the credential `use` names, once its grant covers `to`."""
    if use is None:
        return None
    return from_env(granted_variable(use, "webhook", to, ctx), ctx.env, named_by(use))


def from_env(name: str | None, env: Mapping[str, str], key: str) -> str | None:
    """The value of the variable a `*_env` key names; a missing one is a permanent error."""
    if name is None:
        return None
    value = env.get(name, "").strip()
    if not value:
        raise DeliveryError(
            f"{name} is not set, so the webhook cannot be sent ({key} names it)",
            f"set {name} in the environment (a repository secret in the tick workflow)",
            permanent=True,
        )
    return value
