"""`email:` under `deliver:`: who gets the file, with which subject and body."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StrictBool

from gitcron.config.addresses import Emails
from gitcron.config.base import EmailTemplate, Strict, Template, about


class EmailTarget(Strict):
    to: Annotated[
        Emails,
        about(
            "who gets it: one address, or a list",
            ["buyer@acme.example"],
            "Acme Buying <buying@acme.example>",
        ),
    ]
    cc: Annotated[Emails | None, about("copied, visible to all", ["manager@acme.example"])] = None
    bcc: Annotated[
        Emails | None, about("copied without the others seeing it", ["archive@ourco.example"])
    ] = None
    subject: Annotated[
        Template | None,
        about("the subject line (a template)", "Products for {{ run.local_date }}"),
    ] = None
    body: Annotated[
        EmailTemplate | None,
        about("the message text (a template)", "Hello,\n\nthe products file is attached.\n"),
    ] = None
    html: Annotated[
        EmailTemplate | None,
        about("the message as HTML (a template)", "<p>The products file is attached.</p>"),
    ] = None
    attach: Annotated[StrictBool, about("attach the file (false to send only a link)", False)] = (
        True
    )
    link: Annotated[
        StrictBool,
        about(
            "put a download link in the message; needs a storage delivery with link_expires"
            " above this one",
            True,
        ),
    ] = False
    too_large: Annotated[
        Literal["fail", "link", "zip"],
        about(
            "when the file is over the attachment limit or the mail server's SIZE: fail, send"
            " the storage link instead (needs a storage delivery with link_expires above), or"
            " attach it zipped",
            "link",
        ),
    ] = "fail"

    @property
    def needs_links(self) -> bool:
        """It may carry the storage links of its run (`link: true`, or `too_large: link`)."""
        return self.link or self.too_large == "link"
