"""`email:` under `deliver:`: who gets the file, with which subject and body."""

from __future__ import annotations

from pydantic import StrictBool

from gitcron.config.addresses import Emails
from gitcron.config.base import EmailTemplate, Strict, Template


class EmailTarget(Strict):
    to: Emails
    cc: Emails | None = None
    bcc: Emails | None = None
    subject: Template | None = None
    body: EmailTemplate | None = None
    html: EmailTemplate | None = None
    attach: StrictBool = True
    link: StrictBool = False
