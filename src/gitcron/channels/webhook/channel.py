"""The `webhook:` channel: one signed HTTP POST per call, classified for the registry's retries.

Signing follows Standard Webhooks 1.0: `webhook-id` is the run id (the same on every retry, so
receivers can drop duplicates), `webhook-timestamp` is the attempt's own time, and
`webhook-signature` is an HMAC-SHA256 over `id.timestamp.body`. The body is the same bytes on
every retry: an event's JSON as it is, a report as multipart with a boundary made from the run id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from gitcron import __version__
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.netguard import Resolver, pinned_address
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.settings import Settings
from gitcron.core.redact import Redactor
from gitcron.state.codec import format_instant

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"gitcron/{__version__}"
SECRET_PREFIX = "whsec_"
TRANSIENT = frozenset({429, 502, 503, 504})  # and every other 5xx
MAX_RETRY_AFTER = 6 * 3600.0  # a receiver asking for more is still asked again after 6 h
SNIPPET = 200  # characters of a response body quoted in an error
_READ = 4096  # bytes of a response body read at most
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True, slots=True)
class Wire:
    """How posts reach the network; tests swap the clock, the resolver or the transport."""

    clock: Callable[[], float] = time.time
    resolve: Resolver | None = None  # socket.getaddrinfo
    transport: httpx.BaseTransport | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One POST: what is sent, where, under which id, signed and authorised with what."""

    url: str
    body: bytes
    content_type: str
    message_id: str
    secret: str | None = None  # `whsec_<base64>`
    token: str | None = None  # sent as `Authorization: Bearer <token>`


class WebhookChannel:
    """`webhook: {url, secret_env, token_env, timeout}`: events as JSON, reports as multipart."""

    def __init__(self, wire: Wire | None = None) -> None:
        self.wire = wire or Wire()

    def deliver(self, target: WebhookTarget, ctx: DeliveryContext) -> str | None:
        secret = from_env(target.secret_env, ctx.env, "secret_env")
        token = from_env(target.token_env, ctx.env, "token_env")
        body, content_type = payload(ctx)
        outgoing = Outgoing(target.url, body, content_type, ctx.run.run_id, secret, token)
        return post(outgoing, ctx.settings, target.timeout, self.wire)


def post_json(
    url: str,
    body: bytes,
    message_id: str,
    *,
    secret: str | None,
    token: str | None,
    settings: Settings,
    timeout: timedelta | None,
    wire: Wire | None = None,
) -> str:
    """POST a JSON body once (signed, guarded, classified like a delivery), for notifications."""
    outgoing = Outgoing(url, body, "application/json", message_id, secret, token)
    return post(outgoing, settings, timeout, wire or Wire())


def from_env(name: str | None, env: Mapping[str, str], key: str) -> str | None:
    """The value of the variable a `*_env` key names; a missing one is a permanent error."""
    if name is None:
        return None
    value = env.get(name, "").strip()
    if not value:
        raise DeliveryError(
            f"{name} is not set, so the webhook cannot be sent ({key} names it)",
            f"set {name} in the environment (a repository secret in the tick workflow)",
            permanent=True,
        )
    return value


# --- the body ------------------------------------------------------------------------------------


def payload(ctx: DeliveryContext) -> tuple[bytes, str]:
    """The body and its content type: an event as JSON, a report file as multipart/form-data."""
    artifact = ctx.artifact
    if artifact.body is not None:
        return artifact.body, "application/json"
    data = artifact.data()
    boundary = boundary_for(ctx.run.run_id, data)
    mark = f"--{boundary}".encode()
    file_type = _one_line(artifact.content_type) or "application/octet-stream"
    parts = [
        _part('form-data; name="metadata"', "application/json", metadata(ctx, data)),
        _part(f'form-data; name="file"; {_filename(artifact.name)}', file_type, data),
    ]
    body = b"".join(mark + b"\r\n" + part + b"\r\n" for part in parts) + mark + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def boundary_for(run_id: str, data: bytes) -> str:
    """A boundary made from the run id (same run, same bytes), never one found in the file."""
    for number in range(100):
        digest = hashlib.sha256(f"{run_id}\n{number}".encode()).hexdigest()
        boundary = f"gitcron-{digest[:32]}"
        if boundary.encode() not in data:
            return boundary
    raise AssertionError("no free multipart boundary")  # 100 sha256 collisions: unreachable


