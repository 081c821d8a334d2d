"""`webhook:` under `deliver:`: an HTTP POST of the file or event, signed."""

from __future__ import annotations

from typing import Annotated

from gitcron.config.base import Strict, about, url_field
from gitcron.config.fields import Duration, EnvName


class WebhookTarget(Strict):
    url: Annotated[
        str,
        url_field(("https", "http")),
        about("the receiver's address", "https://hooks.acme.example/gitcron"),
    ]
    secret_env: Annotated[
        EnvName | None,
        about(
            "the name of the environment variable holding the signing secret (never the secret)",
            "ACME_WEBHOOK_SECRET",
        ),
    ] = None
    token_env: Annotated[
        EnvName | None,
        about(
            "the name of the environment variable holding a bearer token (never the token)",
            "ACME_WEBHOOK_TOKEN",
        ),
    ] = None
    timeout: Annotated[
        Duration | None,
        about("how long to wait for the receiver (default: channels.webhook.timeout)", "30s"),
    ] = None
