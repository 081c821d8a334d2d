"""Helpers: render rows with any renderer into a temp folder, with a plain run context."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gitcron.render.base import RenderSpec
from gitcron.render.registry import RENDERERS
from jobs.helpers import job_ctx


def render(
    tmp_path: Path,
    fmt: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    options: BaseModel | None = None,
    title: str = "Products for acme",
    interval: bool = False,
) -> tuple[Path, int]:
    out = tmp_path / f"out.{fmt}"
    spec = RenderSpec("products", title, options, interval=interval)
    count = RENDERERS[fmt](columns, rows, out, spec, job_ctx(tmp_path))
    return out, count
