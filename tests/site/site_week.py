"""A simulated week of ticks over the example repository, for the site's tests.

(This folder has no `__init__.py`: a package named `site` would shadow Python's own module.)

The example's schedules, in a git clone, ticked every 15 minutes (with GitHub's usual delay of
a few minutes) from Monday 2026-11-30 to Monday 2026-12-07 noon, each tick committing state/.
Customer 004's webhook points at a receiver on 127.0.0.1 that answers 500 from Wednesday to
Friday, so its runs fail, are retried and fail for good; the ticks of Thursday 00:00 to 13:00 UTC
never come (GitHub dropped them), so fires of that night are missed. Emails land in the outbox.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from channels.webserver import Receiver, Reply, serve
from support import REPO, invoke, utc

START = utc("2026-11-30T00:07:00")
END = utc("2026-12-07T12:07:00")
BUILT = utc("2026-12-07T12:20:00")  # when the site is built
OUTAGE = (utc("2026-12-03T00:00:00"), utc("2026-12-03T13:00:00"))  # no tick ran
BROKEN = (utc("2026-12-02T00:00:00"), utc("2026-12-05T00:00:00"))  # the webhook answers 500
SECRET = "whsec_" + base64.b64encode(b"s" * 24 + b"gitcron!").decode()
HOOK = "customer-004/stock-event"


@dataclass(frozen=True)
class Week:
    root: Path
    ticks: list[datetime]
    codes: list[int]  # each tick's exit code


def ticks() -> list[datetime]:
    """Every 15 minutes, 1-4 minutes late as GitHub starts them, none during the outage."""
    found = []
    at = START
    n = 0
    while at <= END:
        late = timedelta(minutes=(n * 7) % 4)
        if not OUTAGE[0] <= at < OUTAGE[1]:
            found.append(at + late)
        at += timedelta(minutes=15)
        n += 1
    return found


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def simulate(root: Path) -> Week:
    """Make the repository at `root` and tick it through the week."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "schedules", root / "schedules")
    receiver = Receiver(Reply(200))
    with serve(receiver) as port:
        url = f"http://127.0.0.1:{port}/gitcron"
        settings = (REPO / "gitcron.yaml").read_text("utf-8")
        settings = settings.replace("https://hooks.customer4.example.com/gitcron", url)
        settings += '\nnetwork:\n  allow: ["127.0.0.1"]\n'
        # no in-tick retries: they would wait (for real) between tries; later ticks retry
        settings = settings.replace("\nchannels:\n", "\nchannels:\n  retry: { attempts: 0 }\n")
        (root / "gitcron.yaml").write_text(settings, "utf-8")
        hook = root / "schedules" / f"{HOOK}.yaml"
        hook.write_text(
            hook.read_text("utf-8").replace("https://hooks.customer4.example.com/gitcron", url),
            "utf-8",
        )
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", ".")
        _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
        env: dict[str, str | None] = {
            "CUSTOMER_004_WEBHOOK_SECRET": SECRET,
            "GITCRON_SMTP_URL": None,
            "GITHUB_STEP_SUMMARY": None,
            "GITHUB_ACTIONS": None,
        }
        codes = []
        for at in (chosen := ticks()):
            broken = BROKEN[0] <= at < BROKEN[1]
            receiver.replies = [Reply(500, b"upstream exploded") if broken else Reply(200)]
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            run = invoke(["--repo", str(root), "run", "--at", stamp, "--commit"], env)
            codes.append(run.code)
    return Week(root, chosen, codes)


_MADE: list[Week] = []


def the_week(base: Path) -> Week:
    """The week, simulated once per test session (in the first caller's `base`)."""
    if not _MADE:
        _MADE.append(simulate(base / "week"))
    return _MADE[0]
