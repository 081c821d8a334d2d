"""A real SFTP server for tests (asyncssh on 127.0.0.1), rooted in a folder, in a thread.

Its host key and the accepted client key are generated per server; the login is `reports` with
PASSWORD, or with `client_key`. It counts connections and keeps every password and key offered,
so a test can show that a refused delivery offered it nothing. Import it only after
`pytest.importorskip("asyncssh")`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

USER = "reports"
PASSWORD = "s3cret-sftp-pass"


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_key(kind: str = "ssh-ed25519") -> asyncssh.SSHKey:
    return asyncssh.generate_private_key(kind)


def public_line(key: asyncssh.SSHKey) -> str:
    """`ssh-ed25519 AAAA...`: the public half, as a known_hosts line ends."""
    kind, data = key.export_public_key("openssh").decode().split()[:2]
    return f"{kind} {data}"


def private_text(key: asyncssh.SSHKey, fmt: str = "openssh") -> str:
    return str(key.export_private_key(fmt).decode())


@dataclass
class SftpServer:
    """What a test needs from a running server."""

    port: int
    root: Path
    host_key: asyncssh.SSHKey
    client_key: asyncssh.SSHKey
    logins: list[str] = field(default_factory=list)  # auth methods that succeeded
    connections: int = 0  # SSH connections accepted, whatever became of them
    offered: list[str] = field(default_factory=list)  # every password and key offered, as sent

    @property
    def known_hosts(self) -> str:
        """The line `ssh-keyscan -p PORT 127.0.0.1` would print."""
        return f"[127.0.0.1]:{self.port} {public_line(self.host_key)}"

    def url(self, path: str = "/") -> str:
        return f"sftp://{USER}@127.0.0.1:{self.port}{path}"


class _Auth(asyncssh.SSHServer):
    """Password PASSWORD or the generated client key, for USER only."""

    def __init__(self, server: SftpServer) -> None:
        self._server = server

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._server.connections += 1

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        self._server.offered.append(password)
        ok = username == USER and password == PASSWORD
        if ok:
            self._server.logins.append("password")
        return ok

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        self._server.offered.append(key.export_public_key("openssh").decode().strip())
        wanted = self._server.client_key.export_public_key("openssh").split()[1]
        ok = username == USER and key.export_public_key("openssh").split()[1] == wanted
        if ok:
            self._server.logins.append("publickey")
        return ok


class NoPosixRename(asyncssh.SFTPServer):
    """A server without the posix-rename extension's behaviour (it answers: unsupported)."""

    def posix_rename(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPOpUnsupported("posix-rename is not supported here")


class ReadOnly(asyncssh.SFTPServer):
    """A server where the account may look but not write."""

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> object:
        if pflags & asyncssh.FXF_WRITE:
            raise asyncssh.SFTPPermissionDenied("read-only account")
        return super().open(path, pflags, attrs)


@contextmanager
def serve(
    root: Path, sftp_class: type[asyncssh.SFTPServer] = asyncssh.SFTPServer
) -> Iterator[SftpServer]:
    """Run the server on a free loopback port, SFTP chrooted to `root`, until the block ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="sftp-server", daemon=True)
    thread.start()
    info = SftpServer(0, root, new_key(), new_key())

    async def start() -> Any:
        return await asyncssh.listen(
            "127.0.0.1",
            0,
            server_host_keys=[info.host_key],
            server_factory=lambda: _Auth(info),
            sftp_factory=lambda chan: sftp_class(chan, chroot=str(root).encode()),
            allow_scp=False,
        )

    acceptor = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    info.port = acceptor.get_port()
    try:
        yield info
    finally:
        asyncio.run_coroutine_threadsafe(_stop(acceptor), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


async def _stop(acceptor: Any) -> None:
    """Close the listener inside its own loop (asyncio objects are not thread-safe)."""
    acceptor.close()
    await acceptor.wait_closed()
