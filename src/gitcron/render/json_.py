"""JSON: an array of objects (`report.json.lines: false`) or JSON Lines, written as rows arrive."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gitcron.config.job import JsonOptions
from gitcron.core.run import RunScope
from gitcron.render.base import RenderSpec, as_json


def write_json(
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    out: Path,
    spec: RenderSpec,
    ctx: RunScope,
) -> int:
    """One object per row, keys in column order; UTF-8, never NaN (non-finite numbers are null)."""
    options = spec.options if isinstance(spec.options, JsonOptions) else JsonOptions()
    keys = [str(name) for name in columns]
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        if not options.lines:
            handle.write("[")
        for row in rows:
            record = {key: as_json(value, ctx) for key, value in zip(keys, row, strict=True)}
            text = json.dumps(record, ensure_ascii=False, allow_nan=False)
            if options.lines:
                handle.write(text + "\n")
            else:
                handle.write(("\n  " if count == 0 else ",\n  ") + text)
            count += 1
        if not options.lines:
            handle.write("\n]\n" if count else "]\n")
    return count
