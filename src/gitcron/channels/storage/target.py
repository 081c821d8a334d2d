"""`storage:` under `deliver:`: a folder in the repository, `file://` or `s3://`."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, model_validator

from gitcron.config.base import FilenameTemplate, Strict, about, exactly_one, one_of, url_field
from gitcron.config.fields import Duration


class StorageTarget(Strict):
    """Exactly one of url or path."""

    model_config = ConfigDict(json_schema_extra=one_of(("url", "path")))

    url: Annotated[
        Annotated[str, url_field(("s3", "file"))] | None,
        about("an s3:// bucket and folder, or a file:// folder", "s3://acme-reports/exports"),
    ] = None
    path: Annotated[str | None, about("a folder of this repository", "exports/acme")] = None
    key: Annotated[
        FilenameTemplate | None,
        about(
            "the stored file's name (a template; default: the report's filename)",
            "acme-{{ run.local_date }}.xlsx",
        ),
    ] = None
    link_expires: Annotated[
        Duration | None,
        about("make a download link for the email, valid this long", "7d"),
    ] = None

    @model_validator(mode="after")
    def _one_place(self) -> StorageTarget:
        exactly_one(self, ("url", "path"), "a storage delivery names one place", "path: exports")
        return self
