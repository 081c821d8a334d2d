"""Where an `sftp:` URL points: user, host, port and folder, and how messages show them."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from gitcron.channels.base import DeliveryError

SSH_PORT = 22


@dataclass(frozen=True, slots=True)
class SftpPlace:
    """Where a target's URL points: `folder` is absolute, or relative to the login folder."""

    user: str
    host: str
    port: int
    folder: str  # "/uploads/acme", "out" (from /~/out), or "" (the login folder)

    @property
    def where(self) -> str:
        return f"{self._host}:{self.port}"

    @property
    def key_name(self) -> str:
        """The name known_hosts files it under: `host`, or `[host]:port` off port 22."""
        return self.host if self.port == SSH_PORT else f"[{self.host}]:{self.port}"

    def path(self, name: str) -> str:
        """The remote path of `name` in the folder, as the server is asked for it."""
        return posixpath.join(self.folder, name)

    def url(self, name: str) -> str:
        """`sftp://user@host:port/folder/name`, for notes (it holds no secret)."""
        shown = self.path(name) if self.folder.startswith("/") else f"/~/{self.path(name)}"
        return f"sftp://{self.user}@{self.where}{shown}"

    @property
    def _host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host


def parse_url(url: str) -> SftpPlace:
    """`sftp://user@host:port/path` → SftpPlace; `/~/x` is x in the login folder.

    The target model has checked that the URL names a user and that its path, as written, has
    no `..`; the path is checked again here once percent-decoded (`%2e%2e`).
    """
    try:
        parts = urlsplit(url)
        port = parts.port or SSH_PORT
    except ValueError as error:
        raise _bad_url(url, f"it cannot be read ({error})") from None
    if not parts.hostname:
        raise _bad_url(url, "it names no host")
    path = unquote(parts.path)
    if ".." in path.split("/"):
        raise _bad_url(url, "its path contains '..'")
    if path == "/~" or path.startswith("/~/"):
        folder = path[3:].strip("/")
    else:
        folder = path.rstrip("/") or ("/" if path else "")
    return SftpPlace(unquote(parts.username or ""), parts.hostname, port, folder)


def keyscan(place: SftpPlace) -> str:
    """The command that prints the server's known_hosts line."""
    return f"ssh-keyscan -p {place.port} {place.host}"


def _bad_url(url: str, problem: str) -> DeliveryError:
    return DeliveryError(
        f"'{url}' is not a usable sftp address: {problem}",
        "write sftp://user@host:port/folder (the port defaults to 22; /~/folder is inside the"
        " login folder)",
        permanent=True,
    )
