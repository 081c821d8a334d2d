"""Signing a webhook the Standard Webhooks 1.0 way, and the bearer token beside it.

`webhook-id` is the run id (the same on every retry, so receivers can drop duplicates),
`webhook-timestamp` is the attempt's own time, and `webhook-signature` is an HMAC-SHA256 over
`id.timestamp.body` with the key inside a `whsec_<base64>` secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from gitcron import __version__
from gitcron.channels.base import DeliveryError

USER_AGENT = f"gitcron/{__version__}"
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One POST: what is sent, where, under which id, signed and authorised with what."""

    url: str
    body: bytes
    content_type: str
    message_id: str
    secret: str | None = None  # `whsec_<base64>`
    token: str | None = None  # sent as `Authorization: Bearer <token>`

    @property
    def secrets(self) -> list[str]:
        """What errors must never show: the token, the secret, and the secret's key."""
        found = [self.token] if self.token else []
        if self.secret:
            found += [self.secret, self.secret.removeprefix(SECRET_PREFIX)]
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
