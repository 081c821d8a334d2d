"""The report job: dataset → renderer → a named file in the work folder, or a skip."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gitcron.config.settings import Dataset
from gitcron.datasets.base import Rows
from gitcron.datasets.registry import SOURCES
from gitcron.jobs.base import JobContext, JobError
from gitcron.jobs.report import ReportJob
from gitcron.render.base import RenderSpec
from gitcron.render.registry import RENDERERS

from .helpers import FIRE, START, job_ctx, schedule, settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def produce(tmp_path: Path, report: dict[str, Any] | None = None, **settings_: Any) -> Any:
    ctx = job_ctx(tmp_path, schedule(report), settings(**settings_))
    return ReportJob().produce(ctx)


@pytest.mark.parametrize(
    ("report", "name", "content_type"),
    [
        pytest.param({"format": "xlsx"}, "weekly-products-2026-11-23.xlsx", XLSX, id="xlsx"),
        pytest.param({"format": "csv"}, "weekly-products-2026-11-23.csv", "text/csv", id="csv"),
        pytest.param(
            {"format": "json"},
            "weekly-products-2026-11-23.json",
            "application/json",
            id="json",
        ),
        pytest.param(
            {"format": "json", "json": {"lines": True}},
            "weekly-products-2026-11-23.jsonl",
            "application/x-ndjson",
            id="json lines",
        ),
        pytest.param(
            {"format": "pdf"}, "weekly-products-2026-11-23.pdf", "application/pdf", id="pdf"
        ),
    ],
)
def test_each_format_from_the_sample(
    tmp_path: Path, report: dict[str, Any], name: str, content_type: str
) -> None:
    artifact = produce(tmp_path, report)
    assert artifact.name == name
    assert artifact.content_type == content_type
    assert artifact.rows == 100
    assert artifact.note is None
    assert not artifact.skip
    assert artifact.path == tmp_path / "work" / name
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == [name]  # no partial file left
    assert artifact.data()[:4] in {b"PK\x03\x04", b"SKU,", b"[\n  ", b'{"sk', b"%PDF"}


def test_contents_follow_params(tmp_path: Path) -> None:
    artifact = produce(
        tmp_path,
        {
            "format": "csv",
            "params": {"category": "Bakery"},
            "filename": "{{ params.category }}-{{ rows }}.csv",
        },
    )
    with artifact.path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["Category"] for row in rows} == {"Bakery"}  # the header has readable labels
    assert artifact.name == f"Bakery-{len(rows)}.csv"


def test_xlsx_sheet_is_named_after_the_dataset(tmp_path: Path) -> None:
    artifact = produce(tmp_path, {"format": "xlsx"})
    workbook = openpyxl.load_workbook(artifact.path, read_only=True)
    assert workbook.sheetnames == ["products"]


NOTHING = {"params": {"category": "Spaceships"}}


@pytest.mark.parametrize(
    ("on_empty", "default", "skip"),
    [
        pytest.param(None, "send", False, id="default send"),
        pytest.param(None, "skip", True, id="settings say skip"),
        pytest.param("skip", "send", True, id="schedule says skip"),
        pytest.param("send", "skip", False, id="schedule says send"),
    ],
)
def test_on_empty(tmp_path: Path, on_empty: str | None, default: str, skip: bool) -> None:
    report = {**NOTHING, "format": "csv"} | ({"on_empty": on_empty} if on_empty else {})
    artifact = produce(tmp_path, report, defaults={"on_empty": default})
    assert artifact.skip is skip
    assert artifact.rows == 0
    assert artifact.name == "weekly-products-2026-11-23.csv"
    if skip:
        assert artifact.path is None
        assert artifact.note == "no rows: nothing sent (on_empty: skip)"
        assert list((tmp_path / "work").iterdir()) == []
    else:
        assert artifact.note == "no rows: sent an empty file"
        assert artifact.path is not None
        assert artifact.path.read_bytes().startswith(b"SKU,Name,Category")


def test_empty_xlsx_is_a_header_only_workbook(tmp_path: Path) -> None:
    artifact = produce(tmp_path, {**NOTHING, "format": "xlsx", "on_empty": "send"})
    sheet = openpyxl.load_workbook(artifact.path).worksheets[0]
    assert sheet.max_row == 1


class Capture:
    """A source that records what it was given and returns two rows."""

    params: Mapping[str, Any] = {}

    def __call__(
        self, name: str, spec: Dataset, params: Mapping[str, Any], ctx: JobContext
    ) -> Rows:
        self.params = dict(params)
        rows: Iterator[tuple[Any, ...]] = iter([("a", 1), ("b", 2)])
        return Rows(("k", "v"), rows)


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Capture:
    source = Capture()
    monkeypatch.setitem(SOURCES, "sample", source)
    return source


def test_dataset_gets_declared_params_defaults_and_the_interval(
    tmp_path: Path, capture: Capture
) -> None:
    datasets = {
        "products": {
            "sample": "products",
            "params": {"customer": {}, "region": {"default": "EU"}, "category": {}},
        }
    }
    produce(tmp_path, {"format": "json", "params": {"customer": "acme"}}, datasets=datasets)
    assert capture.params == {
        "customer": "acme",
        "region": "EU",
        "category": None,
        "interval_start": START,
        "interval_end": FIRE,
        "fire": FIRE,
    }


@pytest.mark.parametrize(
    ("datasets", "report", "problem"),
    [
        pytest.param(
            {"products": {"sample": "products", "params": {"region": {"required": True}}}},
            {},
            "the dataset 'products' needs the parameter 'region'",
            id="required param missing",
        ),
        pytest.param(
            {"products": {"sample": "products"}},
            {"params": {"region": "EU"}},
            "the dataset 'products' has no parameter 'region'",
            id="undeclared param",
        ),
        pytest.param(
            {"products": {"sample": "products", "params": ["fire"]}},
            {},
            "the dataset parameter 'fire' has the name of a run value",
            id="param named like a run value",
        ),
        pytest.param(
            {"orders": {"sample": "products"}},
            {},
            r"the dataset 'products' is not defined in gitcron.yaml \(defined: orders\)",
            id="dataset gone",
        ),
        pytest.param(
            {"products": {"sql": "select 1", "database": "DB_URL"}},
            {},
            "reads its database address from the environment variable DB_URL, which is not set",
            id="sql address unset",
        ),
    ],
)
def test_permanent_errors(
    tmp_path: Path, datasets: dict[str, Any], report: dict[str, Any], problem: str
) -> None:
    with pytest.raises(JobError, match=problem) as caught:
        produce(tmp_path, report, datasets=datasets)
    assert caught.value.permanent
    assert caught.value.hint


def test_pdf_too_big_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(JobError, match="more than 10 rows") as caught:
        produce(tmp_path, {"format": "pdf", "pdf": {"max_rows": 10}})
    assert caught.value.permanent
    assert list((tmp_path / "work").iterdir()) == []


def test_pdf_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[RenderSpec] = []

    def fake(columns: Any, rows: Any, out: Path, spec: RenderSpec, ctx: JobContext) -> int:
        seen.append(spec)
        out.write_bytes(b"%PDF-")
        return 0

    monkeypatch.setitem(RENDERERS, "pdf", fake)
    produce(tmp_path / "a", {"format": "pdf", "params": {"customer": "Acme Corp"}})
    produce(tmp_path / "b", {"format": "pdf", "pdf": {"title": "Stock on {{ run.local_date }}"}})
    # a param is a value for the query (often our id for the customer), never shown as a name
    assert [spec.title for spec in seen] == ["Products", "Stock on 2026-11-23"]


def test_disk_errors_are_transient(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(RENDERERS, "csv", full)
    with pytest.raises(JobError, match="No space left") as caught:
        produce(tmp_path, {"format": "csv"})
    assert not caught.value.permanent


def test_file_dataset_in_the_repo(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "stock.jsonl").write_text(
        '{"sku": "A", "qty": 3}\n{"sku": "B", "qty": 0}\n'
    )
    artifact = produce(
        tmp_path,
        {"dataset": "stock", "format": "json"},
        datasets={"stock": {"file": "data/stock.jsonl"}},
    )
    assert json.loads(artifact.data()) == [{"sku": "A", "qty": 3}, {"sku": "B", "qty": 0}]


def test_an_event_schedule_is_not_a_report(tmp_path: Path) -> None:
    ctx = job_ctx(tmp_path, schedule(event={"type": "report.daily"}))
    with pytest.raises(JobError, match="no report"):
        ReportJob().produce(ctx)
