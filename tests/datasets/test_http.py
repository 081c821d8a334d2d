"""`http:` datasets against a real server on 127.0.0.1: headers, rows, limits, status codes."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gitcron.config.settings import Dataset, Settings
from gitcron.datasets.registry import open_dataset
from gitcron.jobs.base import JobError
from jobs.helpers import FIRE, START, job_ctx
from net.listener import listening

from .http_server import Answer, Site, serve

RUN = {"interval_start": START, "interval_end": FIRE, "fire": FIRE}
# the test server is on 127.0.0.1, which an engineer allows as for a server of their own
LOOPBACK = Settings.model_validate({"network": {"allow": ["127.0.0.1"]}})
PRODUCTS = [
    {"sku": "A-1", "price": 2.5, "tags": ["new"]},
    {"sku": "A-2", "stock": 7},
    {"price": 1.0, "sku": "A-3", "size": {"w": 2}},
]


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def answer(site: Site, path: str, document: Any = None, **kwargs: Any) -> str:
    body = kwargs.pop("body", None)
    site.answers[path] = Answer(
        body=json.dumps(document).encode() if body is None else body, **kwargs
    )
    return site.base + path


def read(
    tmp_path: Path, url: str, env: dict[str, str] | None = None, **http: Any
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    spec = Dataset.model_validate({"http": {"url": url, **http}})
    ctx = dataclasses.replace(job_ctx(tmp_path, the_settings=LOOPBACK), env=env or {})
    with open_dataset("catalog", spec, RUN, ctx) as rows:
        return rows.columns, list(rows)


def failure(tmp_path: Path, url: str, **http: Any) -> JobError:
    with pytest.raises(JobError) as caught:
        read(tmp_path, url, **http)
    assert "dataset 'catalog'" in caught.value.message
    return caught.value


def test_columns_are_every_key_in_first_seen_order(tmp_path: Path, site: Site) -> None:
    columns, rows = read(tmp_path, answer(site, "/products", PRODUCTS))
    assert columns == ("sku", "price", "tags", "stock", "size")
    assert rows == [
        ("A-1", 2.5, '["new"]', None, None),
        ("A-2", None, None, 7, None),
        ("A-3", 1.0, None, None, '{"w":2}'),
    ]


def test_headers_come_from_env_vars(tmp_path: Path, site: Site) -> None:
    url = answer(site, "/products", PRODUCTS)
    env = {"CATALOG_TOKEN": "Bearer abc123", "CATALOG_TENANT": "acme"}
    headers = {"Authorization": "CATALOG_TOKEN", "X-Tenant": "CATALOG_TENANT"}
    read(tmp_path, url, env, headers_env=headers)
    [request] = site.requests
    assert request["authorization"] == "Bearer abc123"
    assert request["x-tenant"] == "acme"
    assert request["accept"] == "application/json"


def test_a_missing_header_env_var_is_named(tmp_path: Path, site: Site) -> None:
    url = answer(site, "/products", PRODUCTS)
    error = failure(tmp_path, url, headers_env={"Authorization": "CATALOG_TOKEN"})
    assert error.permanent
    assert "Authorization" in error.message
    assert "CATALOG_TOKEN" in error.message
    assert site.requests == []  # nothing was sent without it


@pytest.mark.parametrize(
    ("path", "document"),
    [
        pytest.param("data.items", {"data": {"items": PRODUCTS, "next": None}}, id="nested"),
        pytest.param("pages.1.rows", {"pages": [{"rows": []}, {"rows": PRODUCTS}]}, id="index"),
    ],
)
def test_rows_is_a_dotted_path_to_the_list(
    tmp_path: Path, site: Site, path: str, document: Any
) -> None:
    _, rows = read(tmp_path, answer(site, "/doc", document), rows=path)
    assert [row[0] for row in rows] == ["A-1", "A-2", "A-3"]


@pytest.mark.parametrize(
    ("document", "rows", "words"),
    [
        pytest.param({"data": {"list": []}}, "data.items", "nothing at 'data.items'", id="no key"),
        pytest.param({"data": PRODUCTS}, None, "no list of rows at its top", id="not a list"),
        pytest.param({"data": {"n": 1}}, "data", "no list of rows at 'data'", id="an object"),
        pytest.param([[1, 2], [3, 4]], None, "row 1 is a list of 2, not an object", id="lists"),
        pytest.param([{"a": 1}, 5], None, "row 2 is a number, not an object", id="scalar"),
    ],
)
def test_a_document_without_rows_of_objects_is_refused(
    tmp_path: Path, site: Site, document: Any, rows: str | None, words: str
) -> None:
    error = failure(tmp_path, answer(site, "/doc", document), rows=rows)
    assert error.permanent
    assert words in error.message


def test_an_empty_list_has_no_columns(tmp_path: Path, site: Site) -> None:
    assert read(tmp_path, answer(site, "/doc", [])) == ((), [])


def test_a_body_that_is_not_json(tmp_path: Path, site: Site) -> None:
    error = failure(tmp_path, answer(site, "/page", body=b"<html>login</html>"))
    assert error.permanent
    assert "did not send JSON" in error.message


@pytest.mark.parametrize(
    "length", [pytest.param(True, id="content-length"), pytest.param(False, id="counted")]
)
def test_the_size_limit_stops_the_read(tmp_path: Path, site: Site, length: bool) -> None:
    body = json.dumps([{"n": n} for n in range(10_000)]).encode()
    url = answer(site, "/big", body=body, length=length)
    error = failure(tmp_path, url, max_bytes=1000)
    assert error.permanent
    assert "more than 1,000 bytes" in error.message
    assert error.hint is not None
    assert "raise http.max_bytes" in error.hint


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        pytest.param(500, False, id="500"),
        pytest.param(503, False, id="503"),
        pytest.param(429, False, id="429"),
        pytest.param(404, True, id="404"),
        pytest.param(401, True, id="401"),
    ],
)
def test_status_codes(tmp_path: Path, site: Site, status: int, permanent: bool) -> None:
    url = answer(site, "/status", {"error": "x"}, status=status)
    error = failure(tmp_path, url)
    assert error.permanent is permanent
    assert f"answered {status}" in error.message


def test_a_redirect_is_not_followed(tmp_path: Path, site: Site) -> None:
    answer(site, "/new?token=abc", PRODUCTS)
    url = answer(site, "/old", {}, status=301, headers={"Location": "/new?token=abc"})
    error = failure(tmp_path, url)
    assert error.permanent
    assert f"a redirect to {site.base}/new" in error.message
    assert "token" not in error.message
    assert len(site.requests) == 1


def test_a_slow_server_times_out_and_is_tried_again(tmp_path: Path, site: Site) -> None:
    release = threading.Event()
    url = answer(site, "/slow", PRODUCTS, wait=release)
    error = failure(tmp_path, url, timeout=timedelta(seconds=0.2))
    release.set()
    assert not error.permanent
    assert "did not answer within 0.2 seconds" in error.message


def test_a_closed_port_is_tried_again(tmp_path: Path) -> None:
    with serve() as gone:
        url = gone.base + "/products"
    error = failure(tmp_path, url)
    assert not error.permanent
    assert "could not be reached" in error.message


@pytest.mark.parametrize(
    "url", ["ftp://files.example.com/rows.json", "file:///etc/passwd", "api.example.com/rows"]
)
def test_only_http_addresses(tmp_path: Path, url: str) -> None:
    error = failure(tmp_path, url)
    assert error.permanent
    assert "does not start with http:// or https://" in error.message


def test_a_loopback_server_is_refused_before_connecting(tmp_path: Path) -> None:
    with listening() as listener:
        spec = Dataset.model_validate({"http": {"url": f"http://127.0.0.1:{listener.port}/rows"}})
        with (
            pytest.raises(JobError) as caught,
            open_dataset("catalog", spec, RUN, job_ctx(tmp_path)),
        ):
            pass
        assert not listener.reached()  # nothing connected: refused before any socket opened
    error = caught.value
    assert error.permanent
    assert error.message.startswith(
        "refusing to read the dataset 'catalog' from 127.0.0.1: it is a loopback address"
    )
    assert "network.allow" in str(error.hint)


def test_an_allowed_address_is_connected_to(tmp_path: Path) -> None:
    with listening(hang_up=True) as listener:
        error = failure(tmp_path, f"http://127.0.0.1:{listener.port}/rows")  # LOOPBACK allows it
        assert listener.reached()
    assert not error.permanent
    assert "could not be reached" in error.message
