"""Checks of a bursting report (`report.burst`) and of who each email delivery goes to.

A bursting report's parts hold different people's rows, so they may only go where each part can
be kept apart: an email (to that part's recipients), a storage folder or the outbox (one file per
part). A webhook, SFTP upload or chat message would carry every part to one place. The email of
a bursting report takes its `To:` from each part, so it names no `to:` of its own; every other
email needs one (written, or from the customer file).
"""

from __future__ import annotations

from collections.abc import Iterator

from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.schedule import Schedule
from gitcron.timing.words import listing

Found = Iterator[Problem]
BURST_CHANNELS = ("email", "storage", "outbox")  # where parts stay apart


def burst_problems(file: str, schedule: Schedule, settings: Settings, settings_ok: bool) -> Found:
    """Every delivery against the report's burst (or its absence), and burst's columns against
    the dataset's declared ones."""
    report = schedule.report
    burst = report.burst if report is not None else None
    for index, item in enumerate(schedule.deliver):
        loc = ("deliver", index, item.channel)
        if burst is None:
            if item.email is not None and not item.email.to:
                yield Problem(
                    file,
                    "'to' is missing",
                    (*loc, "to"),
                    "add 'to:' here, e.g. to: ['buyer@acme.example'], or to: in the customer"
                    " file of this folder",
                    key=True,
                )
            continue
        if item.channel not in BURST_CHANNELS:
            yield Problem(
                file,
                f"a bursting report cannot go to {item.channel}: every part, with every"
                " recipient's rows, would reach that one place",
                loc,
                f"deliver the parts by {listing(list(BURST_CHANNELS), 'or')}; for a {item.channel}"
                " delivery of the whole file, make a second schedule without burst:",
                kind="target",
            )
        elif item.email is not None and item.email.to:
            yield Problem(
                file,
                "a bursting report's email goes to each part's own recipients: the addresses"
                " under to: would get every part",
                (*loc, "to"),
                "remove to: here and list the addresses by value under report.burst.to (cc: or"
                " bcc: are copied on every part, if that is meant)",
                kind="target",
            )
    if burst is None or report is None or not settings_ok:
        return
    dataset = settings.datasets.get(report.dataset)
    declared = [column.name for column in (dataset.columns or ())] if dataset else []
    for key, name in (("by", burst.by), ("to_column", burst.to_column)):
        if declared and name is not None and name not in declared:
            yield Problem(
                file,
                f"the dataset '{report.dataset}' has no column '{name}'",
                ("report", "burst", key),
                f"use one of its columns: {listing(declared, 'or')}",
                kind="content",
            )
