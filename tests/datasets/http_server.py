"""A real HTTP server on 127.0.0.1 for `http:` dataset tests: canned answers by path."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=dict)
    wait: threading.Event | None = None  # answer only once the test sets it
    length: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class Site:
    """The server's answers by path, and the headers of every request it received."""

    base: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append({k.lower(): v for k, v in self.headers.items()})
            answer = site.answers.get(self.path, Answer(404, b'{"error": "not found"}'))
            if answer.wait is not None:
                answer.wait.wait()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            if answer.length:
                self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading
                for start in range(0, len(answer.body), 4096):
                    self.wfile.write(answer.body[start : start + 4096])

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve() -> Iterator[Site]:
    """A running server; waiting handlers are released and the server stopped at the end."""
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        for answer in site.answers.values():
            if answer.wait is not None:
                answer.wait.set()
        server.shutdown()
        server.server_close()
        thread.join()
