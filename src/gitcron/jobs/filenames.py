"""File names customers see: rendered from the schedule's template, then held to the allow-list
of `gitcron.core.names`."""

from __future__ import annotations

from typing import Any

from gitcron.core.artifact import JobError
from gitcron.core.names import MAX_NAME, filename_problem
from gitcron.jobs.context import render


def file_name(template: str | None, context: dict[str, Any], extension: str) -> str:
    """The artifact's name: the rendered template, or `<schedule name>-<local date>.<ext>`
    (`weekly-products-2026-11-23.xlsx`): the customer's id is ours, not a name they know."""
    if template is None:
        name = "{}-{}.{}".format(
            context["schedule"]["name"], context["run"]["local_date"], extension
        )
    else:
        name = render(template, context, "the filename template", limit=MAX_NAME * 4)
    problem = filename_problem(name)
    if problem:
        raise JobError(
            f"{problem} (rendered: {name[:MAX_NAME]!r})",
            'use a plain name, e.g. filename: "{{ customer }}-{{ run.local_date }}.'
            + extension
            + '"'
            + "; values from params or labels must be plain too",
            permanent=True,
        )
    return name
