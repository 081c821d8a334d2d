"""The message an `email:` delivery sends: one Message-ID for the same run and recipients.

Message-ID and MIME boundaries come from the run, so a retry or a replay is recognised as the
same message and receivers can drop the duplicate; `Date:` is when it was sent. What a reader
sees (subject, body, file name) names the report and the period, never an internal id: the run
travels in `X-Gitcron-Run` and the Message-ID. The outbox writes this message too (as .eml).
"""

from __future__ import annotations

import hashlib
import html as markup
import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, getaddresses

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.target import EmailTarget
from gitcron.channels.templating import render
from gitcron.channels.wording import headline, offer, signature

MAX_BODY = 200_000  # characters a rendered body or html part may have
_UNSAFE_SUBJECT = re.compile(r"[\x00-\x1f\x7f]|=\?")
_USES_LINKS = re.compile(r"\blinks\b")  # a body template placing the links itself


def recipients(target: EmailTarget) -> str:
    """The addresses a message goes to, shortened for notes and records."""
    found = [
        a for _, a in getaddresses([*(target.to or ()), *(target.cc or ()), *(target.bcc or ())])
    ]
    if len(found) <= 3:
        return ", ".join(found)
    return f"{', '.join(found[:2])} and {len(found) - 2} more"


def message_key(target: EmailTarget, ctx: DeliveryContext) -> str:
    """A digest of (delivery id, recipients): the idempotency key behind Message-ID and
    boundaries (the run id, and a re-send's attempt: `RunInfo.delivery_id`)."""
    to = ",".join(sorted(a.lower() for a in target.to or ()))
    return hashlib.sha256(f"{ctx.run.delivery_id}\n{to}".encode()).hexdigest()


def build_message(target: EmailTarget, ctx: DeliveryContext) -> EmailMessage:
    """The whole message as it is sent (Bcc included; smtplib drops it on the wire)."""
    if not target.to:  # validate requires `to` except for a bursting report, whose parts give it
        raise DeliveryError(
            f"{ctx.run.schedule_id}: the email names no one to send to",
            "add to: [address] to the email, or to: in the customer file",
            permanent=True,
        )
    key = message_key(target, ctx)
    settings = ctx.settings.channels.email
    message = EmailMessage(policy=SMTP)
    try:
        message["From"] = sender(ctx)
        message["To"] = ", ".join(target.to)
        for name, value in (("Cc", target.cc), ("Bcc", target.bcc)):
            if value:
                message[name] = ", ".join(value)
        reply_to = (ctx.customer and ctx.customer.reply_to) or settings.reply_to
        if reply_to:
            message["Reply-To"] = reply_to
        message["Subject"] = subject(target, ctx)
        message["Date"] = format_datetime(ctx.sent_at().astimezone(ctx.run.zone))
        domain = getaddresses([settings.sender])[0][1].rpartition("@")[2] or "gitcron"
        message["Message-ID"] = f"<{key[:32]}@{domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message["X-Gitcron-Run"] = ctx.run.run_id
    except ValueError as error:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: the email headers cannot be written: {error}",
            "check the addresses in the schedule and channels.email in gitcron.yaml",
            permanent=True,
        ) from error
    links = email_links(target, ctx)
    if target.body:
        body = render(target.body, ctx, "email body", MAX_BODY, links)
        message.set_content(_text_with_links(body, target.body, links))
    else:
        message.set_content(_body(ctx, links, target.attach))
    if target.html:
        html = render(target.html, ctx, "email html", MAX_BODY, links)
        message.add_alternative(_html_with_links(html, target.html, links, ctx), subtype="html")
    if target.attach:
        _attach(message, ctx)
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_gitcron_{key[32:48]}_{number}")
    return message


def subject(target: EmailTarget, ctx: DeliveryContext) -> str:
    """The rendered subject; line breaks or encoded words in it could forge headers, so refuse."""
    if target.subject is None:
        text = default_subject(ctx)
    else:
        text = render(target.subject, ctx, "email subject", 1000).strip()
    if _UNSAFE_SUBJECT.search(text):
        raise DeliveryError(
            f"{ctx.run.schedule_id}: the rendered email subject contains a line break, a control"
            " character or '=?', which could forge mail headers",
            "keep the subject to one line of plain text; check the values it inserts",
            permanent=True,
        )
    return text


def sender(ctx: DeliveryContext) -> str:
    """`channels.email.from`, under the customer file's `sender_name` when it has one."""
    configured = ctx.settings.channels.email.sender
    if ctx.customer is None or ctx.customer.sender_name is None:
        return configured
    address = getaddresses([configured])[0][1]
    return formataddr((ctx.customer.sender_name, address))


def default_subject(ctx: DeliveryContext) -> str:
    """`Products for Acme Ltd, 7 December 2026`: the file's title and the day in words, as a
    person would write the subject (`gitcron.channels.wording`, shared with chat messages)."""
    return headline(ctx)


def _body(ctx: DeliveryContext, links: list[str], attached: bool) -> str:
    """A short letter as a person writes one: what the file is and for which day (as the
    subject names them), the file, its rows, the period when the data has one, a signature."""
    download = f"{_links_text(links)}\n\n" if links else ""
    lead = "please find attached" if attached else "here is"
    return f"Hello,\n\n{offer(ctx, lead, titled=True)}.\n\n{download}{signature(ctx)}"


def email_links(target: EmailTarget, ctx: DeliveryContext) -> list[str]:
    """The storage links a `link: true` email carries, made by earlier deliveries of the run.

    The schedule model has checked that a storage delivery with link_expires comes first.
    """
    if not target.link:
        return []
    return ctx.stored_links(
        "the email has link: true, but the storage delivery listed before it made no link in"
        " this run",
        "the email",
    )


def _links_text(links: list[str]) -> str:
    head = "Download it here:" if len(links) == 1 else "Download it from any of these:"
    return "\n".join([head, *links])


def _text_with_links(body: str, source: str, links: list[str]) -> str:
    """A body template that does not place `links` itself gets them after its text."""
    if not links or _USES_LINKS.search(source):
        return body
    return f"{body.rstrip()}\n\n{_links_text(links)}\n"


def _html_with_links(html: str, source: str, links: list[str], ctx: DeliveryContext) -> str:
    """As for text: the links go before `</body>` unless the template places them."""
    if not links or _USES_LINKS.search(source):
        return html
    name = markup.escape(ctx.artifact.name)
    items = "".join(f'<li><a href="{markup.escape(link)}">{name}</a></li>' for link in links)
    block = f"<p>Download it here:</p><ul>{items}</ul>"
    end = html.lower().rfind("</body>")
    return f"{html[:end]}{block}{html[end:]}" if end >= 0 else f"{html}{block}"


def _attach(message: EmailMessage, ctx: DeliveryContext) -> None:
    artifact = ctx.artifact
    limit = ctx.settings.channels.email.max_attachment_mb
    size = artifact.path.stat().st_size if artifact.path is not None else len(artifact.body or b"")
    if size > limit * 1024 * 1024:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: {artifact.name} is {size / 1024 / 1024:.1f} MB, over the"
            f" {limit:g} MB email attachment limit (channels.email.max_attachment_mb)",
            "deliver it by storage link instead (a storage: delivery, and attach: false,"
            " link: true on the email), or raise the limit if the receiving server allows it",
            permanent=True,
        )
    kind = artifact.content_type.split(";", 1)[0].strip().lower()
    maintype, _, subtype = kind.partition("/")
    if not maintype or not subtype:
        maintype, subtype = "application", "octet-stream"
    message.add_attachment(artifact.data(), maintype, subtype, filename=artifact.name)
