"""One webhook attempt: the address guarded and pinned, the request signed and sent, classified.

Webhooks go to the public internet only, unless gitcron.yaml allows a private host under
`network.allow` (or, the older webhook-only form, `channels.webhook.allow_private`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from gitcron.channels.base import DeliveryError, unreachable
from gitcron.channels.webhook.answer import READ, SNIPPET, outcome
from gitcron.channels.webhook.body import one_line
from gitcron.channels.webhook.signing import Outgoing, signed_headers
from gitcron.config.settings import Settings
from gitcron.core.redact import Redactor
from gitcron.net import http
from gitcron.net.guard import (
    Allowlist,
    NetError,
    Pinned,
    Purpose,
    Resolver,
    Unresolved,
    allowed,
    pin,
)

if TYPE_CHECKING:
    import httpx

WEBHOOK = Purpose(
    "post to",
    "receiver",
    "webhooks go only to public addresses so a schedule cannot reach the runner's own network",
)
LEGACY_SETTING = "channels.webhook.allow_private"


@dataclass(frozen=True, slots=True)
class Wire:
    """How posts reach the network; tests swap the clock, the resolver or the transport."""

    clock: Callable[[], float] = time.time
    resolve: Resolver | None = None  # socket.getaddrinfo
    transport: httpx.BaseTransport | None = None


def webhook_allowlist(settings: Settings) -> Allowlist:
    """`network.allow`, and what `channels.webhook.allow_private` adds (`true`: everything)."""
    try:
        legacy = Allowlist.of(settings.channels.webhook.allow_private, LEGACY_SETTING)
    except NetError as error:  # allow_private's entries are read only here
        raise unreachable(error) from None
    return allowed(settings) + legacy


def pinned(
    host: str, port: int, allow: Allowlist | bool | Sequence[str], resolve: Resolver | None = None
) -> Pinned:
    """The checked address a webhook to host:port connects to; DeliveryError when refused.

    `allow` is an Allowlist, or `allow_private`'s value as written in gitcron.yaml.
    """
    try:
        if not isinstance(allow, Allowlist):
            allow = Allowlist.of(allow, LEGACY_SETTING)
        return pin(host, port, allow, WEBHOOK, resolve)
    except Unresolved as error:
        if error.cause is None:
            raise DeliveryError(
                f"the webhook host {host} has no addresses", "check the url"
            ) from None
        raise DeliveryError(
            f"the webhook host {host} cannot be resolved: {error.reason}",
            "check the host name in the schedule's url; a DNS outage is retried",
        ) from error
    except NetError as error:  # refused, or a bad allow_private entry
        raise unreachable(error) from None


def pinned_address(
    host: str, port: int, allow: Allowlist | bool | Sequence[str], resolve: Resolver | None = None
) -> str:
    """The address (text) a webhook to host:port connects to, as `pinned` checks it."""
    return pinned(host, port, allow, resolve).ip


def post(outgoing: Outgoing, settings: Settings, timeout: timedelta | None, wire: Wire) -> str:
    """One attempt: guard the address, sign, POST to the checked address, classify the answer."""
    url = parse_url(outgoing.url)
    host, port = http.host_and_port(url)
    to = pinned(host, port, webhook_allowlist(settings), wire.resolve)
    where = f"{url.netloc.decode('ascii')}{url.path}"
    redact = Redactor(outgoing.secrets)
    seconds = (timeout or settings.channels.webhook.timeout).total_seconds()
    response, head = _exchange(
        wire,
        seconds,
        (where, redact),
        url=url,
        to=to,
        content=outgoing.body,
        headers=signed_headers(outgoing, int(wire.clock())),
    )
    return outcome(response, head, where, redact, wire.clock())


def parse_url(text: str) -> httpx.URL:
    """The webhook URL, which must be http(s) with a host; anything else is permanent."""
    import httpx

    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as error:
        raise DeliveryError(
            f"the webhook url is not valid: {error}",
            "check the url in the schedule",
            permanent=True,
        ) from error
    if url.scheme not in ("http", "https") or not url.raw_host:
        raise DeliveryError(
            "the webhook url must start with https:// (or http://) and name a host",
            "check the url in the schedule",
            permanent=True,
        )
    return url


def _exchange(
    wire: Wire, seconds: float, shown: tuple[str, Redactor], url: httpx.URL, to: Pinned, **sent: Any
) -> tuple[httpx.Response, bytes]:
    import httpx

    where, redact = shown
    try:
        with (
            http.client(timeout=seconds, transport=wire.transport) as session,
            http.stream(session, "POST", url, to, **sent) as response,
        ):
            return response, http.read_at_most(response, READ)[0]
    except httpx.TimeoutException as error:
        raise DeliveryError(
            f"{where} did not answer within {seconds:g}s ({type(error).__name__})",
            "this is retried; if the receiver is always slow, raise the webhook's timeout",
        ) from error
    except httpx.HTTPError as error:
        raise _transport_error(where, error, redact) from error


def _transport_error(where: str, error: Exception, redact: Redactor) -> DeliveryError:
    text = redact(one_line(str(error)) or type(error).__name__)[:SNIPPET]
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return DeliveryError(
            f"{where}: its TLS certificate cannot be verified: {text}",
            "the receiver must serve a certificate valid for its host name",
            permanent=True,
        )
    return DeliveryError(f"{where} could not be reached: {text}", "this is retried")
