"""The `email:` channel: one deterministic message per (run, target), sent over SMTP.

Without a mail server (the variable `channels.email.smtp_url_env` names is unset) the message is
written to the outbox folder instead, so a repository works before anyone configures SMTP.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.message import recipients
from gitcron.channels.email.size import sized_message
from gitcron.channels.email.smtp import parse_smtp_url, send
from gitcron.channels.email.target import EmailTarget
from gitcron.channels.outbox import channel as outbox
from gitcron.net.guard import allowed


class EmailChannel:
    """Sends with the SMTP URL named by `channels.email.smtp_url_env`."""

    def offline(self, target: EmailTarget, ctx: DeliveryContext) -> str | None:
        """With no SMTP URL set, the message goes to the settings' outbox folder (not retried)."""
        env_name = ctx.settings.channels.email.smtp_url_env
        if ctx.env.get(env_name, "").strip():
            return None
        folder = ctx.root / Path(ctx.settings.channels.outbox.dir)
        return f"{outbox.write('email', target, ctx, folder)} ({env_name} is not set)"

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
        notes: list[str] = []
        send(lambda size: _sized(target, ctx, size, notes), server, allowed(ctx.settings))
        note = f" ({notes[0]})" if notes and notes[0] else ""
        return f"sent to {recipients(target)} via {server.where}{note}"


def _sized(target: EmailTarget, ctx: DeliveryContext, size: int, notes: list[str]) -> EmailMessage:
    """The message within the server's SIZE (channels/email/size.py); its note kept in `notes`."""
    sized = sized_message(target, ctx, size)
    notes.append(sized.note)
    return sized.message
