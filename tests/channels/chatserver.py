"""Loopback stand-ins for Slack and Microsoft Teams that speak their documented shapes.

`Slack` is an incoming webhook (`POST /services/...` with JSON, answering `ok`, or
`404 channel_not_found`...) and the Web API's file upload: `files.getUploadURLExternal` (form:
filename, length; answers an upload_url on this server and a file id), the upload (the bytes,
`OK - <length>`) and `files.completeUploadExternal` (form: files, channel_id, initial_comment).
A wrong bot token gets HTTP 200 `{"ok": false, "error": "invalid_auth"}`, an unknown channel
`channel_not_found`, as Slack answers. `Teams` is a Workflows webhook checking its `sig`.
Either can be told to answer the next requests with a scripted status (429 with Retry-After...).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT_TOKEN = "xoxb-1111-2222-abcdefABCDEF"
HOOK_PATH = "/services/T0001/B0001/s3cr3tW3bh00kT0ken"
SIG = "s1gn4tur3-of-the-workflow"
CHANNEL = "C0123456789"


@dataclass
class Scripted:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """What both fakes share: a record of requests, and scripted answers that come first."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.script: list[Scripted] = []
        self.port = 0
        self.lock = threading.Lock()

    def then(self, status: int, body: bytes = b"", **headers: str) -> Server:
        self.script.append(Scripted(status, body, headers))
        return self

    def take(self, seen: Seen) -> Scripted:
        with self.lock:
            self.seen.append(seen)
            if self.script:
                return self.script.pop(0)
        return self.answer(seen)

    def answer(self, seen: Seen) -> Scripted:
        raise NotImplementedError


def _json(status: int, value: Any) -> Scripted:
    return Scripted(status, json.dumps(value).encode(), {"Content-Type": "application/json"})


class Slack(Server):
    def __init__(self) -> None:
        super().__init__()
        self.uploads: dict[str, tuple[str, int, bytes | None]] = {}  # id -> name, length, bytes
        self.shared: list[dict[str, Any]] = []  # completed uploads: files, channel, comment

    def answer(self, seen: Seen) -> Scripted:
        path = urlsplit(seen.path).path
        if path == HOOK_PATH:
            text = (
                seen.json().get("text")
                if seen.headers.get("content-type", "").startswith("application/json")
                else None
            )
            return Scripted(200, b"ok") if text else Scripted(400, b"invalid_payload")
        if path.startswith("/services/"):
            return Scripted(404, b"no_service")
        if path.startswith("/upload/"):
            file_id = path.rsplit("/", 1)[-1]
            name, length, _ = self.uploads[file_id]
            if len(seen.body) != length:
                return Scripted(400, b"length does not match")
            self.uploads[file_id] = (name, length, seen.body)
            return Scripted(200, f"OK - {length}".encode())
        if seen.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
            return _json(200, {"ok": False, "error": "invalid_auth"})
        form = seen.form()
        if path == "/api/files.getUploadURLExternal":
            if "filename" not in form or not form.get("length", "").isdigit():
                return _json(200, {"ok": False, "error": "invalid_arguments"})
            file_id = f"F{len(self.uploads) + 1:08d}"
            self.uploads[file_id] = (form["filename"], int(form["length"]), None)
            url = f"http://127.0.0.1:{self.port}/upload/v1/{file_id}"
            return _json(200, {"ok": True, "upload_url": url, "file_id": file_id})
        if path == "/api/files.completeUploadExternal":
            if form.get("channel_id") != CHANNEL:
                return _json(200, {"ok": False, "error": "channel_not_found"})
            files = json.loads(form["files"])
            if any(self.uploads.get(f["id"], ("", 0, None))[2] is None for f in files):
                return _json(200, {"ok": False, "error": "file_uploads_not_completed"})
            self.shared.append({**form, "files": files})
            return _json(200, {"ok": True, "files": [{"id": f["id"]} for f in files]})
        return _json(200, {"ok": False, "error": "unknown_method"})


class Teams(Server):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, Any]] = []

    def answer(self, seen: Seen) -> Scripted:
        query = parse_qs(urlsplit(seen.path).query)
        if query.get("sig") != [SIG]:
            return _json(
                401,
                {
                    "error": {
                        "code": "DirectApiAuthorizationRequired",
                        "message": "The request must be authenticated only by SAS.",
                    }
                },
            )
        message = seen.json()
        attachments = message.get("attachments") or [{}]
        if message.get("type") != "message" or attachments[0].get("contentType") != (
            "application/vnd.microsoft.card.adaptive"
        ):
            return _json(
                400,
                {"error": {"code": "InvalidTemplate", "message": "not an adaptive card message"}},
            )
        self.cards.append(attachments[0]["content"])
        return Scripted(202, b"")


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = server.take(Seen(self.path, headers, body))
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(server: Server) -> Iterator[int]:
    """Run `server` on a free loopback port; yield the port."""
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    http.daemon_threads = True
    server.port = int(http.server_address[1])
    thread = threading.Thread(target=http.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        http.shutdown()
        http.server_close()
        thread.join()


CHAT_GRANTS = {
    "slack-hook": {"env": "SLACK_HOOK_URL", "for": "slack", "to": ["127.0.0.1"]},
    "slack-bot": {"env": "SLACK_BOT_TOKEN", "for": "slack", "to": ["127.0.0.1"]},
    "teams-hook": {"env": "TEAMS_HOOK_URL", "for": "teams", "to": ["127.0.0.1"]},
}


def chat_settings(**grants: dict[str, Any]) -> Any:
    """The channel tests' settings with the chat credentials granted (changed by `grants`)."""
    from channels.helpers import GRANTED, settings
    from gitcron.config.settings import Settings

    changed = {**GRANTED, **CHAT_GRANTS}
    for name, change in grants.items():
        changed[name] = {**changed[name], **change}
    credentials = Settings.model_validate({"credentials": changed}).credentials
    return settings().model_copy(update={"credentials": credentials})
