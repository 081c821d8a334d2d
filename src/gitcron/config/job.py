"""`report:` and `event:`: what a schedule's run makes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from gitcron.config.base import FilenameTemplate, Strict, Template
from gitcron.config.fields import Slug

Scalar = str | int | float | bool | date | None


class CsvOptions(Strict):
    delimiter: Literal[",", ";", "\t", "|"] = ","
    bom: StrictBool = False


class PdfOptions(Strict):
    orientation: Literal["auto", "portrait", "landscape"] = "auto"
    title: Template | None = None
    max_rows: int | None = Field(None, ge=1)


class JsonOptions(Strict):
    lines: StrictBool = False


class XlsxOptions(Strict):
    sheet: str | None = Field(None, max_length=31)


class Report(Strict):
    dataset: Slug
    params: dict[str, Scalar] = {}
    format: Literal["xlsx", "csv", "pdf", "json"]
    filename: FilenameTemplate | None = None
    on_empty: Literal["send", "skip"] | None = None
    csv: CsvOptions | None = None
    pdf: PdfOptions | None = None
    json_: JsonOptions | None = Field(None, alias="json")
    xlsx: XlsxOptions | None = None


class Event(Strict):
    type: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,100}$", examples=["report.daily"])]
    payload: dict[str, Any] = {}
