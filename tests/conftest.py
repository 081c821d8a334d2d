"""Fixtures: a fresh copy of the repo's settings and examples, and the CLI run against it."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from support import REPO, Run, invoke


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh repo: a copy of this repo's gitcron.yaml and schedules/."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", root / "schedules")
    return root


@pytest.fixture
def empty_repo(tmp_path: Path) -> Path:
    """The repo's gitcron.yaml and an empty schedules/ folder."""
    root = tmp_path / "empty"
    (root / "schedules").mkdir(parents=True)
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    return root


@pytest.fixture
def gitcron(repo: Path) -> Callable[..., Run]:
    """`gitcron(*args)` runs the CLI against the `repo` fixture."""

    def run(*args: str, env: dict[str, str | None] | None = None) -> Run:
        return invoke(["--repo", str(repo), *args], env)

    return run


@pytest.fixture
def check(empty_repo: Path) -> Callable[..., Run]:
    """`check(text, rel=..., *args)`: write one file into an empty repo and validate the repo."""

    def run(text: str | bytes, rel: str = "schedules/acme/test.yaml", *args: str) -> Run:
        path = empty_repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return invoke(["--repo", str(empty_repo), "validate", *args])

    return run


class _Pings(BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(500 if "down" in self.path else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def pings() -> Iterator[tuple[str, list[str]]]:
    """A heartbeat server on 127.0.0.1: its URL, and the paths it was asked for (a path with
    `down` in it is answered 500)."""
    seen: list[str] = []
    server = HTTPServer(("127.0.0.1", 0), type("Handler", (_Pings,), {"seen": seen}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()
