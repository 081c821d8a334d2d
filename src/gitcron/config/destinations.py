"""Where a credential goes, and whether a grant's `to:` covers it: parsed parts, never raw text.

A grant such as `to: ["https://hooks.acme.example/gitcron"]` is compared with a delivery's address
part by part: scheme, host (lower case, IDNA, no trailing dot, IP addresses in one spelling),
port (the scheme's default when none is written) and the path, segment by segment, each segment
percent-decoded. So `https://hooks.acme.example.evil.example/`, `https://hooks.acme.example@evil/`,
`https://hooks.acme.example:8443/` and `/gitcron-other` or `/gitcron/%2e%2e/x` never pass for it,
which a string comparison of the two addresses would let through.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"https": 443, "http": 80, "sftp": 22}
SCHEMES = {
    "webhook": ("https", "http"),
    "sftp": ("sftp",),
    "slack": ("https", "http"),  # http only reaches a loopback test server (channels/chat_http.py)
    "teams": ("https", "http"),
}

Path = tuple[str, ...]


@functools.lru_cache(maxsize=8192)
def host_key(text: str) -> str:
    """A host as compared: lower case, IDNA-encoded, no brackets or trailing dot; IPs canonical."""
    host = text.strip().strip("[]").rstrip(".").lower()
    if ":" in host or host[:1].isdigit():  # only these can be addresses: names skip the parse
        try:
            return ipaddress.ip_address(host).compressed
        except ValueError:
            pass
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return host  # compared as written: it can only fail to match
    return host


def segments(raw_path: str) -> Path | None:
    """The path's segments, percent-decoded; None when one is `.` or `..` or hides a separator.

    A trailing slash makes no segment (`/hooks/` and `/hooks` are one place). A segment that
    decodes to a slash or a backslash (`%2F`, `%5C`) is refused rather than guessed at: servers
    disagree about it.
    """
    parts = raw_path.split("/")
    if parts and parts[0] == "":
        parts = parts[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    decoded = tuple(unquote(part) for part in parts)
    if any(part in (".", "..") or "/" in part or "\\" in part for part in decoded):
        return None
    return decoded


@dataclass(frozen=True, slots=True)
class Destination:
    """Where one delivery connects, as its channel parsed the address it connects to."""

    scheme: str
    host: str  # as host_key gives it
    port: int
    path: Path | None  # None: the path has `..` or a hidden separator, so no grant covers it
    user: str = ""

    @classmethod
    def of(
        cls, scheme: str, host: str, port: int | None, raw_path: str, user: str = ""
    ) -> Destination:
        scheme = scheme.lower()
        return cls(
            scheme,
            host_key(host),
            port or DEFAULT_PORTS.get(scheme, 0),
            segments(raw_path.split("?", 1)[0].split("#", 1)[0]),
            user,
        )

    def __str__(self) -> str:
        """`https://hooks.acme.example/gitcron`: no user, the port only when not the default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if DEFAULT_PORTS.get(self.scheme) == self.port else f":{self.port}"
        path = "/".join(self.path or ())
        return f"{self.scheme}://{host}{port}/{path}"


@functools.lru_cache(maxsize=8192)
def destination(url: str) -> Destination | None:
    """A schedule's address as validate reads it; None when it has no host or cannot be read."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return Destination.of(
        parts.scheme, parts.hostname, port, parts.path, unquote(parts.username or "")
    )


@dataclass(frozen=True, slots=True)
class Place:
    """One entry of a grant's `to:`: a host name (any address on it), or a URL prefix."""

    host: str
    scheme: str | None = None  # None: a bare host name
    port: int | None = None
    path: Path = ()
    user: str | None = None  # sftp://user@host/...: only that login

    def covers(self, kind: str, to: Destination) -> bool:
        if to.path is None or to.scheme not in SCHEMES.get(kind, ()) or to.host != self.host:
            return False
        if self.scheme is None:
            return True
        return (
            to.scheme == self.scheme
            and to.port == self.port
            and to.path[: len(self.path)] == self.path
            and (self.user is None or to.user == self.user)
        )


@functools.lru_cache(maxsize=8192)
def parse_place(text: str) -> Place:
    """A `to:` entry: a host name or address (`hooks.acme.example`, `10.0.0.5`, `[::1]`), or an
    address prefix (`https://hooks.acme.example/prefix`).

    ValueError (a phrase for engineers) for anything that cannot be compared exactly: a query,
    a fragment, a password, `..`, or a host name that is not one.
    """
    text = text.strip()
    if "://" not in text:
        try:
            return Place(ipaddress.ip_address(text.strip("[]")).compressed)
        except ValueError:
            pass
        if not text or any(c in text for c in "/:@?#[] \\"):
            raise ValueError(
                f"'{text}' is neither a host name nor an address starting with a scheme"
            )
        return Place(host_key(text))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"'{text}' cannot be read as an address ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"'{text}' starts with {scheme}://, which no credential is sent over")
    if not parts.hostname:
        raise ValueError(f"'{text}' names no host")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise ValueError(f"'{text}' has a query or a fragment, which a grant cannot compare")
    if parts.password is not None:
        raise ValueError(f"'{text}' contains a password")
    path = segments(parts.path)
    if path is None:
        raise ValueError(f"'{text}' has '.' or '..' (or an encoded slash) in its path")
    user = unquote(parts.username) if parts.username is not None else None
    return Place(host_key(parts.hostname), scheme, port or DEFAULT_PORTS[scheme], path, user)
