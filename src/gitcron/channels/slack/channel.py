"""The `slack:` channel: a message with the file's link, or the file uploaded by a bot.

With `webhook:` the credential's variable holds an incoming webhook URL: the grant is checked on
that URL (channels/grants.py) and one JSON message is posted. With `token:` the file is uploaded
the way Slack documents it: `files.getUploadURLExternal` (name and size, answers an upload URL and
a file id), the bytes POSTed to that URL (no token goes there), then `files.completeUploadExternal`
shares the file to the channel with the message as its comment. A retry repeats the three steps:
Slack discards an upload that was never completed.

The run's id goes where Slack's apps read it and people do not: the message's metadata
(`event_type` `gitcron_delivery`, Slack's message metadata, which incoming webhooks accept) and
the `X-Gitcron-Run` header of the webhook's request. An upload's comment has no metadata field.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from gitcron import __version__
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.chat_http import Answer, Request, busy, parse, send
from gitcron.channels.chat_message import RUN_HEADER, Message, chat_message, run_metadata
from gitcron.channels.grants import granted_url, granted_variable, named_by, variable_value
from gitcron.channels.slack.answer import api_result, webhook_outcome
from gitcron.channels.slack.target import SlackTarget
from gitcron.channels.webhook.send import Wire
from gitcron.config.destinations import Destination
from gitcron.core.redact import Redactor

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"gitcron/{__version__}"
JSON = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
METADATA_EVENT = "gitcron_delivery"  # a Slack metadata event type: letters and underscores


class SlackChannel:
    """`slack: {webhook | token + channel, text, api, timeout}`."""

    def __init__(self, wire: Wire | None = None) -> None:
        self.wire = wire or Wire()

    def deliver(self, target: SlackTarget, ctx: DeliveryContext) -> str | None:
        if target.uploads:
            return self._upload(target, ctx)
        secret = granted_url(target.uses()["webhook"], "slack", ctx)
        url = parse(secret, "the Slack webhook")
        host = url.host
        redact = Redactor([secret, url.path, url.path.rsplit("/", 1)[-1]])
        message = chat_message(target.text, None, ctx, linked=True, kind="Slack")
        body = json.dumps(payload(message, run_metadata(ctx)), ensure_ascii=False).encode()
        headers = {"Content-Type": JSON, "User-Agent": USER_AGENT, RUN_HEADER: ctx.run.run_id}
        request = Request(url, body, headers, f"Slack ({host})", redact)
        answer = send(request, ctx.settings, target.timeout, self.wire)
        return webhook_outcome(answer, host, redact, self.wire.clock())

    def _upload(self, target: SlackTarget, ctx: DeliveryContext) -> str:
        use = target.uses()["token"]
        base = target.address() or ""
        api = parse(base, "Slack's Web API")
        to = Destination.of(api.scheme, api.raw_host.decode("ascii"), api.port, api.path)
        variable = granted_variable(use, "slack", to, ctx) or ""
        token = variable_value(variable, ctx.env, named_by(use), "Slack upload")
        redact = Redactor([token])
        artifact = ctx.artifact
        data = artifact.data()
        message = chat_message(target.text, None, ctx, linked=False, kind="Slack")
        calls = _Api(base, token, redact, target, ctx, self.wire)
        found = calls.call("files.getUploadURLExternal", filename=artifact.name, length=len(data))
        upload_url, file_id = str(found.get("upload_url", "")), str(found.get("file_id", ""))
        if not upload_url or not file_id:
            raise DeliveryError(
                "Slack's files.getUploadURLExternal answered without an upload_url or file_id",
                "this is retried; if it persists, check the api: address of the delivery",
            )
        _send_file(parse(upload_url, "Slack's upload address"), data, calls)
        calls.call(
            "files.completeUploadExternal",
            files=json.dumps([{"id": file_id, "title": message.title}]),
            channel_id=target.channel or "",
            initial_comment=message.text,
        )
        return f"uploaded {artifact.name} to Slack channel {target.channel} (file {file_id})"


def payload(message: Message, metadata: dict[str, str]) -> dict[str, object]:
    """An incoming webhook's JSON: the message in Slack's mrkdwn, links as `<url|name>`, and
    `metadata` (the run's id) as the message's metadata, which Slack does not show."""
    lines = [f"*{escape(message.title)}*", escape(message.text)]
    if message.links and not message.links_placed:
        lines += [f"<{escape(link)}|Download>" for link in message.links]
    return {
        "text": "\n".join(line for line in lines if line),
        "unfurl_links": False,
        "metadata": {"event_type": METADATA_EVENT, "event_payload": metadata},
    }


def escape(text: str) -> str:
    """Slack's three control characters as entities, so data never becomes a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Api:
    """Calls of Slack's Web API with the bot token, for one delivery."""

    def __init__(
        self,
        base: str,
        token: str,
        redact: Redactor,
        target: SlackTarget,
        ctx: DeliveryContext,
        wire: Wire,
    ) -> None:
        self.base, self.token, self.redact = base, token, redact
        self.target, self.ctx, self.wire = target, ctx, wire

    def call(self, method: str, **fields: str | int) -> dict[str, object]:
        url = parse(f"{self.base}{method}", "Slack's Web API")
        headers = {
            "Content-Type": FORM,
            "Authorization": f"Bearer {self.token}",
            "User-Agent": USER_AGENT,
        }
        body = urlencode({k: str(v) for k, v in fields.items()}).encode()
        answer = self.post(Request(url, body, headers, f"Slack's {method}", self.redact))
        return api_result(answer, method, self.redact, self.wire.clock())

    def post(self, request: Request) -> Answer:
        return send(request, self.ctx.settings, self.target.timeout, self.wire)


def _send_file(url: httpx.URL, data: bytes, calls: _Api) -> None:
    """The file's bytes to the upload URL Slack gave: no token, 200 means received."""
    headers = {"Content-Type": "application/octet-stream", "User-Agent": USER_AGENT}
    answer = calls.post(Request(url, data, headers, f"Slack's upload ({url.host})", calls.redact))
    if answer.status == 200:
        return
    said = f"Slack's upload ({url.host}) answered HTTP {answer.status} {answer.reason}"
    if answer.status == 429 or answer.status >= 500:
        raise busy(said, answer.headers, calls.wire.clock())
    raise DeliveryError(
        f"{said}: {answer.quoted(calls.redact)}".rstrip(": "),
        "Slack refused the file; this is not retried",
        permanent=True,
    )
