"""Channel names → channels, and `deliver`, the one call the executor makes per delivery.

Built-ins live in a dict; third-party channels come from the `gitcron.channels` entry-point group,
read only when a name is not built in, so a tick that only emails imports no plugin. A built-in
channel's module (smtplib and ssl, the HTTP client, SFTP, S3) is imported when a delivery first
needs it: a tick with nothing due imports none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from importlib.metadata import EntryPoint, entry_points  # pydantic loads it anyway

from gitcron.channels.base import Channel, DeliveryContext, DeliveryError, Offline, Routed
from gitcron.channels.retrying import with_retries

ENTRY_POINT_GROUP = "gitcron.channels"


def _email() -> Channel:
    from gitcron.channels.email.channel import EmailChannel

    return EmailChannel()


def _outbox() -> Channel:
    from gitcron.channels.outbox.channel import OutboxChannel

    return OutboxChannel()


def _webhook() -> Channel:
    from gitcron.channels.webhook.channel import WebhookChannel

    return WebhookChannel()


def _sftp() -> Channel:
    from gitcron.channels.sftp.channel import SftpChannel

    return SftpChannel()


def _storage() -> Channel:
    from gitcron.channels.storage.channel import StorageChannel

    return StorageChannel()


def _slack() -> Channel:
    from gitcron.channels.slack.channel import SlackChannel

    return SlackChannel()


def _teams() -> Channel:
    from gitcron.channels.teams.channel import TeamsChannel

    return TeamsChannel()


BUILTIN: dict[str, Callable[[], Channel]] = {
    "email": _email,
    "outbox": _outbox,
    "webhook": _webhook,
    "sftp": _sftp,
    "storage": _storage,
    "slack": _slack,
    "teams": _teams,
}


def deliver(delivery: Routed, ctx: DeliveryContext) -> str | None:
    """Deliver ctx.artifact to one `deliver:` item; a short note of where it went.

    A delivery with `protect:` hands the channel its file sealed (channels/protect/seal.py).
    With ctx.outbox set (`--outbox DIR`, dry runs) everything is written there instead; a channel
    with an `offline` hook may deliver locally instead of sending (email without a mail server
    writes to the outbox), once. Transient errors are tried again within `channels.retry`.
    Raises DeliveryError only.
    """
    name = delivery.channel
    target = getattr(delivery, name)
    protect = getattr(delivery, "protect", None)
    if protect is not None:  # every channel, and the outbox, gets the sealed file
        from gitcron.channels.protect.seal import sealed

        ctx = replace(ctx, artifact=sealed(protect, ctx))
    if ctx.outbox is not None:
        from gitcron.channels.outbox import channel as outbox

        return outbox.write(name, target, ctx, ctx.root / ctx.outbox)
    channel = channel_for(name)
    if isinstance(channel, Offline):
        note = channel.offline(target, ctx)
        if note is not None:
            return note
    note, tries = with_retries(lambda: channel.deliver(target, ctx), ctx)
    if tries > 1:
        return f"{note or 'delivered'} (on try {tries})"
    return note


def channel_for(name: str) -> Channel:
    """The channel registered as `name`: built in, or from a plugin."""
    if name in BUILTIN:
        return BUILTIN[name]()
    point = plugins().get(name)
    if point is None:
        known = ", ".join(sorted([*BUILTIN, *plugins()]))
        raise DeliveryError(
            f"there is no channel named '{name}'",
            f"use one of {known}, or install the plugin that provides it",
            permanent=True,
        )
    return _load(point)


@functools.cache
def plugins() -> dict[str, EntryPoint]:
    """The installed `gitcron.channels` entry points by name (not imported yet)."""
    found: dict[str, EntryPoint] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        clash = found.get(point.name)
        if clash is not None or point.name in BUILTIN:
            owner = clash.value if clash is not None else "gitcron itself"
            raise DeliveryError(
                f"two channels are named '{point.name}': {point.value} and {owner}",
                "uninstall one of the plugins, or ask its author to rename the channel",
                permanent=True,
            )
        found[point.name] = point
    return found


def _load(point: EntryPoint) -> Channel:
    try:
        factory = point.load()
        channel = factory()
    except Exception as error:
        raise DeliveryError(
            f"the channel plugin '{point.name}' ({point.value}) cannot be loaded: {error}",
            "reinstall or upgrade the plugin",
            permanent=True,
        ) from error
    if not callable(getattr(channel, "deliver", None)):
        raise DeliveryError(
            f"the channel plugin '{point.name}' ({point.value}) has no deliver(target, ctx)",
            "ask the plugin's author to implement gitcron.channels.base.Channel",
            permanent=True,
        )
    return channel  # type: ignore[no-any-return]
