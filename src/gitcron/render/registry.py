"""Renderers by `report.format`, with the extension and MIME type each file gets."""

from __future__ import annotations

from gitcron.render.base import Renderer
from gitcron.render.csv import write_csv
from gitcron.render.json_ import write_json
from gitcron.render.pdf import write_pdf
from gitcron.render.xlsx import write_xlsx

RENDERERS: dict[str, Renderer] = {
    "csv": write_csv,
    "json": write_json,
    "pdf": write_pdf,
    "xlsx": write_xlsx,
}

CONTENT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
