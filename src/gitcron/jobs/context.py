"""The names a template sees (`customer`, `schedule`, `run`, ...), built in one place for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gitcron.config.columns import Column, template_columns
from gitcron.config.customer import CustomerName
from gitcron.config.settings import Dataset, Settings
from gitcron.config.templates import CONTEXT_NAMES
from gitcron.core.artifact import JobError
from gitcron.core.run import RunInfo

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule


def dataset_of(schedule: Schedule, settings: Settings) -> tuple[str, Dataset]:
    """The report's dataset from gitcron.yaml; a name that is gone is a permanent error."""
    assert schedule.report is not None
    name = schedule.report.dataset
    spec = settings.datasets.get(name)
    if spec is None:
        known = ", ".join(sorted(settings.datasets)) or "none"
        raise JobError(
            f"the dataset '{name}' is not defined in gitcron.yaml (defined: {known})",
            "add it under datasets: in gitcron.yaml, or pick a defined one in the schedule",
            permanent=True,
        )
    return name, spec


def report_params(schedule: Schedule, settings: Settings) -> dict[str, Any]:
    """The dataset's declared params: the schedule's value, else the declared default."""
    if schedule.report is None:
        return {}
    name, spec = dataset_of(schedule, settings)
    given = schedule.report.params
    unknown = sorted(set(given) - set(spec.params))
    if unknown:
        raise JobError(
            f"the dataset '{name}' has no parameter '{unknown[0]}'",
            f"remove it from report.params, or declare it under datasets.{name}.params",
            permanent=True,
        )
    values: dict[str, Any] = {}
    for key, param in spec.params.items():
        if key in given:
            values[key] = given[key]
        elif param.required:
            raise JobError(
                f"the dataset '{name}' needs the parameter '{key}'",
                f"add {key}: <value> under report.params in the schedule",
                permanent=True,
            )
        else:
            values[key] = param.default
    return values


def template_context(
    run: RunInfo,
    schedule: Schedule,
    settings: Settings,
    *,
    rows: int | None = None,
    run_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`customer`, `schedule`, `run`, `rows`, `format`, `labels`, `params`, `columns` for any
    template (`columns`: the report dataset's declared columns by name). `run_values`: what
    `run.template_context()` gives, when the caller already has it (validate works out the
    values of a fire once for every schedule sharing it)."""
    context = {
        "customer": CustomerName(schedule.customer or run.customer, schedule.customer_file),
        "schedule": {
            "id": run.schedule_id,
            "name": run.schedule_id.rsplit("/", 1)[-1],
            "description": schedule.description,
        },
        "run": run.template_context() if run_values is None else run_values,
        "rows": rows,
        "format": schedule.report.format if schedule.report else "json",
        "labels": dict(schedule.labels),
        "params": report_params(schedule, settings),
        "columns": template_columns(_dataset_columns(schedule, settings)),
    }
    assert tuple(context) == CONTEXT_NAMES
    return context


def _dataset_columns(schedule: Schedule, settings: Settings) -> list[Column] | None:
    if schedule.report is None:
        return None
    return dataset_of(schedule, settings)[1].columns


def render(source: str, context: Mapping[str, Any], what: str, limit: int = 10_000) -> str:
    """A user template rendered for a job; failures name the template that failed."""
    from gitcron.config.sandbox import TemplateError, render_template  # Jinja2: when rendering

    try:
        return render_template(source, context, limit)
    except TemplateError as error:
        raise JobError(f"{what}: {error.message}", error.hint, permanent=True) from error
