"""What a receiver's answer means: delivered, moved, gone, refused credentials, busy or broken.

Only 2xx is a delivery. Errors quote the start of the answer on one line with the secrets masked;
a busy or broken receiver is tried again, after its own Retry-After when it gives one.
"""

from __future__ import annotations

from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from gitcron.channels.base import DeliveryError
from gitcron.channels.webhook.body import one_line
from gitcron.core.redact import Redactor

if TYPE_CHECKING:
    import httpx

TRANSIENT = frozenset({429, 502, 503, 504})  # and every other 5xx
MAX_RETRY_AFTER = 6 * 3600.0  # a receiver asking for more is still asked again after 6 h
SNIPPET = 200  # characters of a response body quoted in an error
READ = 4096  # bytes of a response body read at most


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
            "the receiver refused the credentials: check what the variables behind secret"
            " (secret_env) and token (token_env) hold against what the receiver expects"
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
    text = redact(" ".join(one_line(data[:READ].decode("utf-8", "replace")).split()))
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
