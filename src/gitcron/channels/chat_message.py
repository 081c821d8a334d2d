"""The words of a chat message (Slack, Teams): the schedule's `text:` or a default, and the links.

A chat webhook cannot carry a file, so the message carries the links a storage delivery listed
above it made in this run (`ctx.links`), as an email with `link: true` does; a template that does
not place `{{ links }}` gets them after its text, so a link is never dropped silently.

Without a `text:` or `title:`, the message reads as the email's defaults do, in the same words
(`gitcron.channels.wording`): the report's title and the day in the customer's locale above,
the file and its rows and who sends it below. No internal id is shown: the run travels where
machines read it (`run_metadata`: a Slack message's metadata, a request header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitcron.channels.base import DeliveryContext
from gitcron.channels.templating import render
from gitcron.channels.wording import headline, offer, signature

MAX_TEXT = 30_000  # characters: under Slack's 40,000 and Teams' 28 KB card with room for links
_USES_LINKS = re.compile(r"\blinks\b")


@dataclass(frozen=True, slots=True)
class Message:
    """What a chat delivery says: a title line, the text, and the links to the file."""

    title: str
    text: str
    links: tuple[str, ...]
    links_placed: bool  # the template placed the links itself


def chat_message(
    text: str | None, title: str | None, ctx: DeliveryContext, *, linked: bool, kind: str
) -> Message:
    """The message for this run; `linked` when the file must go as a link (not uploaded)."""
    links = chat_links(ctx, kind) if linked else []
    shown_title = render(title, ctx, f"{kind} title", 1000, links) if title else headline(ctx)
    if text:
        body = render(text, ctx, f"{kind} text", MAX_TEXT, links)
        placed = bool(_USES_LINKS.search(text))
    else:
        body = f"{offer(ctx, 'Here is', titled=bool(title))}.\n\n{signature(ctx)}"
        placed = False
    return Message(" ".join(shown_title.split()), body.strip(), tuple(links), placed)


RUN_HEADER = "X-Gitcron-Run"  # the run's id on a chat webhook's request, as on an email


def run_metadata(ctx: DeliveryContext) -> dict[str, str]:
    """What a machine reading the message needs and a person never sees: the run's id, the
    same on every retry, and the schedule's id."""
    return {"run": ctx.run.run_id, "schedule": ctx.run.schedule_id}


def chat_links(ctx: DeliveryContext, kind: str) -> list[str]:
    """The storage links of this run; an event needs none (its message is the news)."""
    if ctx.artifact.body is not None:
        return []
    return ctx.stored_links(
        f"the {kind} message carries the file as a link, but no storage delivery listed before"
        " it made one in this run",
        "the message",
    )
