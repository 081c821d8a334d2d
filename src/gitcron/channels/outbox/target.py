"""`outbox:` under `deliver:`: a local folder that receives everything (dry runs, tries)."""

from __future__ import annotations

from gitcron.config.base import Strict


class OutboxTarget(Strict):
    dir: str | None = None
