"""`retry:` and `notify:`: a schedule's own or gitcron.yaml's defaults."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field

from gitcron.config.addresses import Emails
from gitcron.config.base import Strict, url_field
from gitcron.config.fields import Duration


class Retry(Strict):
    attempts: int = Field(3, ge=0, le=20)
    backoff: Duration = timedelta(minutes=5)


class Notify(Strict):
    on: list[Literal["failure", "partial", "success", "missed"]] = ["failure", "partial"]
    email: Emails | None = None
    webhook: Annotated[str, url_field(("https", "http"))] | None = None
