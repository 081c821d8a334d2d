"""Which addresses are public: Python's `is_global`, and the special-purpose ranges it misses.

`ipaddress.is_global` (as of Python 3.11) calls multicast (224.0.0.0/4, ff00::/8), the 6to4 relay
anycast (192.88.99.0/24), 192.0.0.9 and .10, the documentation prefix 3fff::/20, SRv6 (5f00::/16),
site-local IPv6 (fec0::/10), IPv4-compatible IPv6 (::a.b.c.d) and NAT64 addresses of private IPv4
hosts (64:ff9b::10.0.0.1) global, and its answers change between patch releases. So the IANA
special-purpose registries are written out here, first match wins, and `is_global` only has the
last word: an address is public when neither this table nor Python objects.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SHARED = "non-public (shared, carrier-grade NAT)"
IETF = "non-public (IETF protocol assignments)"
# fmt: off
_V4 = [
    ("0.0.0.0/32", "unspecified"), ("0.0.0.0/8", "reserved (this network)"),
    ("10.0.0.0/8", "private"), ("100.64.0.0/10", SHARED), ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"), ("172.16.0.0/12", "private"), ("192.0.0.0/24", IETF),
    ("192.0.2.0/24", "documentation"), ("192.88.99.0/24", "reserved (6to4 relay anycast)"),
    ("192.168.0.0/16", "private"), ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"), ("255.255.255.255/32", "broadcast"), ("240.0.0.0/4", "reserved"),
]
_V6 = [
    ("::/128", "unspecified"), ("::1/128", "loopback"), ("::/96", "reserved (IPv4-compatible)"),
    ("64:ff9b:1::/48", "private (local-use NAT64)"), ("100::/64", "reserved (discard-only)"),
    ("2001::/32", "non-public (Teredo)"), ("2001:db8::/32", "documentation"), ("2001::/23", IETF),
    ("3fff::/20", "documentation"), ("5f00::/16", "non-public (segment routing)"),
    ("fc00::/7", "private"), ("fe80::/10", "link-local"), ("fec0::/10", "reserved (site-local)"),
    ("ff00::/8", "multicast"),
]
# fmt: on
SPECIAL: list[tuple[IPNetwork, str]] = [(ipaddress.ip_network(n), why) for n, why in _V4 + _V6]
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: an IPv4 host in disguise
UNICAST6 = ipaddress.ip_network("2000::/3")  # the only IPv6 space handed out for the internet


def not_public(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address (e.g. "loopback"); None when it is."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return not_public(inner)
    for network, why in SPECIAL:
        if address in network:
            return why
    if isinstance(address, ipaddress.IPv6Address) and address not in UNICAST6:
        return "reserved"
    if not address.is_global:
        return "non-public (special-purpose)"
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4 or NAT64), which decides for it."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None or address.sixtofour is not None:
        return address.ipv4_mapped or address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
