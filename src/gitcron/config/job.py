"""`report:` and `event:`: what a schedule's run makes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, model_validator

from gitcron.config.base import FilenameTemplate, Strict, Template, about
from gitcron.config.burst import Burst
from gitcron.config.fields import Slug, bad
from gitcron.timing.words import listing

Scalar = str | int | float | bool | date | None


class CsvOptions(Strict):
    delimiter: Annotated[
        Literal[",", ";", "\t", "|"],
        about("the character between columns", ";"),
    ] = ","
    bom: Annotated[
        StrictBool,
        about("start the file with a byte-order mark, so Excel reads accents right", True),
    ] = False
    header: Annotated[
        Literal["labels", "names"],
        about(
            "the first line: readable labels (Unit price), or the dataset's column names"
            " (unit_price) for programs that read the file by name",
            "names",
        ),
    ] = "labels"


class PdfOptions(Strict):
    orientation: Annotated[
        Literal["auto", "portrait", "landscape"],
        about("the page orientation; auto turns wide tables sideways", "landscape"),
    ] = "auto"
    title: Annotated[
        Template | None,
        about("the title printed on top (a template)", "Products for {{ customer }}"),
    ] = None
    max_rows: Annotated[int | None, about("print at most this many rows", 500)] = Field(None, ge=1)


class JsonOptions(Strict):
    lines: Annotated[
        StrictBool,
        about("one JSON object per line (JSON Lines) instead of one list", True),
    ] = False


class XlsxOptions(Strict):
    sheet: Annotated[
        str | None,
        about("the name of the worksheet (at most 31 characters)", "Products"),
    ] = Field(None, max_length=31)


class Report(Strict):
    dataset: Annotated[
        Slug,
        about("the name of a dataset declared in gitcron.yaml", "products"),
    ]
    params: Annotated[
        dict[str, Scalar],
        about("values for the dataset's parameters", {"customer": "acme", "category": "Bakery"}),
    ] = {}
    format: Annotated[
        Literal["xlsx", "csv", "pdf", "json"],
        about("the kind of file: xlsx, csv, pdf or json", "xlsx"),
    ]
    filename: Annotated[
        FilenameTemplate | None,
        about(
            "the file's name (a template, no folders)", "acme-products-{{ run.local_date }}.xlsx"
        ),
    ] = None
    on_empty: Annotated[
        Literal["send", "skip"] | None,
        about("when the dataset has no rows: send the empty file, or skip the run", "skip"),
    ] = None
    on_unchanged: Annotated[
        Literal["send", "skip"],
        about(
            "when the rows are the same as the last delivered run's: send again, or skip the run",
            "skip",
        ),
    ] = "send"
    min_rows: Annotated[
        int | None, about("fewer rows than this is unusual: see outside_rows", 1)
    ] = Field(None, ge=0)
    max_rows: Annotated[
        int | None, about("more rows than this is unusual: see outside_rows", 10000)
    ] = Field(None, ge=0)
    outside_rows: Annotated[
        Literal["fail", "skip", "send"],
        about(
            "a row count outside min_rows..max_rows: fail the run (the owner is told), skip it,"
            " or send it anyway with a note in the record",
            "skip",
        ),
    ] = "fail"
    csv: Annotated[
        CsvOptions | None, about("options of csv files", {"delimiter": ";", "bom": True})
    ] = None
    pdf: Annotated[
        PdfOptions | None, about("options of pdf files", {"orientation": "landscape"})
    ] = None
    json_: Annotated[JsonOptions | None, about("options of json files", {"lines": True})] = Field(
        None, alias="json"
    )
    xlsx: Annotated[XlsxOptions | None, about("options of xlsx files", {"sheet": "Products"})] = (
        None
    )
    burst: Annotated[
        Burst | None,
        about(
            "split the file by a column: one file per value, each only for that value's"
            " recipients (email, storage and outbox deliveries)",
            {"by": "region", "to": {"north": ["north@acme.example"]}},
        ),
    ] = None

    @model_validator(mode="after")
    def _rows_in_order(self) -> Report:
        low, high = self.min_rows, self.max_rows
        if low is not None and high is not None and low > high:
            raise bad(
                f"min_rows ({low}) is more than max_rows ({high}), so every run would be"
                " outside them",
                "swap the two numbers",
            )
        conditions = [
            name
            for name, value in (
                ("on_unchanged", self.on_unchanged != "send"),
                ("min_rows", self.min_rows is not None),
                ("max_rows", self.max_rows is not None),
            )
            if value
        ]
        if self.burst is not None and conditions:
            raise bad(
                f"{listing(conditions, 'and')} cannot be used with burst: each part of a bursting"
                " report is sent on its own, and these conditions are not checked part by part",
                f"remove {listing(conditions, 'and')}, or the burst: of this report",
            )
        return self


class Event(Strict):
    type: Annotated[
        str,
        Field(pattern=r"^[A-Za-z0-9_.:-]{1,100}$", examples=["report.daily"]),
        about("the event's name, sent to the receiver", "report.daily", "stock.updated"),
    ]
    payload: Annotated[
        dict[str, Any],
        about(
            "the JSON data sent with the event; its texts are templates",
            {"date": "{{ run.local_date }}"},
        ),
    ] = {}
