"""`webhook:` under `deliver:`: an HTTP POST of the file or event, signed.

`secret:` and `token:` name credentials of gitcron.yaml (docs/grants.md); the older `secret_env:`
and `token_env:` name a variable, which gitcron.yaml must grant all the same.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import model_validator

from gitcron.config.base import Strict, url_field
from gitcron.config.credentials import CredentialName, Use
from gitcron.config.fields import Duration, EnvName, bad


class WebhookTarget(Strict):
    url: Annotated[str, url_field(("https", "http"))]
    secret: CredentialName | None = None  # signs every request (Standard Webhooks)
    token: CredentialName | None = None  # sent as `Authorization: Bearer <token>`
    secret_env: EnvName | None = None
    token_env: EnvName | None = None
    timeout: Duration | None = None

    @model_validator(mode="after")
    def _one_name_each(self) -> WebhookTarget:
        for key in ("secret", "token"):
            if getattr(self, key) is not None and getattr(self, f"{key}_env") is not None:
                raise bad(
                    f"both {key} and {key}_env are given",
                    f"keep only {key}: (the credential's name in gitcron.yaml)",
                    kind="target",
                )
        return self

    def uses(self) -> dict[str, Use]:
        """The credentials this webhook names, by role: `secret` and `token`."""
        found = {}
        for role in ("secret", "token"):
            name, variable = getattr(self, role), getattr(self, f"{role}_env")
            if name is not None:
                found[role] = Use(role, name)
            elif variable is not None:
                found[role] = Use(f"{role}_env", variable)
        return found
