"""`teams:` under `deliver:`: a message with the file's link in a Microsoft Teams channel or chat.

`webhook:` names a credential of gitcron.yaml (granted `for: teams`, docs/grants.md) holding the
URL of a Workflows webhook ("When a Teams webhook request is received"); the URL carries its own
signature, so it is the secret. A Teams webhook cannot carry files: the file goes as a link made
by a storage delivery above.
"""

from __future__ import annotations

from typing import Annotated

from gitcron.config.base import EmailTemplate, Strict, about
from gitcron.config.credentials import CredentialName, Use
from gitcron.config.fields import Duration


class TeamsTarget(Strict):
    webhook: Annotated[
        CredentialName,
        about(
            "the credential in gitcron.yaml holding the Workflows webhook URL (docs/grants.md)",
            "acme-teams",
        ),
    ]
    title: Annotated[
        EmailTemplate | None,
        about("the card's title (a template)", "Products for {{ run.local_date }}"),
    ] = None
    text: Annotated[
        EmailTemplate | None,
        about("the card's text (a template; `links` holds the storage links)", "Here it is."),
    ] = None
    timeout: Annotated[
        Duration | None, about("how long to wait for Teams (default 30s)", "30s")
    ] = None

    @property
    def uploads(self) -> bool:
        """A Teams webhook never carries the file itself: always a link."""
        return False

    @property
    def needs_links(self) -> bool:
        """A report reaches Teams only as its storage links."""
        return True

    def uses(self) -> dict[str, Use]:
        """The credential this delivery names: its `webhook`."""
        return {"webhook": Use("webhook", self.webhook)}

    def address(self) -> str | None:
        """None: the credential holds the address."""
        return None
