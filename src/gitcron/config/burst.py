"""`burst:` of a report: one file per value of a column, each for the recipients of that value.

Data never decides on its own where customer data goes: recipients come from the schedule's
`to:` map (value -> addresses, reviewed with the file), or from a column of the data only when
each address matches the schedule's reviewed `allow:` list (domains or whole addresses). A cap on
parts keeps a column with unexpected values from sending a flood.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from gitcron.config.addresses import Emails
from gitcron.config.base import Strict, about
from gitcron.config.fields import bad

MAX_PARTS = 1000  # the most any schedule may ask for


class Burst(Strict):
    by: Annotated[str, Field(min_length=1), about("the column that splits the report", "region")]
    to: Annotated[
        dict[str, Emails] | None,
        about(
            "who gets each value's part: value -> addresses",
            {"north": ["north@acme.example"], "south": ["south@acme.example"]},
        ),
    ] = None
    to_column: Annotated[
        str | None,
        about("a column holding each part's addresses (only those allow: lists go)", "email"),
    ] = None
    allow: Annotated[
        list[Annotated[str, Field(min_length=3)]] | None,
        about(
            "the addresses or domains a to_column address must match (reviewed here)",
            ["acme.example", "owner@partner.example"],
        ),
    ] = None
    max_parts: Annotated[
        int, Field(ge=1, le=MAX_PARTS), about("the most parts one run may make", 50)
    ] = 50

    @model_validator(mode="after")
    def _recipients_are_reviewed(self) -> Burst:
        if self.to is None and self.to_column is None:
            raise bad(
                "a burst needs to say who gets each part",
                "add to: {value: [address]} or to_column: with allow:",
                kind="target",
            )
        if self.to_column is not None and not self.allow:
            raise bad(
                "addresses from the data (to_column) need the allow: list they must match",
                "add allow: [acme.example] with the domains or addresses that may receive parts",
                kind="target",
            )
        return self

    def allows(self, address: str) -> bool:
        """Whether an address from the data matches `allow:` (a whole address, or its domain)."""
        plain = address.strip().lower()
        domain = plain.rpartition("@")[2]
        for entry in self.allow or ():
            wanted = entry.strip().lower()
            if wanted == plain or ("@" not in wanted.lstrip("@") and domain == wanted.lstrip("@")):
                return True
        return False
