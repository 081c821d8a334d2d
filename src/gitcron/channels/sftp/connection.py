"""The SSH connection of an sftp delivery: to the checked address, on a verified server, logged in.

The host goes through the address guard first (`network.allow` lets a private server through),
and paramiko gets a socket already connected to the checked address, so DNS is asked once. The
host key is looked up under the name in the URL, as known_hosts files it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gitcron.channels.base import DeliveryError, unreachable
from gitcron.channels.sftp.address import SftpPlace, keyscan
from gitcron.channels.sftp.keys import Login
from gitcron.net.guard import Allowlist, NetError, Pinned, Purpose, Unresolved, connect, pin

if TYPE_CHECKING:
    import paramiko

TIMEOUT_SECONDS = 30.0  # connect, banner, auth and each SFTP request
SFTP = Purpose("connect to the SFTP server", "SFTP server")
_CHECK_ADDRESS = "check the host and port in the address; this is retried"


@contextlib.contextmanager
def session(
    place: SftpPlace, keys: paramiko.HostKeys, login: Login, allow: Allowlist
) -> Iterator[paramiko.SFTPClient]:
    """A logged-in SFTP session on a verified server; closed on the way out."""
    import paramiko

    to = _pinned(place, allow)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.get_host_keys().update(keys)  # only these: no ~/.ssh, no system keys
    try:
        _connect(client, place, to, login)
        try:
            sftp = client.open_sftp()
            channel = sftp.get_channel()
            if channel is not None:
                channel.settimeout(TIMEOUT_SECONDS)
        except (OSError, EOFError, paramiko.SSHException) as error:
            raise transient(place, "cannot start SFTP on", error) from None
        with sftp:
            yield sftp
    finally:
        client.close()


def _pinned(place: SftpPlace, allow: Allowlist) -> Pinned:
    try:
        return pin(place.host, place.port, allow, SFTP)
    except Unresolved as error:
        raise transient(place, "cannot connect to", error.cause or error, _CHECK_ADDRESS) from None
    except NetError as error:
        raise unreachable(error) from None


def _connect(client: paramiko.SSHClient, place: SftpPlace, to: Pinned, login: Login) -> None:
    import paramiko

    try:
        sock = connect(to, TIMEOUT_SECONDS)
        try:
            client.connect(
                place.host,  # the name the host key is filed under; `sock` is the checked address
                port=place.port,
                username=place.user,
                password=login.password,
                pkey=login.key,
                sock=sock,
                timeout=TIMEOUT_SECONDS,
                banner_timeout=TIMEOUT_SECONDS,
                auth_timeout=TIMEOUT_SECONDS,
                channel_timeout=TIMEOUT_SECONDS,
                look_for_keys=False,
                allow_agent=False,
            )
        except BaseException:
            sock.close()
            raise
    except paramiko.BadHostKeyException:
        raise _key_mismatch(place) from None
    except paramiko.AuthenticationException as error:
        raise _auth_failed(place, login, error) from None
    except paramiko.SSHException as error:
        if "host key" in str(error) or "known_hosts" in str(error):
            raise _key_mismatch(place) from None
        raise transient(place, "cannot talk to", error, _CHECK_ADDRESS) from None
    except (OSError, EOFError) as error:
        raise transient(place, "cannot connect to", error, _CHECK_ADDRESS) from None


def _key_mismatch(place: SftpPlace) -> DeliveryError:
    return DeliveryError(
        f"the server's host key does not match known_hosts ({place.where}): someone may be"
        " intercepting, or the server's key changed",
        "ask the server's owner whether its key changed; only then replace the known_hosts line"
        f" with the output of `{keyscan(place)}`. Nothing was sent",
        permanent=True,
    )


def _auth_failed(place: SftpPlace, login: Login, error: Exception) -> DeliveryError:
    allowed = getattr(error, "allowed_types", None)
    offer = f" (it accepts: {', '.join(allowed)})" if allowed else ""
    return DeliveryError(
        f"{place.where} refused the login of '{place.user}'{offer}",
        f"check the user in the address and the secret in {login.sources}",
        permanent=True,
    )


def transient(
    place: SftpPlace, doing: str, error: BaseException, hint: str = "this is retried"
) -> DeliveryError:
    """A failure another try may not have: the connection, or the server, had a problem."""
    reason = str(error) or type(error).__name__
    if isinstance(error, TimeoutError):
        reason = f"no answer within {TIMEOUT_SECONDS:g}s"
    return DeliveryError(f"{doing} the SFTP server {place.where}: {reason}", hint)
