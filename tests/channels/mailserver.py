"""A real SMTP server for tests (aiosmtpd on 127.0.0.1): it keeps what it gets, or says no.

Import it only after `pytest.importorskip("aiosmtpd")`.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or answers RCPT/DATA with a set reply."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        self.received.append(envelope)
        return "250 Message accepted"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"reports", b"p@ss:w")
    return AuthResult(success=ok, handled=False)


@contextmanager
def serve(handler: Inbox, **options: Any) -> Iterator[int]:
    """Run an aiosmtpd server for `handler` on a free loopback port; yield the port."""
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=authenticate, **options
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
