"""The SSRF guard: a webhook reaches only the public internet, unless gitcron.yaml allows more.

Schedules are written by account managers, not engineers, so a URL in one must not be a way to
reach the runner's own network (a cloud metadata service at 169.254.169.254, an admin page on
10.0.0.1, a database on localhost). The host is resolved once, every address it resolves to is
checked, and the caller connects to the checked address, so a second DNS answer (rebinding)
never gets a say.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Any

from gitcron.channels.base import DeliveryError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[tuple[Any, ...]]]  # socket.getaddrinfo's shape
Allow = bool | Sequence[str]
SETTING = "channels.webhook.allow_private"


def pinned_address(host: str, port: int, allow: Allow, resolve: Resolver | None = None) -> str:
    """The address to connect to for `host`: its first, once every address it has is allowed."""
    addresses = resolved(host, port, resolve or socket.getaddrinfo)
    if allow is True:
        return str(addresses[0])
    networks, hosts = allow_list(allow or [])
    if host.lower().rstrip(".") not in hosts:
        for address in addresses:
            why = not_public(address)
            if why and not any(address in network for network in networks):
                raise refused(host, address, why)
    return str(addresses[0])


def resolved(host: str, port: int, resolve: Resolver) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order (an IP literal: itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        answers = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise DeliveryError(
            f"the webhook host {host} cannot be resolved: {getattr(error, 'strerror', error)}",
            "check the host name in the schedule's url; a DNS outage is retried",
        ) from error
    found: list[IPAddress] = []
    for answer in answers:
        address = ipaddress.ip_address(str(answer[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise DeliveryError(f"the webhook host {host} has no addresses", "check the url")
    return found


def not_public(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address (e.g. "loopback"); None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return not_public(inner)
    for kind in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:
        return "non-public (shared or special-purpose)"
    return None


def allow_list(entries: Sequence[str]) -> tuple[list[IPNetwork], set[str]]:
    """`allow_private: [10.0.0.0/8, hooks.internal]` split into networks and host names."""
    networks: list[IPNetwork] = []
    hosts: set[str] = set()
    for entry in entries:
        text = entry.strip().strip("[]")
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            if "/" in text or ":" in text or not text:
                raise DeliveryError(
                    f"{SETTING}: '{entry}' is neither an address, a network nor a host name",
                    "write entries like 10.0.0.0/8, 192.168.1.20 or hooks.internal in gitcron.yaml",
                    permanent=True,
                ) from None
            hosts.add(text.lower().rstrip("."))
    return networks, hosts


def refused(host: str, address: IPAddress, why: str) -> DeliveryError:
    """The permanent error for a URL whose host is inside a private or special network."""
    shown = host if host.strip("[]") == str(address) else f"{host} ({address})"
    metadata = (
        " (cloud metadata services live there)" if str(address).startswith("169.254.") else ""
    )
    return DeliveryError(
        f"refusing to post to {shown}: it is a {why} address{metadata}, and webhooks go only to"
        " public addresses so a schedule cannot reach the runner's own network",
        f"if this receiver really is inside your network, allow it in gitcron.yaml under"
        f' {SETTING}, e.g. allow_private: ["{address}"] (or a network like 10.0.0.0/8)',
        permanent=True,
    )
