"""`sftp:` deliveries: one upload per call, to a server whose host key the config pins.

The URL (`address`), the host and login keys (`keys`), the guarded connection (`connection`) and
the upload itself (`upload`) each have their module; this one runs them in order, so every
problem with the configuration is found before anything connects: first of all, whether
gitcron.yaml grants the login's credentials to this server and customer (docs/grants.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.grants import granted_variable, refuse_reserved
from gitcron.channels.sftp.address import parse_url
from gitcron.channels.sftp.connection import session
from gitcron.channels.sftp.keys import credentials, host_keys
from gitcron.channels.sftp.target import SftpTarget
from gitcron.channels.sftp.upload import upload
from gitcron.config.destinations import Destination
from gitcron.net.guard import allowed


class SftpChannel:
    """`sftp: {url, password | key, known_hosts | known_hosts_env}`."""

    def deliver(self, target: SftpTarget, ctx: DeliveryContext) -> str | None:
        _require_paramiko()
        place = parse_url(target.url)
        to = Destination.of("sftp", place.host, place.port, urlsplit(target.url).path, place.user)
        uses = target.uses()
        password_env = granted_variable(uses.get("password"), "sftp", to, ctx)
        key_env = granted_variable(uses.get("key"), "sftp", to, ctx)
        refuse_reserved(target.known_hosts_env, "known_hosts_env", "sftp delivery", ctx)
        keys = host_keys(target, place, ctx.env)
        login = credentials(password_env, key_env, ctx.env)
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
