"""The HTTP client every part of gitcron uses (httpx), and requests pinned to a checked address.

`client()` never reads proxy settings or certificates from the environment (trust_env=False) and
follows no redirect unless the caller asks: an address nobody reviewed is never fetched, and a
request goes where gitcron.yaml or the schedule says. `stream()` sends a request to the address
the guard checked, with the host name kept in `Host`, in TLS SNI and in the certificate check, so
a DNS answer that changes after the check cannot move the request. httpx is imported only when
a request is made, so commands that send nothing stay fast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gitcron.net.guard import Allowlist, Pinned, Purpose, Resolver, pin

if TYPE_CHECKING:
    import httpx


def client(
    *,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
    follow_redirects: bool = False,
    proxy: str | None = None,
    trust_env: bool = False,
) -> httpx.Client:
    """An httpx client with gitcron's defaults; close it (or use `with`) when done.

    `proxy` is an explicit proxy URL; `trust_env=True` lets httpx read HTTP(S)_PROXY, NO_PROXY
    and SSL_CERT_FILE from the environment, for a caller whose address only engineers write
    (the liveness heartbeat). Guarded requests (`stream`) connect directly whatever is set here.
    """
    import httpx

    return httpx.Client(
        transport=transport,
        follow_redirects=follow_redirects,
        proxy=proxy,
        trust_env=trust_env,
        timeout=timeout,
    )


def host_and_port(url: httpx.URL) -> tuple[str, int]:
    """The host to resolve (IDNA-encoded, IPv6 without brackets) and the port, default or given."""
    return url.raw_host.decode("ascii"), url.port or (443 if url.scheme == "https" else 80)


def pinned(url: httpx.URL, allow: Allowlist, purpose: Purpose, resolve: Resolver | None) -> Pinned:
    """The checked address for `url`'s host (net.guard.pin): Refused or Unresolved otherwise."""
    host, port = host_and_port(url)
    return pin(host, port, allow, purpose, resolve)


@contextlib.contextmanager
def stream(
    session: httpx.Client, method: str, url: httpx.URL, to: Pinned, **request: Any
) -> Iterator[httpx.Response]:
    """`method url` sent to the checked address `to`, the response not read yet; never redirected.

    `request` is what httpx's `stream()` takes (content, headers, ...); `Host` is set from the URL.
    """
    headers = {**(request.pop("headers", None) or {}), "Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": to.host} if url.scheme == "https" else {}
    with session.stream(
        method,
        url.copy_with(host=to.ip),
        headers=headers,
        extensions=extensions,
        follow_redirects=False,
        **request,
    ) as response:
        yield response


def read_at_most(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Up to `limit` bytes of the (decoded) body, and whether there was more (then it stops)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False
