"""`outbox:` under `deliver:`: a local folder that receives everything (dry runs, tries).

Its `dir:` is any folder in the repository except gitcron's own (state/, .git/, schedules/ ...):
the tick commits state/ and reads schedules/, so a schedule must not be able to write there.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from gitcron.config.base import Strict, about
from gitcron.config.fields import bad
from gitcron.config.roots import own_path


def _not_own(value: str) -> str:
    reason = own_path(value)
    if reason:
        raise bad(
            f"outbox dir '{value}' {reason}: no delivery may write there",
            "use a folder of its own, e.g. dir: outbox",
            kind="target",
        )
    return value


class OutboxTarget(Strict):
    dir: Annotated[
        Annotated[str, AfterValidator(_not_own)] | None,
        about("the folder (default: channels.outbox.dir in gitcron.yaml)", "outbox/acme"),
    ] = None
