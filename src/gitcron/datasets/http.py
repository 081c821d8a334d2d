"""`http:` datasets: one GET of a JSON document whose list of objects becomes the rows.

The request goes through gitcron.net: a host on a private network is refused unless gitcron.yaml
lists it under `network.allow`, and the connection goes to the address that was checked.
Redirects are not followed (the address in gitcron.yaml is the one that is read, and secret
headers never go to another host), and the body is read in chunks up to `max_bytes`, so a
runaway response fails the run instead of the runner. Server errors and timeouts are retried;
4xx answers are permanent, except 408 and 429, which ask to try again later.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.config.settings import HttpSource
from gitcron.core.artifact import JobError
from gitcron.core.run import RunScope
from gitcron.datasets.base import Row, Rows
from gitcron.net.guard import Allowlist, NetError, Purpose, Unresolved, allowed

if TYPE_CHECKING:
    import httpx

_TRY_AGAIN = frozenset({408, 429})
_SCALARS = {  # JSON's words for a value that is not an object or a list
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
    "NoneType": "null",
}


def open_http(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: RunScope) -> Rows:
    """Fetch the document, find its list of rows, and hand them out in first-seen key order."""
    assert spec.http is not None
    source = spec.http
    where = _where(name, source.url)
    headers = _headers(name, source, ctx.env)
    purpose = Purpose(f"read the dataset '{name}' from", "server")
    document = _parse(where, _fetch(where, source, headers, (allowed(ctx.settings), purpose)))
    items = _rows_list(where, document, source.rows)
    columns = _columns(where, items)
    return Rows(columns, _tuples(items, columns))


def _where(name: str, url: str) -> str:
    """How messages name the source: the dataset and its address without query or fragment."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise JobError(
            f"the address of dataset '{name}' does not start with http:// or https://",
            f"give datasets.{name}.http.url as a full address, e.g. https://api.example.com/rows",
            permanent=True,
        )
    return f"the dataset '{name}' ({_short(url)})"


def _short(url: str) -> str:
    """Scheme, host and path: a query string or a user part may hold a token."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"


def _headers(name: str, source: HttpSource, env: Mapping[str, str]) -> dict[str, str]:
    """Each header's value from its environment variable; the values are never shown."""
    headers: dict[str, str] = {"Accept": "application/json"}
    for header, variable in source.headers_env.items():
        value = env.get(variable)
        if value is None:
            raise JobError(
                f"the dataset '{name}' sends the header {header} from the environment variable"
                f" {variable}, which is not set",
                f"set {variable} (a repository secret passed to the workflow), or remove"
                f" {header} from datasets.{name}.http.headers_env",
                permanent=True,
            )
        headers[header] = value
    return headers


def _fetch(
    where: str, source: HttpSource, headers: dict[str, str], guard: tuple[Allowlist, Purpose]
) -> bytes:
    """The response body, at most `max_bytes` of it; failures worded and marked for retry."""
    import httpx

    from gitcron.net import http

    timeout = source.timeout.total_seconds()
    url = httpx.URL(source.url)
    try:
        to = http.pinned(url, *guard, None)
        with (
            http.client(timeout=timeout) as client,
            http.stream(client, "GET", url, to, headers=headers) as response,
        ):
            _check_status(where, url, response)
            return _read(where, response, source.max_bytes)
    except Unresolved as error:
        raise JobError(
            f"{where} could not be reached: its host cannot be resolved ({error.reason})",
            "check that the server is up and reachable from the runner; the run is tried again",
        ) from None
    except NetError as error:
        raise JobError(error.message, error.hint, permanent=error.permanent) from None
    except httpx.TimeoutException:
        raise JobError(
            f"{where} did not answer within {timeout:g} seconds",
            "the run is tried again; if the server is always this slow, raise http.timeout",
        ) from None
    except httpx.TransportError as error:
        raise JobError(
            f"{where} could not be reached: {type(error).__name__}",
            "check that the server is up and reachable from the runner; the run is tried again",
        ) from None


def _check_status(where: str, url: httpx.URL, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        target = url.join(response.headers.get("location", ""))  # not the pinned address
        raise JobError(
            f"{where} answered {status}, a redirect to {_short(str(target))}",
            "redirects are not followed: put the final address in http.url in gitcron.yaml",
            permanent=True,
        )
    permanent = status < 500 and status not in _TRY_AGAIN
    raise JobError(
        f"{where} answered {status} {response.reason_phrase}",
        "check the address and the headers' secrets in gitcron.yaml"
        if permanent
        else "the server had a passing problem; the run is tried again",
        permanent=permanent,
    )


def _read(where: str, response: httpx.Response, limit: int) -> bytes:
    """The body in chunks, stopping as soon as it passes `limit` bytes (after decompression)."""
    from gitcron.net.http import read_at_most

    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(where, limit)
    body, more = read_at_most(response, limit)
    if more:
        raise _too_big(where, limit)
    return body


def _too_big(where: str, limit: int) -> JobError:
    return JobError(
        f"{where} sent more than {limit:,} bytes (http.max_bytes)",
        "ask the server for fewer rows (a narrower query), or raise http.max_bytes in gitcron.yaml",
        permanent=True,
    )


def _parse(where: str, body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        detail = (
            f"line {error.lineno} column {error.colno}: {error.msg}"
            if isinstance(error, json.JSONDecodeError)
            else "it is not UTF-8 text"
        )
        raise JobError(
            f"{where} did not send JSON ({detail})",
            "check that http.url is the JSON endpoint (not a web page or a login form)",
            permanent=True,
        ) from None


def _rows_list(where: str, document: Any, path: str | None) -> list[Any]:
    """The list at the dotted `rows:` path (`data.items`; a number indexes a list)."""
    current = document
    walked: list[str] = []
    for key in path.split(".") if path else []:
        walked.append(key)
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        else:
            raise JobError(
                f"{where}: the document has nothing at '{'.'.join(walked)}'"
                f" (there: {_keys(current)})",
                "fix http.rows in gitcron.yaml: the dotted path to the list of rows",
                permanent=True,
            )
    if not isinstance(current, list):
        at = f"at '{path}'" if path else "at its top"
        raise JobError(
            f"{where}: the document has no list of rows {at}",
            "set http.rows to the dotted path of the list in the document, e.g. rows: data.items",
            permanent=True,
        )
    return current


def _keys(value: Any) -> str:
    if isinstance(value, dict):
        names = [str(key) for key in list(value)[:10]]
        return "keys " + ", ".join(names) if names else "an empty object"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return _SCALARS.get(type(value).__name__, "a value")


def _columns(where: str, items: list[Any]) -> tuple[str, ...]:
    """Every key of every row, in the order first seen: the document is already in memory."""
    seen: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise JobError(
                f"{where}: row {number} is {_keys(item)}, not an object with named fields",
                'rows must be JSON objects like {"sku": "A-1", "price": 2.5}; point'
                " http.rows at such a list",
                permanent=True,
            )
        seen.update(dict.fromkeys(str(key) for key in item))
    return tuple(seen)


def _tuples(items: list[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[Row]:
    for item in items:
        yield tuple(_cell(item.get(column)) for column in columns)


def _cell(value: Any) -> Any:
    """Nested objects and lists become compact JSON text in one cell."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value
