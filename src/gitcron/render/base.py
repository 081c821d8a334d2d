"""What every renderer is given, and how values become text where a format has only text."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from gitcron.config.columns import Column
from gitcron.core.run import RunScope

MAX_PLACES = 6


@dataclass(frozen=True, slots=True)
class RenderSpec:
    """One report's rendering options: the format's own (`report.csv` ...) and shared words."""

    dataset: str  # the dataset's name: the default sheet name
    title: str  # a heading for formats that show one (PDF), already rendered
    options: BaseModel | None  # report.csv, report.pdf, report.json or report.xlsx, as given
    interval: bool = False  # the dataset reads the run's interval: files say which data it holds
    author: str = ""  # the company the file comes from (gitcron.yaml `company`), in properties
    subject: str = ""  # what the file is about, in properties (the schedule's description)
    # the dataset's declared columns (gitcron.yaml): labels, formats and widths by name
    columns: tuple[Column, ...] = ()
    locale: str | None = None  # the customer file's locale (`de-DE`): numbers and dates in files


class Renderer(Protocol):
    """Writes `rows` under a header of `columns` to `out`; returns how many rows it wrote."""

    def __call__(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
        out: Path,
        spec: RenderSpec,
        ctx: RunScope,
    ) -> int: ...


def as_text(value: Any, ctx: RunScope) -> str:
    """A cell as text: ISO dates, datetimes in the run's zone, `true`/`false`, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return local(value, ctx).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return str(value)


def as_json(value: Any, ctx: RunScope) -> Any:
    """A cell as a JSON value: numbers stay numbers; dates and other objects become strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    return as_text(value, ctx)


def generated(ctx: RunScope) -> datetime:
    """When the run's first attempt made the file (aware UTC): a retry shows the same time."""
    return ctx.run.generated or ctx.run.fire


def local(moment: datetime, ctx: RunScope) -> datetime:
    """An aware datetime in the run's timezone; a naive one is taken as already local."""
    return moment.astimezone(ctx.run.zone) if moment.tzinfo is not None else moment


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def float_places(values: Iterable[Any]) -> int:
    """The most digits after the point among `values`' floats (0-6): a column's prices line up."""
    return max((_places(value) for value in values if isinstance(value, float)), default=0)


def _places(value: float) -> int:
    text = repr(value)
    if not math.isfinite(value) or "e" in text:
        return 0
    return min(len(text.partition(".")[2].rstrip("0")), MAX_PLACES)
