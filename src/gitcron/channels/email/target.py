"""`email:` under `deliver:`: who gets the file, with which subject and body."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, StrictBool

from gitcron.config.addresses import Emails
from gitcron.config.base import EmailTemplate, Strict, Template, about


def _to_may_come_from_the_customer(schema: dict[str, Any]) -> None:
    """An editor accepts an email without `to`: the customer file may give it (`to:` there), and
    a bursting report's parts give their own; validate, which reads both files, says when none
    does (catalog/burst_checks.py)."""
    required = [name for name in schema.get("required", []) if name != "to"]
    if required:
        schema["required"] = required
    else:
        schema.pop("required", None)


class EmailTarget(Strict):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra=_to_may_come_from_the_customer
    )

    to: Annotated[
        Emails | None,
        about(
            "who gets it: one address, or a list (default: `to` of the customer file; a bursting"
            " report sends each part to its own recipients instead)",
            ["buyer@acme.example"],
            "Acme Buying <buying@acme.example>",
        ),
    ] = None
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
