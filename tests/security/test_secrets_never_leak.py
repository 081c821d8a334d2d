"""Secrets never leave: a run that fails in every way it can, then every output is searched.

The servers here answer by echoing back what they were sent (headers included), the worst a
receiver can do; the secrets travel in an SMTP URL, a webhook signing secret, a bearer token and
an HTTP dataset header, and must not appear in any output, record, state file or notification.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from support import invoke

SMTP_PASSWORD = "smtp-Pa55-w0rd-q8z"
HOOK_SECRET = "whsec_" + base64.b64encode(b"hook-signing-key-0123456789ab").decode()
HOOK_TOKEN = "tok-9f8e7d6c5b4a3f2e"
PRICES_AUTH = "Bearer prices-8c7b6a5d4e3f"
SECRETS = {
    "GITCRON_SMTP_URL": f"smtp://reports:{SMTP_PASSWORD}@127.0.0.1:9",  # nothing listens there
    "HOOK_SECRET": HOOK_SECRET,
    "HOOK_TOKEN": HOOK_TOKEN,
    "PRICES_AUTH": PRICES_AUTH,
}
SETTINGS = """\
defaults: {{ owner: am@ourco.example, retry: {{ attempts: 0 }} }}
datasets:
  products: {{ sample: products, params: [customer] }}
  prices:
    http: {{ url: "http://127.0.0.1:{port}/prices", headers_env: {{ Authorization: PRICES_AUTH }} }}
channels:
  email: {{ from: reports@ourco.example }}
  retry: {{ attempts: 0 }}
network: {{ allow: ["127.0.0.1"] }}
credentials:
  hook-secret: {{ env: HOOK_SECRET, for: webhook, to: ["127.0.0.1"] }}
  hook-token: {{ env: HOOK_TOKEN, for: webhook, to: ["127.0.0.1"] }}
"""
HOOK = """\
schedule: {{ daily: {{ at: "09:00" }} }}
report: {{ dataset: products, format: csv, params: {{ customer: acme }} }}
deliver:
  - email: {{ to: [buyer@acme.example] }}
  - webhook:
      {{ url: "http://127.0.0.1:{port}/hook", secret_env: HOOK_SECRET, token_env: HOOK_TOKEN }}
notify: {{ on: [failure], email: [am@ourco.example], webhook: "http://127.0.0.1:{port}/notify" }}
"""
PRICES = """\
schedule: { daily: { at: "09:00" } }
report: { dataset: prices, format: csv }
deliver: [ { outbox: {} } ]
notify: { on: [failure], email: [am@ourco.example] }
"""


class Echo(BaseHTTPRequestHandler):
    """Refuses everything, and tells the caller exactly what it sent."""

    paths: list[str] = []

    def _echo(self, status: int) -> None:
        length = int(self.headers.get("Content-Length", 0) or 0)
        sent = self.rfile.read(length) if length else b""
        self.paths.append(self.path)
        said = {"authorization": self.headers.get("Authorization"), "headers": dict(self.headers)}
        body = json.dumps({"you sent": said, "body": sent[:200].decode("latin-1")})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self) -> None:
        self._echo(500)

    def do_POST(self) -> None:
        self._echo(401)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def echo_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def everything_written(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes().decode("utf-8", "replace")
        for p in root.rglob("*")
        if p.is_file() and ".gitcron-cache" not in p.parts  # the parse cache holds no values
    }


def test_no_secret_reaches_any_output_of_a_failing_tick(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "schedules/acme").mkdir(parents=True)
    with echo_server() as port:
        (root / "gitcron.yaml").write_text(SETTINGS.format(port=port))
        (root / "schedules/acme/hook.yaml").write_text(HOOK.format(port=port))
        (root / "schedules/acme/prices.yaml").write_text(PRICES)
        env: dict[str, str | None] = dict(SECRETS)
        repo = ["--repo", str(root)]
        outputs = [
            invoke([*repo, "run", "--at", "2026-11-23T08:52:00Z"], env),
            invoke([*repo, "run", "--at", "2026-11-23T09:07:00Z"], env),
            invoke([*repo, "history"], env),
            invoke([*repo, "history", "--format", "json"], env),
            invoke([*repo, "history", "--stats"], env),
        ]
    tick = outputs[1]
    assert tick.code == 1
    by_schedule = {r["schedule"]: r for r in outputs[3].json()}
    hook, prices = by_schedule["acme/hook"], by_schedule["acme/prices"]
    assert hook["status"] == "failed"
    assert [d["status"] for d in hook["deliveries"]] == ["failed", "failed"]
    assert "HTTP 401" in hook["deliveries"][1]["error"]  # the echo came back, masked
    assert prices["status"] == "failed"
    assert sorted(Echo.paths) == ["/hook", "/notify", "/prices"]  # the notification went too
    assert "the webhook notification was not sent" in tick.err
    seen = {**everything_written(root), **{f"output {i}": o.both for i, o in enumerate(outputs)}}
    assert any(name.startswith("state/history/") for name in seen)
    secrets = (SMTP_PASSWORD, HOOK_SECRET, HOOK_SECRET.removeprefix("whsec_"), HOOK_TOKEN)
    for secret in (*secrets, PRICES_AUTH.removeprefix("Bearer ")):
        for name, text in seen.items():
            assert secret not in text, f"{secret!r} leaked into {name}"
