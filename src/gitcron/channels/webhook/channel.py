"""The `webhook:` channel: one signed HTTP POST per call, classified for the registry's retries.

The body (`body`), its signature (`signing`), the guarded request (`send`) and what the answer
means (`answer`) each have their module; this one reads the target and the secrets it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.webhook.body import payload
from gitcron.channels.webhook.send import Wire, post
from gitcron.channels.webhook.signing import Outgoing
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.settings import Settings


class WebhookChannel:
    """`webhook: {url, secret_env, token_env, timeout}`: events as JSON, reports as multipart."""

    def __init__(self, wire: Wire | None = None) -> None:
        self.wire = wire or Wire()

    def deliver(self, target: WebhookTarget, ctx: DeliveryContext) -> str | None:
        secret = from_env(target.secret_env, ctx.env, "secret_env")
        token = from_env(target.token_env, ctx.env, "token_env")
        body, content_type = payload(ctx)
        outgoing = Outgoing(target.url, body, content_type, ctx.run.run_id, secret, token)
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
