"""Checks of what a schedule makes and where it goes, against gitcron.yaml and itself."""

from __future__ import annotations

from collections.abc import Iterator

from gitcron.catalog.burst_checks import burst_problems
from gitcron.catalog.grant_checks import grant_problems
from gitcron.channels.storage.roots import grant_refusal
from gitcron.config.fields import did_you_mean
from gitcron.config.problems import Problem, strings_at
from gitcron.config.settings import Settings
from gitcron.config.templates import template_fix, template_problem
from gitcron.schedule import Delivery, Schedule
from gitcron.timing.words import listing

Found = Iterator[Problem]


def job_problems(file: str, schedule: Schedule, settings: Settings, settings_ok: bool) -> Found:
    """The report's dataset and params, the event's payload, and every delivery's credentials."""
    yield from grant_problems(file, schedule, settings, settings_ok)
    yield from burst_problems(file, schedule, settings, settings_ok)
    report = schedule.report
    if report is not None and settings_ok:
        dataset = settings.datasets.get(report.dataset)
        if dataset is None:
            names = list(settings.datasets)
            yield Problem(
                file,
                f"there is no dataset named '{report.dataset}' in gitcron.yaml",
                ("report", "dataset"),
                did_you_mean(report.dataset, names)
                or (
                    f"use one of {listing(names, 'or')}"
                    if names
                    else "ask an engineer to declare it"
                ),
                kind="content",
            )
        else:
            for name in report.params:
                if name not in dataset.params:
                    allowed = list(dataset.params)
                    yield Problem(
                        file,
                        f"the dataset '{report.dataset}' has no parameter '{name}'",
                        ("report", "params", name),
                        did_you_mean(name, allowed)
                        or (
                            f"its parameters are {listing(allowed, 'or')}"
                            if allowed
                            else "remove it"
                        ),
                        kind="content",
                        key=True,
                    )
            for name, param in dataset.params.items():
                if param.required and name not in report.params:
                    yield Problem(
                        file,
                        f"the dataset '{report.dataset}' needs the parameter '{name}'",
                        ("report", "params"),
                        f"add {name}: <value> under params",
                        kind="content",
                        key=True,
                    )
    for index, delivery in enumerate(schedule.deliver if settings_ok else ()):
        refused = grant_refusal(delivery.storage, settings) if delivery.storage else None
        if refused is not None:  # a local folder that no storage root of gitcron.yaml grants
            where = ("deliver", index, "storage", refused.field)
            yield Problem(file, refused.message, where, refused.hint, kind="target")
    if report is not None:
        suffix = f".{report.format}"
        if report.filename and not report.filename.lower().endswith(suffix):
            yield Problem(
                file,
                f"the file is made as {report.format} but its name does not end in {suffix}",
                ("report", "filename"),
                f"end the name with {suffix} so the customer's computer opens it",
                severity="warning",
                kind="content",
            )
    if schedule.event is not None:
        for loc, text in strings_at(schedule.event.payload, ("event", "payload")):
            problem = template_problem(text)
            if problem:
                yield Problem(file, problem, loc, template_fix(text), kind="content")
        if not any(d.webhook or d.outbox for d in schedule.deliver):
            yield Problem(
                file,
                "an event needs a webhook to be sent to",
                ("deliver",),
                "add - webhook: {url: https://...} under deliver",
                kind="target",
            )
    elif not schedule.deliver:  # the run would succeed, and its file would reach no one
        yield Problem(
            file,
            "nothing is delivered: the report's file would be made and sent nowhere",
            ("deliver",),
            "add a deliver: list with email, webhook, storage or sftp, e.g."
            " deliver: [{email: {to: [buyer@example.com]}}] (outbox: {} keeps it in the outbox)",
            kind="target",
            key=True,
        )


def delivery_problems(file: str, schedule: Schedule) -> Found:
    """The same place twice, and warnings on each target."""
    seen: dict[tuple[str, str], int] = {}
    for index, delivery in enumerate(schedule.deliver):
        loc = ("deliver", index, delivery.channel)
        key = (delivery.channel, delivery.target())
        if key in seen:
            yield Problem(
                file,
                f"this delivery repeats delivery {seen[key] + 1}: the customer would get it twice",
                loc,
                "remove one of them",
                kind="target",
            )
        seen.setdefault(key, index)
        yield from _channel_rules(file, delivery, loc)


def _channel_rules(file: str, delivery: Delivery, loc: tuple[str | int, ...]) -> Found:
    """Warnings only: the rules a target must meet are its model's (channels/<kind>/target.py)."""
    if delivery.webhook is not None and delivery.webhook.url.startswith("http://"):
        yield Problem(
            file,
            "this webhook address is not encrypted (http://)",
            (*loc, "url"),
            "use https:// unless the receiver is on your own network",
            severity="warning",
            kind="target",
        )
