"""Schedule templates (email subject, body, html) rendered at delivery time, as jobs render theirs.

The names are the jobs' own (`gitcron.jobs.context`, handed over as `ctx.template_values`) and
the sandbox is config's, so a template reads the same values in a file name and in an email.
"""

from __future__ import annotations

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.config.sandbox import render_template
from gitcron.errors import GitcronError


def render(
    source: str,
    ctx: DeliveryContext,
    what: str,
    limit: int = 10_000,
    links: list[str] | None = None,
) -> str:
    """Render one user template; a failure is the schedule's to fix, so it is permanent.

    `links` (an email's storage links) is added to the names only where a link can be sent.
    """
    try:
        context = ctx.template_values()
        if links is not None:
            context["links"] = list(links)
        return render_template(source, context, limit)
    except GitcronError as error:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: the {what} template cannot be rendered: {error.message}",
            error.hint or "see docs/schedules.md#templates for the names a template can use",
            permanent=True,
        ) from error
