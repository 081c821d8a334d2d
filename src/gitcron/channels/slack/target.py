"""`slack:` under `deliver:`: a message with the file's link, or the file itself, in Slack.

Two ways in, each a credential of gitcron.yaml granted `for: slack` (docs/grants.md):
`webhook:` names one holding an incoming webhook URL (a message; the file goes as a link made by a
storage delivery above), `token:` one holding a bot token (the file uploaded to `channel:`).
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, WithJsonSchema, model_validator

from gitcron.config.base import EmailTemplate, Strict, about, exactly_one, url_field
from gitcron.config.credentials import CredentialName, Use
from gitcron.config.fields import Duration, bad

API = "https://slack.com/api"
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})  # a stand-in on the runner itself
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{8,20}$")


def _channel_id(value: str) -> str:
    text = value.strip()
    if not _CHANNEL_ID.match(text):
        raise bad(
            f"'{value}' is not a Slack channel ID",
            "write the channel's ID (in Slack: the channel's name > About, at the bottom),"
            " e.g. C0123456789; names like #reports are not accepted by file uploads",
            kind="target",
        )
    return text


ChannelId = Annotated[
    str,
    AfterValidator(_channel_id),
    WithJsonSchema({"type": "string", "pattern": _CHANNEL_ID.pattern}),
]


class SlackTarget(Strict):
    webhook: Annotated[
        CredentialName | None,
        about(
            "the credential in gitcron.yaml holding an incoming webhook URL: posts a message"
            " with the file's link (docs/grants.md)",
            "acme-slack",
        ),
    ] = None
    token: Annotated[
        CredentialName | None,
        about(
            "the credential in gitcron.yaml holding a bot token (xoxb-...): uploads the file"
            " to channel (docs/grants.md)",
            "acme-slack-bot",
        ),
    ] = None
    channel: Annotated[
        ChannelId | None,
        about("the channel's ID the file is uploaded to (with token)", "C0123456789"),
    ] = None
    text: Annotated[
        EmailTemplate | None,
        about(
            "the message (a template; `links` holds the storage links)",
            "Products for {{ run.local_date }}",
        ),
    ] = None
    api: Annotated[
        str,
        url_field(("https", "http")),
        about("Slack's Web API address (with token); the default is Slack's own", API),
    ] = API
    timeout: Annotated[
        Duration | None, about("how long to wait for Slack (default 30s)", "30s")
    ] = None

    @model_validator(mode="after")
    def _one_way_in(self) -> SlackTarget:
        exactly_one(self, ("webhook", "token"), "a Slack delivery", "webhook: acme-slack")
        if self.token is not None and self.channel is None:
            raise bad(
                "a Slack upload with token: needs the channel: to upload to",
                "add channel: with the channel's ID, e.g. channel: C0123456789",
                kind="target",
            )
        host = urlsplit(self.api.strip()).hostname or ""
        if self.api.strip().lower().startswith("http://") and host not in _LOOPBACK:
            raise bad(
                "the api: address starts with http://, so the bot token would travel unencrypted",
                f"use https://, or leave api: out for Slack's own ({API})",
                kind="target",
            )
        if self.webhook is not None and self.channel is not None:
            raise bad(
                "channel: does not apply to an incoming webhook, which posts to its own channel",
                "remove channel:, or use token: (a bot token) to upload to that channel",
                kind="target",
            )
        return self

    @property
    def uploads(self) -> bool:
        """True: the file goes to Slack (bot token); False: a message with a storage link."""
        return self.token is not None

    @property
    def needs_links(self) -> bool:
        """A report reaches an incoming webhook only as its storage links."""
        return not self.uploads

    def uses(self) -> dict[str, Use]:
        """The credential this delivery names, by role: `webhook` or `token`."""
        if self.webhook is not None:
            return {"webhook": Use("webhook", self.webhook)}
        return {"token": Use("token", self.token or "")}

    def address(self) -> str | None:
        """Where the token is sent (the Web API); None when the credential holds the address."""
        return f"{self.api.rstrip('/')}/" if self.uploads else None
