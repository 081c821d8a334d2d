"""The address guard: gitcron reaches only the public internet, unless gitcron.yaml allows more.

Schedules are written by account managers, not engineers, so a URL in one must not be a way to
reach the runner's own network (a cloud metadata service at 169.254.169.254, an admin page on
10.0.0.1, a database on localhost). A host is resolved once, every address it resolves to is
checked, and the caller connects to the checked address (`connect`, or `net.http`'s pinned
request), so a second DNS answer (rebinding) never gets a say. Engineers list the private hosts
they run under `network.allow` in gitcron.yaml; tests reach their 127.0.0.1 servers the same way.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gitcron.config.settings import Settings, allow_entry
from gitcron.errors import GitcronError
from gitcron.net.addresses import IPAddress, IPNetwork, not_public

Resolver = Callable[..., list[tuple[Any, ...]]]  # socket.getaddrinfo's shape
SETTING = "network.allow"
PUBLIC_ONLY = (
    "gitcron connects only to public addresses, so a URL cannot reach the runner's network"
)


class NetError(GitcronError):
    """The network cannot be reached as asked; `permanent` when trying again cannot help."""

    def __init__(self, message: str, hint: str | None = None, permanent: bool = False) -> None:
        super().__init__(message, hint)
        self.permanent = permanent


class Refused(NetError):
    """The host is, or resolves to, an address outside the public internet that is not allowed."""


class Unresolved(NetError):
    """The host name has no address (DNS failed, or answered nothing): worth another try."""

    def __init__(self, host: str, cause: OSError | UnicodeError | None) -> None:
        self.host = host
        self.cause = cause  # None: the resolver answered without addresses
        self.reason = str(getattr(cause, "strerror", None) or cause) if cause else "no addresses"
        super().__init__(f"the host {host} cannot be resolved: {self.reason}", "this is retried")


@dataclass(frozen=True, slots=True)
class Allowlist:
    """What may be reached besides public addresses: networks, host names, or everything."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, entries: bool | Sequence[str], setting: str = SETTING) -> Allowlist:
        """From a setting's value (`true`: everything); a bad entry is a permanent NetError."""
        if entries is True or entries is False:
            return cls(everything=entries)
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in entries:
            try:
                parsed = allow_entry(entry)
            except ValueError as error:
                raise NetError(
                    f"{setting}: {error}",
                    "write entries like 10.0.0.0/8, 192.168.1.20 or hooks.internal in gitcron.yaml",
                    permanent=True,
                ) from None
            if isinstance(parsed, str):
                hosts.add(parsed)
            else:
                networks.append(parsed)
        return cls(tuple(networks), frozenset(hosts))

    def __add__(self, other: Allowlist) -> Allowlist:
        return Allowlist(
            self.networks + other.networks,
            self.hosts | other.hosts,
            self.everything or other.everything,
        )

    def allows(self, host: str, address: IPAddress) -> bool:
        """An engineer allowed this host by name, or a network holding this address."""
        if self.everything or host.strip("[]").lower().rstrip(".") in self.hosts:
            return True
        return any(address in network for network in self.networks)


def allowed(settings: Settings) -> Allowlist:
    """`network.allow` of gitcron.yaml (validated there, so it always parses)."""
    return Allowlist.of(settings.network.allow)


@dataclass(frozen=True, slots=True)
class Purpose:
    """How a refusal names what was being reached: "refusing to {doing} host: ..."."""

    doing: str  # "post to", "connect to the mail server"
    thing: str  # "receiver", "mail server": "if this {thing} really is inside your network"
    rule: str = PUBLIC_ONLY  # why, after "and"


@dataclass(frozen=True, slots=True)
class Pinned:
    """A host and port, and the checked address to connect to in its place."""

    host: str  # as written: a name, or an address (IPv6 without brackets)
    port: int
    address: IPAddress

    @property
    def ip(self) -> str:
        return str(self.address)


def pin(
    host: str, port: int, allow: Allowlist, purpose: Purpose, resolve: Resolver | None = None
) -> Pinned:
    """Resolve `host` once; its first address, once every address it has is allowed.

    Raises Refused (permanent) naming the host and the address, or Unresolved (transient).
    """
    addresses = resolved(host, port, resolve or socket.getaddrinfo)
    for address in addresses:
        why = not_public(address)
        if why and not allow.allows(host, address):
            raise refused(host, address, why, purpose)
    return Pinned(host.strip("[]"), port, addresses[0])


def resolved(host: str, port: int, resolve: Resolver) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order (an IP literal: itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        answers = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Unresolved(host, error) from error
    found: list[IPAddress] = []
    for answer in answers:
        address = ipaddress.ip_address(str(answer[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise Unresolved(host, None)
    return found


def refused(host: str, address: IPAddress, why: str, purpose: Purpose) -> Refused:
    """The permanent error for a host inside a private or special network."""
    shown = host if host.strip("[]") == str(address) else f"{host} ({address})"
    metadata = (
        " (cloud metadata services live there)" if str(address).startswith("169.254.") else ""
    )
    return Refused(
        f"refusing to {purpose.doing} {shown}: it is a {why} address{metadata}, and {purpose.rule}",
        f"if this {purpose.thing} really is inside your network, allow it in gitcron.yaml under"
        f' {SETTING}, e.g. network: {{ allow: ["{address}"] }} (or a network like 10.0.0.0/8,'
        " or its host name)",
        permanent=True,
    )


def connect(pinned: Pinned, timeout: float) -> socket.socket:
    """A TCP connection to the checked address (never the name again); OSError when it fails."""
    return socket.create_connection((pinned.ip, pinned.port), timeout=timeout)
