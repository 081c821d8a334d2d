"""The words gitcron writes itself when a schedule leaves them out, for every channel alike.

An email's subject and body and a chat message's title and text read as a person would write
them: the report's title and the day in words in the customer's locale (`Products for Acme Ltd,
7 December 2026`), the file and its rows, the period when the data has one, and who sends it. They
never show an internal id: the schedule's id and the run's id are gitcron's, not words a customer
knows, and travel where machines read them (an email's `X-Gitcron-Run` and Message-ID, a Slack
message's metadata, an `X-Gitcron-Run` request header). One module, so email and chat never drift.
"""

from __future__ import annotations

from email.utils import getaddresses

from gitcron.channels.base import DeliveryContext
from gitcron.config.customer import local_count
from gitcron.config.long_dates import long_day

_MINUTE = "%Y-%m-%d %H:%M"


def day_words(ctx: DeliveryContext) -> str:
    """The run's day in the schedule's zone, its month in words as the customer's locale writes
    it: `7 December 2026`, `December 7, 2026` in en-US."""
    return long_day(ctx.run.local_fire.date(), ctx.customer)


def headline(ctx: DeliveryContext) -> str:
    """`Products for Acme Ltd, 7 December 2026`: the file's title (else its name) and the day,
    as a person would write a subject line or a message's title."""
    what = ctx.artifact.title or ctx.artifact.name
    return " ".join(f"{what}, {day_words(ctx)}".split())


def file_line(ctx: DeliveryContext) -> str:
    """`products.xlsx (1,234 rows)`: the file and its rows, counted as the customer writes."""
    count = ctx.artifact.rows
    if count is None:
        return ctx.artifact.name
    return f"{ctx.artifact.name} ({local_count(count, ctx.customer)} row{'s' * (count != 1)})"


def period(ctx: DeliveryContext) -> str:
    """`,\\ncovering 2026-11-30 09:00 to 2026-12-07 09:00 (Europe/London)` when the file's data
    depends on the run's interval; empty otherwise."""
    if not ctx.artifact.interval:
        return ""
    run = ctx.run
    end = run.local_fire.strftime(_MINUTE)
    start = run.interval_start
    span = f"the time up to {end}"
    if start is not None:
        span = f"{start.astimezone(run.zone).strftime(_MINUTE)} to {end}"
    return f",\ncovering {span} ({run.zone.key})"


def offer(ctx: DeliveryContext, lead: str, *, titled: bool) -> str:
    """`here is Products, 7 December 2026: products.xlsx (3 rows)` and the period, unpunctuated;
    `titled=False` leaves the title out (a chat message shows it above)."""
    if titled and ctx.artifact.title:
        lead += f" {ctx.artifact.title}, {day_words(ctx)}:"
    return f"{lead} {file_line(ctx)}{period(ctx)}"


def sender_name(ctx: DeliveryContext) -> str:
    """Who sends it, for people: the company (gitcron.yaml), else the email sender's name."""
    settings = ctx.settings
    name = settings.company or getaddresses([settings.channels.email.sender])[0][0]
    return name.strip()


def signature(ctx: DeliveryContext) -> str:
    """`Kind regards,` and who sends it (`sender_name`); `Kind regards` alone without one."""
    name = sender_name(ctx)
    return f"Kind regards,\n{name}\n" if name else "Kind regards\n"
