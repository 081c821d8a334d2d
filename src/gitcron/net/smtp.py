"""SMTP connections to the checked address, with TLS still checked against the host name.

smtplib connects by host name itself; these subclasses hand it a socket opened to the address
the guard checked (its `_get_socket` hook), while the name it was given stays the one STARTTLS
and smtps:// send as SNI and verify the certificate against.
"""

from __future__ import annotations

import smtplib
import socket
import ssl

from gitcron.net.guard import Pinned, connect


class _PinnedSMTP(smtplib.SMTP):
    def __init__(self, to: Pinned, timeout: float) -> None:
        self.to = to  # before smtplib connects, from __init__, through _get_socket
        super().__init__(to.host, to.port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return connect(self.to, timeout)


class _PinnedSMTPS(smtplib.SMTP_SSL):
    def __init__(self, to: Pinned, timeout: float, context: ssl.SSLContext) -> None:
        self.to = to
        super().__init__(to.host, to.port, timeout=timeout, context=context)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return self.context.wrap_socket(connect(self.to, timeout), server_hostname=host)


def smtp_client(
    to: Pinned, *, secure: bool, timeout: float, context: ssl.SSLContext
) -> smtplib.SMTP:
    """A client connected to `to` and greeted (smtps://: TLS from the first byte).

    smtplib keeps the host name for STARTTLS; it raises what it raises for a failed connection
    (OSError, SMTPConnectError), having closed what it opened.
    """
    if secure:
        return _PinnedSMTPS(to, timeout, context)
    return _PinnedSMTP(to, timeout)
