"""What Slack's answers mean: posted, rate limited, broken for now, or refused for good.

Slack answers in two ways. An incoming webhook says it with the HTTP status and a word in plain
text (`400 invalid_payload`, `403 action_prohibited`, `404 channel_not_found`, `410
channel_is_archived`). The Web API (the bot token's file upload) answers HTTP 200 with
`{"ok": false, "error": "invalid_auth"}`, and 429 with Retry-After when rate limited. Either way a
429 or a 5xx (or Slack's own `internal_error`...) is tried again after the pause Slack asked for;
everything else is permanent, with what to fix.
"""

from __future__ import annotations

import json
from typing import Any

from gitcron.channels.base import DeliveryError
from gitcron.channels.chat_http import Answer, busy
from gitcron.core.redact import Redactor

TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
REFUSED_TOKEN = frozenset(
    {
        *("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"),
        *("no_permission", "missing_scope", "not_allowed_token_type", "ekm_access_denied"),
    }
)
CHANNEL = frozenset({"channel_not_found", "not_in_channel", "is_archived", "invalid_channel"})
_GONE = frozenset({"no_service", "no_team", "team_disabled", "channel_is_archived"})


def webhook_outcome(answer: Answer, where: str, redact: Redactor, now: float) -> str:
    """The note for an incoming webhook's 200; the classified DeliveryError otherwise."""
    if answer.status == 200:
        return f"posted to Slack ({where})"
    word = answer.quoted(redact)
    said = f"Slack ({where}) answered HTTP {answer.status} {word or answer.reason}".rstrip()
    if answer.status == 429 or answer.status >= 500:
        raise busy(said, answer.headers, now)
    if answer.status in (403, 404, 410) or word in _GONE:
        raise DeliveryError(
            said,
            "the webhook was removed, or its channel archived or closed to it: make a new"
            " incoming webhook in Slack and store its URL in the credential's variable",
            permanent=True,
        )
    raise DeliveryError(
        said,
        "Slack refused the message; if the text is very long or unusual, shorten the schedule's"
        " text:",
        permanent=True,
    )


def api_result(answer: Answer, method: str, redact: Redactor, now: float) -> dict[str, Any]:
    """A Web API method's JSON when `ok` is true; the classified DeliveryError otherwise."""
    said = f"Slack's {method}"
    if answer.status == 429 or answer.status >= 500:
        raise busy(f"{said} answered HTTP {answer.status} {answer.reason}", answer.headers, now)
    try:
        found = json.loads(answer.body)
    except ValueError:
        found = None
    if answer.status != 200 or not isinstance(found, dict):
        text = answer.quoted(redact)
        raise DeliveryError(
            f"{said} answered HTTP {answer.status} {answer.reason}: {text}".rstrip(": "),
            "check the api: address of the delivery (Slack's own is https://slack.com/api)",
            permanent=True,
        )
    if found.get("ok") is True:
        return found
    error = redact(str(found.get("error") or "an unnamed error"))[:100]
    return _refused(f"{said} answered {error}", error, answer, now)


def _refused(said: str, error: str, answer: Answer, now: float) -> dict[str, Any]:
    if error in TRANSIENT:
        raise busy(said, answer.headers, now)
    if error in REFUSED_TOKEN:
        hint = (
            "Slack refused the bot token: check what the credential's variable holds (a bot token,"
            " xoxb-...) and that the app has the files:write scope and is still installed"
        )
    elif error in CHANNEL:
        hint = (
            "check the channel: ID in the schedule, and invite the app to that channel"
            " (/invite @your-app in Slack)"
        )
    else:
        hint = "see Slack's documentation of this error for the method named"
    raise DeliveryError(said, hint, permanent=True)
