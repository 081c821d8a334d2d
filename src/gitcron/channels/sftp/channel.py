"""`sftp:` deliveries: one upload per call, to a server whose host key the config pins.

The URL (`address`), the host and login keys (`keys`), the guarded connection (`connection`) and
the upload itself (`upload`) each have their module; this one runs them in order, so every
problem with the configuration is found before anything connects.
"""

from __future__ import annotations

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.sftp.address import parse_url
from gitcron.channels.sftp.connection import session
from gitcron.channels.sftp.keys import credentials, host_keys
from gitcron.channels.sftp.target import SftpTarget
from gitcron.channels.sftp.upload import upload
from gitcron.net.guard import allowed


class SftpChannel:
    """`sftp: {url, password_env | key_env, known_hosts | known_hosts_env}`."""

    def deliver(self, target: SftpTarget, ctx: DeliveryContext) -> str | None:
        _require_paramiko()
        place = parse_url(target.url)
        keys = host_keys(target, place, ctx.env)
        login = credentials(target, ctx.env)
        with session(place, keys, login, allowed(ctx.settings)) as sftp:
            return upload(sftp, place, ctx.artifact, ctx.run.run_id)


def _require_paramiko() -> None:
    try:
        import paramiko  # noqa: F401
    except ImportError:
        raise DeliveryError(
            "the sftp channel needs paramiko, which is not installed",
            "install gitcron[sftp] (pip install 'gitcron[sftp]')",
            permanent=True,
        ) from None
