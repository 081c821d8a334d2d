"""`storage:` under `deliver:`: a folder in the repository, `file://` or `s3://`."""

from __future__ import annotations

from typing import Annotated

from pydantic import model_validator

from gitcron.config.base import FilenameTemplate, Strict, exactly_one, url_field
from gitcron.config.fields import Duration


class StorageTarget(Strict):
    url: Annotated[str, url_field(("s3", "file"))] | None = None
    path: str | None = None
    key: FilenameTemplate | None = None
    link_expires: Duration | None = None

    @model_validator(mode="after")
    def _one_place(self) -> StorageTarget:
        exactly_one(self, ("url", "path"), "a storage delivery names one place", "path: exports")
        return self
