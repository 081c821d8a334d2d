"""`webhook:` under `deliver:`: an HTTP POST of the file or event, signed."""

from __future__ import annotations

from typing import Annotated

from gitcron.config.base import Strict, url_field
from gitcron.config.fields import Duration, EnvName


class WebhookTarget(Strict):
    url: Annotated[str, url_field(("https", "http"))]
    secret_env: EnvName | None = None
    token_env: EnvName | None = None
    timeout: Duration | None = None
