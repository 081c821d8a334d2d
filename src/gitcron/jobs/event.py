"""The `event:` job: a JSON event (type, run id, fire, payload) for webhook deliveries."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from gitcron.jobs.base import Artifact, JobContext, JobError
from gitcron.jobs.context import render, template_context
from gitcron.state.codec import format_instant

MAX_BODY = 1024 * 1024  # webhook receivers commonly refuse bodies over 1 MiB


class EventJob:
    """Renders the payload's strings as templates and wraps them in an envelope keyed by run id."""

    def produce(self, ctx: JobContext) -> Artifact:
        """The event body; the same run always gives the same bytes, so signatures match."""
        event = ctx.schedule.event
        if event is None:
            raise JobError("the schedule has no event: section", permanent=True)
        context = template_context(ctx.run, ctx.schedule, ctx.settings)
        envelope = {
            "type": event.type,
            "id": ctx.run.run_id,
            "fire": format_instant(ctx.run.fire),
            "schedule": ctx.run.schedule_id,
            "customer": context["customer"],
            "data": render_payload(event.payload, context, "event.payload"),
        }
        try:
            text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except ValueError as error:
            raise JobError(
                f"event.payload: {error}", "use numbers, text, lists or maps", permanent=True
            ) from error
        body = text.encode("utf-8")
        if len(body) > MAX_BODY:
            raise JobError(
                f"the event is {len(body):,} bytes, more than {MAX_BODY:,}",
                "send a small event that points at a report instead of carrying the data",
                permanent=True,
            )
        stamp = ctx.run.fire.strftime("%Y%m%dT%H%M%SZ")
        name = f"{context['customer']}-{context['schedule']['name']}-{stamp}.json"
        return Artifact(name, "application/json", body=body)


def render_payload(value: Any, context: dict[str, Any], where: str) -> Any:
    """Every string inside `value` rendered as a template; dates as ISO text; keys kept as is."""
    if isinstance(value, str):
        return render(value, context, where)
    if isinstance(value, dict):
        return {str(k): render_payload(v, context, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render_payload(v, context, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
