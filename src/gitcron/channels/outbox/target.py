"""`outbox:` under `deliver:`: a local folder that receives everything (dry runs, tries)."""

from __future__ import annotations

from typing import Annotated

from gitcron.config.base import Strict, about


class OutboxTarget(Strict):
    dir: Annotated[
        str | None,
        about("the folder (default: channels.outbox.dir in gitcron.yaml)", "outbox/acme"),
    ] = None