def metadata(ctx: DeliveryContext, data: bytes) -> bytes:
    """The `metadata` part: which run made the file, and what the file is."""
    artifact, run = ctx.artifact, ctx.run
    fields = {
        "run_id": run.run_id,
        "schedule": run.schedule_id,
        "fire": format_instant(run.fire),
        "name": artifact.name,
        "content_type": artifact.content_type,
        "rows": artifact.rows,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _part(disposition: str, content_type: str, data: bytes) -> bytes:
    head = f"Content-Disposition: {disposition}\r\nContent-Type: {content_type}\r\n\r\n"
    return head.encode() + data


def _filename(name: str) -> str:
    plain = _one_line(name).replace("\\", "_").replace('"', "_")
    if plain.isascii():
        return f'filename="{plain}"'
    ascii_name = plain.encode("ascii", "replace").decode().replace("?", "_")
    quoted = "".join(c if (c.isalnum() and c.isascii()) or c in "-._" else _pct(c) for c in plain)
    return f"filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


def _pct(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode())


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


# --- the request ---------------------------------------------------------------------------------


def post(outgoing: Outgoing, settings: Settings, timeout: timedelta | None, wire: Wire) -> str:
    """One attempt: guard the address, sign, POST to the checked address, classify the answer."""
    url = parse_url(outgoing.url)
    host, netloc = url.raw_host.decode("ascii"), url.netloc.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    address = pinned_address(host, port, settings.channels.webhook.allow_private, wire.resolve)
    where = f"{netloc}{url.path}"
    redact = Redactor(_secrets(outgoing))
    response, head = _exchange(
        wire,
        (timeout or settings.channels.webhook.timeout).total_seconds(),
        (where, redact),
        url=url.copy_with(host=address),
        content=outgoing.body,
        headers=signed_headers(outgoing, int(wire.clock())) | {"Host": netloc},
        # TLS still checks the certificate against the host name, not the pinned address
        extensions={"sni_hostname": host} if url.scheme == "https" else {},
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
    wire: Wire, seconds: float, shown: tuple[str, Redactor], **request: Any
) -> tuple[httpx.Response, bytes]:
    import httpx

    where, redact = shown
    client = httpx.Client(
        transport=wire.transport, follow_redirects=False, trust_env=False, timeout=seconds
    )
    try:
        with client, client.stream("POST", **request) as response:
            return response, _read_head(response)
    except httpx.TimeoutException as error:
        raise DeliveryError(
            f"{where} did not answer within {seconds:g}s ({type(error).__name__})",
            "this is retried; if the receiver is always slow, raise the webhook's timeout",
        ) from error
    except httpx.HTTPError as error:
        raise _transport_error(where, error, redact) from error


def _secrets(outgoing: Outgoing) -> list[str]:
    found = [outgoing.token] if outgoing.token else []
    if outgoing.secret:
        found += [outgoing.secret, outgoing.secret.removeprefix(SECRET_PREFIX)]
    return found


def signed_headers(outgoing: Outgoing, timestamp: int) -> dict[str, str]:
    """The headers: `webhook-signature` when there is a secret, Authorization for a token."""
    headers = {
        "Content-Type": outgoing.content_type,
        "User-Agent": USER_AGENT,
        "webhook-id": outgoing.message_id,
        "webhook-timestamp": str(timestamp),
    }
    if outgoing.secret is not None:
        key = secret_key(outgoing.secret)
        signed = f"{outgoing.message_id}.{timestamp}.".encode() + outgoing.body
        digest = hmac.new(key, signed, hashlib.sha256).digest()
        headers["webhook-signature"] = f"v1,{base64.b64encode(digest).decode()}"
    if outgoing.token is not None:
        headers["Authorization"] = f"Bearer {outgoing.token}"
    return headers


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a `whsec_<base64>` secret; anything else is a permanent error."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not secret.startswith(SECRET_PREFIX) or not key:
        raise DeliveryError(
            "the webhook secret is not a Standard Webhooks secret (whsec_ followed by base64)",
            "ask the receiver for their signing secret; it looks like whsec_MfKQ9r8GKYqrTwj...",
            permanent=True,
        )
    return key


def _read_head(response: httpx.Response) -> bytes:
    head = b""
    for chunk in response.iter_bytes():
        head += chunk
        if len(head) >= _READ:
            break
    return head[:_READ]


def _transport_error(where: str, error: Exception, redact: Redactor) -> DeliveryError:
    text = redact(_one_line(str(error)) or type(error).__name__)[:SNIPPET]
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return DeliveryError(
            f"{where}: its TLS certificate cannot be verified: {text}",
            "the receiver must serve a certificate valid for its host name",
            permanent=True,
        )
    return DeliveryError(f"{where} could not be reached: {text}", "this is retried")


# --- the answer ----------------------------------------------------------------------------------


def outcome(response: httpx.Response, head: bytes, where: str, redact: Redactor, now: float) -> str:
    """The note for a 2xx answer; raises the classified DeliveryError for anything else."""
    status = response.status_code
    if 200 <= status < 300:
        return f"posted to {where} (HTTP {status})"
    said = f"{where} answered HTTP {status} {response.reason_phrase}".rstrip()
    text = snippet(head, redact)
    raise status_error(response, f"{said}: {text}" if text else said, redact, now)


def status_error(
    response: httpx.Response, said: str, redact: Redactor, now: float
) -> DeliveryError:
    """What a non-2xx status means: moved, gone, refused credentials, busy or broken."""
    status = response.status_code
    if 300 <= status < 400:
        moved = snippet(response.headers.get("location", "").encode(), redact) or "elsewhere"
        return DeliveryError(
            f"{said} (the webhook url moved to {moved})",
            "update the url in the schedule to the new address; redirects are not followed",
            permanent=True,
        )
    if status == 410:
        return DeliveryError(
            f"{said} (the receiver says this endpoint is gone)",
            "ask the receiver for its new url, then update or remove this delivery",
            permanent=True,
        )
    if status in (401, 403):
        hint = (
            "the receiver refused the credentials: check the variables named by secret_env and"
            " token_env against what the receiver expects"
        )
        return DeliveryError(said, hint, permanent=True)
    if status in TRANSIENT or status >= 500:
        wait = retry_after(response.headers.get("retry-after"), now)
        return DeliveryError(said, "this is retried", retry_after=wait)
    hint = "the receiver refused the request; check the url and what it accepts"
    return DeliveryError(said, hint, permanent=True)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP-date), capped; None if absent."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        seconds = float(text)
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - now
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def snippet(data: bytes, redact: Redactor) -> str:
    """The start of a response body on one line, secrets masked, at most SNIPPET characters."""
    text = redact(" ".join(_one_line(data[:_READ].decode("utf-8", "replace")).split()))
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
