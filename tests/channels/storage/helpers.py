"""The channel tests' gitcron.yaml with storage roots declared (`channels.storage.roots`)."""

from __future__ import annotations

from channels.helpers import settings
from gitcron.config.settings import Settings


def with_roots(*roots: str) -> Settings:
    """`settings()` granting local storage exactly `roots` (none: local storage is refused)."""
    data = settings().model_dump(by_alias=True, exclude_unset=True)
    data["channels"]["storage"] = {"roots": list(roots)}
    return Settings.model_validate(data)
