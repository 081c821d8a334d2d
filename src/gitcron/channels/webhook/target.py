"""`webhook:` under `deliver:`: an HTTP POST of the file or event, signed.

`secret:` and `token:` name credentials of gitcron.yaml (docs/grants.md); the older `secret_env:`
and `token_env:` name a variable, which gitcron.yaml must grant all the same.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import model_validator

from gitcron.config.base import Strict, about, url_field
from gitcron.config.credentials import CredentialName, Use, named_uses, one_name_each
from gitcron.config.fields import Duration, EnvName


class WebhookTarget(Strict):
    url: Annotated[
        str,
        url_field(("https", "http")),
        about("the receiver's address", "https://hooks.acme.example/gitcron"),
    ]
    secret: Annotated[  # signs every request (Standard Webhooks)
        CredentialName | None,
        about(
            "the name of the credential in gitcron.yaml that signs each request (docs/grants.md)",
            "acme-hooks",
        ),
    ] = None
    token: Annotated[  # sent as `Authorization: Bearer <token>`
        CredentialName | None,
        about(
            "the name of the credential in gitcron.yaml sent as a bearer token (docs/grants.md)",
            "acme-token",
        ),
    ] = None
    secret_env: Annotated[
        EnvName | None,
        about(
            "older form of secret: the environment variable gitcron.yaml grants (never the secret)",
            "ACME_WEBHOOK_SECRET",
        ),
    ] = None
    token_env: Annotated[
        EnvName | None,
        about(
            "older form of token: the environment variable gitcron.yaml grants (never the token)",
            "ACME_WEBHOOK_TOKEN",
        ),
    ] = None
    timeout: Annotated[
        Duration | None,
        about("how long to wait for the receiver (default: channels.webhook.timeout)", "30s"),
    ] = None

    @model_validator(mode="after")
    def _one_name_each(self) -> WebhookTarget:
        one_name_each(self, ("secret", "token"))
        return self

    def uses(self) -> dict[str, Use]:
        """The credentials this webhook names, by role: `secret` and `token`."""
        return named_uses(self, ("secret", "token"))
