"""The `email:` channel: one deterministic message per (run, target), sent over SMTP.

The message itself (`message`) is what the outbox writes too; this module sends it.
"""

from __future__ import annotations

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.message import build_message, recipients
from gitcron.channels.email.smtp import parse_smtp_url, send
from gitcron.channels.email.target import EmailTarget
from gitcron.net.guard import allowed


class EmailChannel:
    """Sends with the SMTP URL named by `channels.email.smtp_url_env`."""

    def deliver(self, target: EmailTarget, ctx: DeliveryContext) -> str | None:
        env_name = ctx.settings.channels.email.smtp_url_env
        url = ctx.env.get(env_name, "")
        if not url.strip():
            raise DeliveryError(
                f"{env_name} is not set, so there is no mail server to send through",
                f"set {env_name} to smtp://user:password@host:587, or run with --outbox DIR",
                permanent=True,
            )
        server = parse_smtp_url(url, env_name)
        send(build_message(target, ctx), server, allowed(ctx.settings))
        return f"sent to {recipients(target)} via {server.where}"
