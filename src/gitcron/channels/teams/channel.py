"""The `teams:` channel: an Adaptive Card with the file's link, posted to a Workflows webhook.

The credential's variable holds the webhook URL, signature included, so the grant is checked on
that URL (channels/grants.py) and no error shows more of it than its host. The card is the
message shape the Workflows trigger "When a Teams webhook request is received" documents: a
`message` with one Adaptive Card attachment, the links as its "Download" buttons.

Answers: 200 or 202 is a delivery; 429 and 5xx are tried again after the pause asked for; 401,
403 and 404 mean the URL's signature or its workflow is gone, 400 that the flow refused the card,
all permanent, quoting the flow's `error.code` and `error.message`.

The card shows no internal id: the run's id travels in the request's `X-Gitcron-Run` header,
which the flow reads as `triggerOutputs()['headers']['X-Gitcron-Run']`, and in the message's
`gitcron` field beside its attachments, which the card does not draw.
"""

from __future__ import annotations

import json
from typing import Any

from gitcron import __version__
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.chat_http import Answer, Request, busy, parse, send
from gitcron.channels.chat_message import RUN_HEADER, Message, chat_message, run_metadata
from gitcron.channels.grants import granted_url
from gitcron.channels.teams.target import TeamsTarget
from gitcron.channels.webhook.send import Wire
from gitcron.core.redact import Redactor

USER_AGENT = f"gitcron/{__version__}"
CARD = "application/vnd.microsoft.card.adaptive"


class TeamsChannel:
    """`teams: {webhook, title, text, timeout}`."""

    def __init__(self, wire: Wire | None = None) -> None:
        self.wire = wire or Wire()

    def deliver(self, target: TeamsTarget, ctx: DeliveryContext) -> str | None:
        secret = granted_url(target.uses()["webhook"], "teams", ctx)
        url = parse(secret, "the Teams workflow")
        signature = url.params.get("sig") or ""
        redact = Redactor([secret, signature, url.query.decode("ascii", "replace")])
        message = chat_message(target.text, target.title, ctx, linked=True, kind="Teams")
        body = json.dumps(card(message, run_metadata(ctx)), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            RUN_HEADER: ctx.run.run_id,
        }
        where = f"the Teams workflow at {url.host}"
        answer = send(
            Request(url, body, headers, where, redact), ctx.settings, target.timeout, self.wire
        )
        return outcome(answer, where, redact, self.wire.clock())


def card(message: Message, metadata: dict[str, str]) -> dict[str, Any]:
    """The Workflows webhook's body: a message with one Adaptive Card (title, text, buttons),
    and `metadata` (the run's id) beside it for the flow, never drawn."""
    content: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": message.title, "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": message.text, "wrap": True},
        ],
    }
    if message.links and not message.links_placed:
        content["actions"] = [
            {
                "type": "Action.OpenUrl",
                "title": "Download" if n == 0 else f"Download ({n + 1})",
                "url": link,
            }
            for n, link in enumerate(message.links)
        ]
    attachment = {"contentType": CARD, "contentUrl": None, "content": content}
    return {"type": "message", "attachments": [attachment], "gitcron": metadata}


def outcome(answer: Answer, where: str, redact: Redactor, now: float) -> str:
    """The note for a 2xx; the classified DeliveryError otherwise."""
    status = answer.status
    if 200 <= status < 300:
        return f"posted to {where} (HTTP {status})"
    said = f"{where} answered HTTP {status} {answer.reason}"
    found = _error(answer, redact)
    said = f"{said}: {found}" if found else said
    if status == 429 or status >= 500:
        raise busy(said, answer.headers, now)
    if status in (401, 403, 404):
        hint = (
            "the workflow was deleted or turned off, or its URL changed: copy the URL again from"
            " the workflow's trigger in Teams and store it in the credential's variable"
        )
    elif 300 <= status < 400:
        hint = "redirects are not followed: store the workflow's current URL in the variable"
    else:
        hint = "the workflow refused the card: check its trigger accepts Adaptive Cards"
    raise DeliveryError(said, hint, permanent=True)


def _error(answer: Answer, redact: Redactor) -> str:
    """`code: message` from the flow's `{"error": {...}}`, else the start of the body."""
    try:
        found = json.loads(answer.body)
    except ValueError:
        found = None
    error = found.get("error") if isinstance(found, dict) else None
    if isinstance(error, dict):
        text = f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
        return redact(" ".join(text.split()))[:200]
    return answer.quoted(redact)
