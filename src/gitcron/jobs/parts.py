"""A bursting report's artifact: its parts, each a file named for its value, for its recipients.

The split itself (one pass, ordered rows, the cap, who may receive each part) is `jobs.burst`;
this names each part's file as the customer sees it: the report's file name with the value
before the extension (`weekly-products-2026-11-23-north.xlsx`), so parts kept in one storage
folder never overwrite each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from gitcron.config.burst import Burst
from gitcron.core.artifact import Artifact, JobError, Part
from gitcron.core.names import filename_problem
from gitcron.jobs.base import JobContext
from gitcron.jobs.burst import Part as Split
from gitcron.jobs.burst import Row, split
from gitcron.render.base import RenderSpec
from gitcron.render.registry import CONTENT_TYPES, RENDERERS

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def burst_artifact(
    burst: Burst,
    report_format: str,
    columns: tuple[str, ...],
    rows: Iterable[Row],
    spec: RenderSpec,
    ctx: JobContext,
    name: str,
    kind: str,
) -> Artifact:
    """The parts of `rows` split by `burst.by`, each rendered as `report_format`; `name` is the
    report's own file name (rendered as if it were one file). No rows: a skip, as nothing has
    anyone to go to."""
    folder = ctx.work_dir / "parts"
    folder.mkdir()

    def write(part_rows: Iterator[Row], path: Path) -> int:  # the dataset's own tuples, passed on
        tuples = cast("Iterator[tuple[Any, ...]]", part_rows)
        return RENDERERS[report_format](columns, tuples, path, spec, ctx)

    made = split(columns, rows, burst, folder, write)
    if not made:
        return Artifact(
            name, CONTENT_TYPES[kind], rows=0, note="no rows: no parts to send", skip=True
        )
    taken: set[str] = set()
    parts = tuple(_part(split_part, name, kind, spec, taken) for split_part in made)
    total = sum(part.file.rows or 0 for part in parts)
    note = f"{len(parts)} part{'s' * (len(parts) != 1)} by {burst.by}"
    return Artifact(name, CONTENT_TYPES[kind], rows=total, note=note, title=spec.title, parts=parts)


def _part(made: Split, name: str, kind: str, spec: RenderSpec, taken: set[str]) -> Part:
    own = part_name(name, made.value, taken)
    path = made.path.with_name(own)
    made.path.rename(path)
    file = Artifact(
        own,
        CONTENT_TYPES[kind],
        path=path,
        rows=made.rows,
        title=f"{spec.title} ({made.value})",
        interval=spec.interval,
    )
    return Part(made.value, file, made.recipients, made.refused)


def part_name(name: str, value: str, taken: set[str]) -> str:
    """`report-2026-11-23.csv` for `north` → `report-2026-11-23-north.csv`: plain characters
    only, unique among the run's parts (`-2`, `-3` ... when two values read alike)."""
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    plain = _UNSAFE.sub("_", value).strip("._")[:60] or "_"
    tail = f"{dot}{extension}"
    own, number = f"{stem}-{plain}{tail}", 1
    while own.lower() in taken:
        number += 1
        own = f"{stem}-{plain}-{number}{tail}"
    taken.add(own.lower())
    problem = filename_problem(own)
    if problem:
        raise JobError(
            f"the part '{value}' cannot be named: {problem} ({own!r})",
            "shorten the report's filename: each part adds its value to it",
            permanent=True,
        )
    return own
