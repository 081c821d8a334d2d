"""`gitcron new --from-json`: the old scheduling API's request as a draft schedule."""

from __future__ import annotations

from typing import Any

from gitcron.cli.new.draft import FORMATS, Draft
from gitcron.errors import UsageError

_SEED_FORMS = {"daily", "weekly", "monthly-first-weekday", "monthly-last-weekday", "custom"}


def from_payload(payload: Any, sid: str | None) -> Draft:
    """The old API's request (`customerId`, `scheduleType`, `config`, ...) as a draft."""
    if not isinstance(payload, dict):
        raise UsageError("the payload is not a JSON object", "fix the payload")
    kind = payload.get("scheduleType")
    if kind not in _SEED_FORMS:
        raise UsageError(
            f"scheduleType '{kind}' is not one of {', '.join(sorted(_SEED_FORMS))}",
            "fix the payload",
        )
    config = payload.get("config") or {}
    if not isinstance(config, dict):
        raise UsageError("the payload's config is not a JSON object", "fix the payload")
    time, day = config.get("time"), str(config.get("dayOfWeek", "")).lower()
    forms: dict[str, dict[str, Any]] = {
        "daily": {"daily": {"at": time}},
        "weekly": {"weekly": {"on": day, "at": time}},
        "monthly-first-weekday": {"monthly": {"on": f"first {day}", "at": time}},
        "monthly-last-weekday": {"monthly": {"on": f"last {day}", "at": time}},
        "custom": {"cron": config.get("cronExpression")},
    }
    when = forms[str(kind)]
    dataset = str(payload.get("fileType") or "products")
    customer = str(payload.get("customerId") or "")
    if not customer and not sid:
        raise UsageError("the payload has no customerId", "add customerId or give an ID")
    short = {"monthly-first-weekday": "monthly", "monthly-last-weekday": "monthly"}.get(kind, kind)
    fmt = str(payload.get("format") or "excel").lower()
    if fmt not in FORMATS:
        raise UsageError(f"format '{fmt}' is not one of excel, csv, pdf, json", "fix the payload")
    email = payload.get("customerEmail")
    return Draft(
        sid=sid or f"{customer}/{short}-{dataset}",
        when=when,
        timezone=payload.get("timezone"),
        dataset=dataset,
        fmt=FORMATS[fmt],
        emails=[email] if email else [],
    )
