"""`retry:` and `notify:`: a schedule's own or gitcron.yaml's defaults."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field

from gitcron.config.addresses import Emails
from gitcron.config.base import Strict, about, url_field
from gitcron.config.fields import Duration


class Retry(Strict):
    attempts: Annotated[int, about("how many more tries after the first (0 to 20)", 3)] = Field(
        3, ge=0, le=20
    )
    backoff: Annotated[
        Duration, about("the wait before the first retry; it doubles each time", "5m")
    ] = timedelta(minutes=5)


class Notify(Strict):
    on: Annotated[
        list[Literal["failure", "partial", "success", "missed"]],
        about(
            "which outcomes to tell: failure, partial, missed, success",
            ["failure", "partial", "missed"],
        ),
    ] = ["failure", "partial"]
    email: Annotated[Emails | None, about("who to email", ["ops@ourco.example"])] = None
    webhook: Annotated[
        Annotated[str, url_field(("https", "http"))] | None,
        about("an address to POST the news to", "https://hooks.ourco.example/gitcron"),
    ] = None
