"""A schedule's timing and deliveries in plain words, for people reviewing a pull request.

"at 10:00 on the first Monday of every month, Europe/London": the reviewer checks intent, not
YAML. Cron expressions are worded by cron-descriptor (imported only when one is shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from gitcron.schedule import Delivery, Schedule
from gitcron.timing import LAST_DAY, LAST_WEEKDAY, WEEKDAYS
from gitcron.timing.cronexpr import days_either, debian_expr
from gitcron.timing.spec import (
    Cron,
    Daily,
    Form,
    Interval,
    MonthlyDay,
    MonthlyNth,
    Once,
    Timing,
    Weekly,
)
from gitcron.timing.words import NTH, duration_words, listing


def _times(times: tuple[time, ...]) -> str:
    return "at " + listing([f"{t:%H:%M}" for t in times])


def _day(weekday: int) -> str:
    return WEEKDAYS[weekday].title()


def form_words(form: Form) -> str:
    """The `schedule:` form alone, without zone, calendars or window."""
    if isinstance(form, Daily):
        return f"{_times(form.times)} every day"
    if isinstance(form, Weekly):
        days = [_day(d) for d in sorted(form.days)]
        return f"{_times(form.times)} every {listing(days)}"
    if isinstance(form, MonthlyNth):
        return f"{_times(form.times)} on the {NTH[form.nth]} {_day(form.weekday)} of every month"
    if isinstance(form, MonthlyDay):
        day = {LAST_DAY: "the last day", LAST_WEEKDAY: "the last weekday"}.get(
            form.day, f"day {form.day}"
        )
        return f"{_times(form.times)} on {day} of every month"
    if isinstance(form, Once):
        return f"once, at {form.at:%H:%M} on {form.at:%A %Y-%m-%d}"
    if isinstance(form, Interval):
        return f"every {duration_words(form.every, floor_minutes=True)}"
    return cron_words(form)


def cron_words(form: Cron) -> str:
    """cron-descriptor's sentence, lower-cased to fit ours, with the expression itself."""
    from cron_descriptor import ExpressionDescriptor, Options

    options = Options()
    options.use_24hour_time_format = True
    expr = debian_expr(form.expr)
    text = str(ExpressionDescriptor(expr, options).get_description())
    fields = expr.split()
    if len(fields) == 5 and "*" not in (fields[2], fields[4]) and not days_either(fields):
        # `*/2` beside a weekday: cron requires both, where cron-descriptor says "or"
        head, joined, tail = text.partition(", or on ")
        if joined:
            text = f"{head}, when that day is also a {tail.replace(' and ', ' or ')}"
    return f"{text[:1].lower()}{text[1:]} (cron `{form.expr}`)"


def when_words(schedule: Schedule, timing: Timing, zone: str) -> str:
    """The whole timing: form, zone, calendars, window and limits."""
    parts = [f"{form_words(timing.form)}, {zone}"]
    if isinstance(timing.form, Interval):
        parts.append(f"counted from {timing.form.anchor.astimezone(timing.zone):%Y-%m-%d %H:%M}")
    if schedule.skip:
        move = "moved to the next open day" if schedule.on_closed == "next-open-day" else "skipped"
        parts.append(f"{move} on {listing([_skip(kind, value) for kind, value in schedule.skip])}")
    if schedule.active and schedule.active.start:
        parts.append(f"from {_edge(schedule.active.start)}")
    if schedule.active and schedule.active.until:
        parts.append(f"until {_edge(schedule.active.until)}")
    if schedule.max_runs:
        parts.append(f"at most {schedule.max_runs} runs")
    return "; ".join(parts)


def _skip(kind: str, value: str) -> str:
    if kind == "weekends":
        return "weekends"
    if kind == "holidays":
        return f"{value} holidays"
    return f"the `{value}` calendar"


def _edge(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}" if moment.time() == time() else f"{moment:%Y-%m-%d %H:%M}"


def job_words(schedule: Schedule) -> str:
    """What is made: a report from a dataset in a format, or an event."""
    report = schedule.report
    if report is None:
        assert schedule.event is not None
        return f"the event `{code(schedule.event.type)}`"
    params = ", ".join(f"{k}={v}" for k, v in report.params.items())
    text = f"{report.format} of dataset `{code(report.dataset)}`"
    text += f" ({code(params)})" if params else ""
    return text + (f" named `{code(report.filename)}`" if report.filename else "")


def delivery_words(delivery: Delivery) -> str:
    """One target: channel and where it goes, with secrets named by their variable only."""
    if delivery.email is not None:
        email = delivery.email
        who = _addresses(email.to) if email.to else "each part's own recipients (burst)"
        text = f"email to {who}"
        text += f", cc {_addresses(email.cc)}" if email.cc else ""
        return text + (f", bcc {_addresses(email.bcc)}" if email.bcc else "")
    if delivery.webhook is not None:
        signed = delivery.webhook.secret or delivery.webhook.secret_env
        return f"webhook `{code(delivery.webhook.url)}`" + (
            f" (signed with `{signed}`)" if signed else ""
        )
    target = delivery.target()
    return f"{delivery.channel} `{code(target)}`" if target else delivery.channel


def _addresses(addresses: Sequence[str]) -> str:
    return listing([f"`{code(a)}`" for a in addresses])


def code(text: str) -> str:
    """Text safe inside a Markdown code span: one line, no backticks."""
    return " ".join(text.replace("`", "'").split())
