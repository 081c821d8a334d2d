"""The example repository with customer 004's webhook on a receiver at 127.0.0.1, for the tests
of what a tick says about its failures (exit code, annotations, job summary).

The first tick (05:52) only anchors; the 06:07 tick runs the webhook's 06:00 fire (and the
6-hourly workbook, by email into the outbox). `retry: { attempts: 3, backoff: 5m }` from
gitcron.yaml's defaults gives retries due 5, 10 and 20 minutes after each failure.
"""

from __future__ import annotations

import base64
from pathlib import Path

HOOK = "customer-004/stock-event"
SECRET = "whsec_" + base64.b64encode(b"h" * 24 + b"gitcron!").decode()
EXAMPLE_URL = "https://hooks.customer4.example.com/gitcron"
ENV: dict[str, str | None] = {"CUSTOMER_004_WEBHOOK_SECRET": SECRET, "GITCRON_SMTP_URL": None}


def point_webhook_at(repo: Path, port: int) -> str:
    """Grant and aim customer 004's webhook at the receiver; no in-tick retries (no waiting)."""
    url = f"http://127.0.0.1:{port}/gitcron"
    settings = (repo / "gitcron.yaml").read_text("utf-8").replace(EXAMPLE_URL, url)
    settings = settings.replace("\nchannels:\n", "\nchannels:\n  retry: { attempts: 0 }\n")
    (repo / "gitcron.yaml").write_text(settings + '\nnetwork:\n  allow: ["127.0.0.1"]\n', "utf-8")
    hook = repo / "schedules" / f"{HOOK}.yaml"
    hook.write_text(hook.read_text("utf-8").replace(EXAMPLE_URL, url), "utf-8")
    return url
