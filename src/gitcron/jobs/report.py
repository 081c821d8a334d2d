"""The `report:` job: the named dataset's rows, rendered to a file the customer receives."""

from __future__ import annotations

import itertools
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gitcron.config.customer import CustomerName
from gitcron.config.job import Report
from gitcron.core.run import RUN_VALUES
from gitcron.datasets.registry import open_dataset
from gitcron.jobs.base import Artifact, JobContext, JobError, RunInfo
from gitcron.jobs.conditions import RowDigest, judge
from gitcron.jobs.context import dataset_of, render, report_params, template_context
from gitcron.jobs.filenames import file_name
from gitcron.jobs.parts import burst_artifact
from gitcron.render.base import RenderSpec
from gitcron.render.registry import CONTENT_TYPES, RENDERERS


class ReportJob:
    """Dataset → renderer → one file in the run's work folder; never delivers anything."""

    def produce(self, ctx: JobContext) -> Artifact:
        """The report's file, or a skip when there are no rows and `on_empty: skip`."""
        report = ctx.schedule.report
        if report is None:
            raise JobError("the schedule has no report: section", permanent=True)
        name, spec = dataset_of(ctx.schedule, ctx.settings)
        params = report_params(ctx.schedule, ctx.settings)
        context = template_context(ctx.run, ctx.schedule, ctx.settings)
        kind = extension(report)
        title = report_title(report, name, context)
        partial = ctx.work_dir / f".partial.{kind}"
        try:
            with open_dataset(name, spec, {**params, **_run_values(ctx.run, params)}, ctx) as rows:
                render_spec = RenderSpec(
                    name,
                    title,
                    _options(report),
                    interval=rows.interval,
                    author=ctx.settings.company or "",
                    subject=title,
                    columns=tuple(spec.columns or ()),
                    locale=_locale(ctx),
                )
                if report.burst is not None:  # one file per value (jobs/parts.py)
                    name = file_name(report.filename, context, kind)
                    return burst_artifact(
                        report.burst,
                        report.format,
                        rows.columns,
                        rows,
                        render_spec,
                        ctx,
                        name,
                        kind,
                    )
                iterator = iter(rows)
                first = next(iterator, None)
                if first is None and _on_empty(ctx) == "skip":
                    context["rows"] = 0
                    return Artifact(
                        name=file_name(report.filename, context, kind),
                        content_type=CONTENT_TYPES[kind],
                        rows=0,
                        note="no rows: nothing sent (on_empty: skip)",
                        skip=True,
                        title=title,
                    )
                stream = iterator if first is None else itertools.chain([first], iterator)
                digest = RowDigest(rows.columns) if report.on_unchanged == "skip" else None
                if digest is not None:
                    stream = digest.watch(stream)
                count = RENDERERS[report.format](rows.columns, stream, partial, render_spec, ctx)
            context["rows"] = count
            rows_sha256 = digest.hexdigest() if digest is not None else None
            verdict = judge(report, count, rows_sha256, ctx.run.delivered_rows)
            path = ctx.work_dir / file_name(report.filename, context, kind)
            os.replace(partial, path)
        except OSError as error:
            raise JobError(
                f"the report could not be read or written: {error}",
                "check the disk space and the dataset file; the run is tried again",
            ) from error
        finally:
            partial.unlink(missing_ok=True)
        made = _artifact(path, kind, count, title, render_spec.interval)
        return replace(
            made,
            rows_sha256=rows_sha256,
            skip=verdict.skip,
            note=verdict.note or made.note,
        )


def _locale(ctx: JobContext) -> str | None:
    """The customer file's locale: how the customer's files write numbers and dates."""
    customer = ctx.schedule.customer_file
    return customer.locale if customer is not None else None


def extension(report: Report) -> str:
    """The file's extension: the format's name, `jsonl` for JSON Lines."""
    if report.format == "json" and report.json_ is not None and report.json_.lines:
        return "jsonl"
    return report.format


def _artifact(path: Path, kind: str, count: int, title: str, interval: bool) -> Artifact:
    note = "no rows: sent an empty file" if count == 0 else None
    return Artifact(
        path.name,
        CONTENT_TYPES[kind],
        path=path,
        rows=count,
        note=note,
        title=title,
        interval=interval,
    )


def _run_values(run: RunInfo, params: dict[str, Any]) -> dict[str, Any]:
    clash = sorted(set(params) & set(RUN_VALUES))
    if clash:
        raise JobError(
            f"the dataset parameter '{clash[0]}' has the name of a run value",
            f"rename it in gitcron.yaml: {', '.join(RUN_VALUES)} are given to every dataset",
            permanent=True,
        )
    return {
        "interval_start": run.interval_start,
        "interval_end": run.interval_end,
        "fire": run.fire,
    }


def _on_empty(ctx: JobContext) -> str:
    report = ctx.schedule.report
    assert report is not None
    return report.on_empty or ctx.settings.defaults.on_empty


def _options(report: Report) -> BaseModel | None:
    options: dict[str, BaseModel | None] = {
        "csv": report.csv,
        "json": report.json_,
        "pdf": report.pdf,
        "xlsx": report.xlsx,
    }
    return options[report.format]


def report_title(report: Report, dataset: str, context: dict[str, Any]) -> str:
    """`report.pdf.title`, else the dataset's name in words (`stock-by-category` → `Stock by
    category`), for the customer file's name (`Products for Acme Ltd`): never an id a customer
    would not recognise."""
    if report.pdf is not None and report.pdf.title is not None:
        return render(report.pdf.title, context, "the PDF title", limit=500)
    what = dataset.replace("-", " ").replace("_", " ").capitalize()
    customer = context["customer"]
    named = isinstance(customer, CustomerName) and customer.name != customer.id
    return f"{what} for {customer.name}" if named else what
