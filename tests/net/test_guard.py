"""The address guard: which addresses are public, the allowlist, connecting to what it checked."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from pydantic import ValidationError

from gitcron.config.settings import Settings
from gitcron.net.addresses import not_public
from gitcron.net.guard import (
    Allowlist,
    NetError,
    Purpose,
    Refused,
    Unresolved,
    allowed,
    connect,
    pin,
)

from .listener import listening

TEST = Purpose("reach", "server")


@pytest.mark.parametrize(
    ("address", "why"),
    [
        pytest.param("127.0.0.1", "loopback", id="loopback"),
        pytest.param("10.1.2.3", "private", id="10/8"),
        pytest.param("172.16.0.1", "private", id="172.16/12"),
        pytest.param("192.168.1.1", "private", id="192.168/16"),
        pytest.param("169.254.169.254", "link-local", id="metadata"),
        pytest.param("0.0.0.0", "unspecified", id="unspecified"),
        pytest.param("0.1.2.3", "reserved (this network)", id="0/8"),
        pytest.param("100.64.0.1", "non-public (shared", id="carrier nat"),
        pytest.param("192.0.0.9", "non-public (IETF", id="192.0.0/24, global to python"),
        pytest.param("192.0.2.1", "documentation", id="test-net-1"),
        pytest.param("192.88.99.1", "reserved (6to4 relay", id="6to4 relay, global to python"),
        pytest.param("198.18.0.1", "benchmarking", id="198.18/15"),
        pytest.param("224.0.0.1", "multicast", id="multicast, global to python"),
        pytest.param("239.1.2.3", "multicast", id="admin multicast"),
        pytest.param("240.0.0.1", "reserved", id="240/4"),
        pytest.param("255.255.255.255", "broadcast", id="broadcast"),
        pytest.param("::", "unspecified", id="v6 unspecified"),
        pytest.param("::1", "loopback", id="v6 loopback"),
        pytest.param("::127.0.0.1", "reserved (IPv4-compatible)", id="v4-compatible"),
        pytest.param("::ffff:10.0.0.1", "private", id="v4-mapped"),
        pytest.param("64:ff9b::a00:1", "private", id="nat64 of 10.0.0.1, global to python"),
        pytest.param("64:ff9b:1::1", "private (local-use NAT64)", id="local nat64"),
        pytest.param("100::1", "reserved (discard-only)", id="discard"),
        pytest.param("2001::1", "non-public (Teredo)", id="teredo"),
        pytest.param("2001:db8::1", "documentation", id="v6 documentation"),
        pytest.param("2002:a00:1::1", "private", id="6to4 of 10.0.0.1"),
        pytest.param("3fff::1", "documentation", id="3fff::/20, global to python"),
        pytest.param("5f00::1", "non-public (segment routing)", id="srv6, global to python"),
        pytest.param("fd12:3456::1", "private", id="ula"),
        pytest.param("fe80::1", "link-local", id="v6 link-local"),
        pytest.param("fec0::1", "reserved (site-local)", id="site-local, global to python"),
        pytest.param("ff02::1", "multicast", id="v6 multicast"),
        pytest.param("4000::1", "reserved", id="outside 2000::/3"),
    ],
)
def test_special_purpose_addresses_are_not_public(address: str, why: str) -> None:
    found = not_public(ipaddress.ip_address(address))
    assert found is not None
    assert found.startswith(why)


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "2606:2800:220:1::1", "64:ff9b::5db8:d822", "2002:5db8:d822::1"],
)
def test_public_addresses_pass(address: str) -> None:
    assert not_public(ipaddress.ip_address(address)) is None


def dns(*addresses: str) -> Any:
    asked: list[str] = []

    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        asked.append(host)
        return [(2, 1, 6, "", (address, port)) for address in addresses]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(
    ("entries", "addresses", "passes"),
    [
        pytest.param([], ["93.184.216.34"], True, id="public"),
        pytest.param([], ["93.184.216.34", "10.1.2.3"], False, id="one private among public"),
        pytest.param(["10.0.0.0/8"], ["10.1.2.3"], True, id="network"),
        pytest.param(["10.1.2.3"], ["10.1.2.3", "10.1.2.4"], False, id="one address of two"),
        pytest.param(["fd00::/8"], ["fd12::1"], True, id="v6 network"),
        pytest.param(["Relay.Internal."], ["10.1.2.3", "127.0.0.1"], True, id="host name"),
        pytest.param(["other.internal"], ["10.1.2.3"], False, id="another host name"),
    ],
)
def test_the_allowlist(entries: list[str], addresses: list[str], passes: bool) -> None:
    allow = Allowlist.of(entries)
    resolve = dns(*addresses)
    if passes:
        pinned = pin("relay.internal", 25, allow, TEST, resolve)
        assert (pinned.host, pinned.port, pinned.ip) == ("relay.internal", 25, addresses[0])
    else:
        with pytest.raises(Refused) as caught:
            pin("relay.internal", 25, allow, TEST, resolve)
        assert caught.value.permanent
    assert resolve.asked == ["relay.internal"]  # once: no second answer to rebind to


def test_a_refusal_names_the_host_the_address_and_the_setting() -> None:
    with pytest.raises(Refused) as caught:
        pin("relay.internal", 25, Allowlist(), TEST, dns("192.168.4.2"))
    error = caught.value
    assert error.message.startswith(
        "refusing to reach relay.internal (192.168.4.2): it is a private address"
    )
    assert 'network: { allow: ["192.168.4.2"] }' in str(error.hint)
    assert "gitcron.yaml" in str(error.hint)


def test_an_unresolvable_host_is_transient() -> None:
    def broken(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        raise OSError(-2, "Name or service not known")

    with pytest.raises(Unresolved) as caught:
        pin("nowhere.example", 443, Allowlist(), TEST, broken)
    assert not caught.value.permanent
    assert caught.value.reason == "Name or service not known"


def test_a_bad_entry_is_a_permanent_error_naming_its_setting() -> None:
    with pytest.raises(NetError, match=r"^some\.setting: '10\.0\.0\.0/33' is neither") as caught:
        Allowlist.of(["10.0.0.0/33"], "some.setting")
    assert caught.value.permanent


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "a host", "", "http://relay.internal/"])
def test_gitcron_yaml_refuses_a_bad_entry(entry: str) -> None:
    with pytest.raises(ValidationError, match="is neither an address, a network nor a host name"):
        Settings.model_validate({"network": {"allow": ["10.0.0.5", entry]}})


def test_the_settings_allowlist() -> None:
    settings = Settings.model_validate({"network": {"allow": ["10.0.0.5", "smtp.internal"]}})
    allow = allowed(settings)
    assert allow.allows("smtp.internal", ipaddress.ip_address("192.168.0.1"))
    assert allow.allows("x", ipaddress.ip_address("10.0.0.5"))
    assert not allow.allows("x", ipaddress.ip_address("10.0.0.6"))
    assert allowed(Settings()) == Allowlist()


def test_loopback_is_refused_before_connecting_and_reached_once_allowed() -> None:
    with listening() as listener:
        with pytest.raises(Refused):
            pin("127.0.0.1", listener.port, allowed(Settings()), TEST)
        assert not listener.reached()
        allow = Settings.model_validate({"network": {"allow": ["127.0.0.1"]}})
        with connect(pin("127.0.0.1", listener.port, allowed(allow), TEST), timeout=5):
            assert listener.reached(wait=5)
