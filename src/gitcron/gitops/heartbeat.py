"""The liveness ping after a tick: a dead-man's switch notices when ticks stop or fail.

`liveness.heartbeat_url_env` names the variable holding a healthchecks.io-style URL; after each
tick (or trigger, or shard commit) it is fetched plainly on success, with `/fail` appended on
any failure. The ping never fails the tick: every problem with it is only a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from gitcron.errors import GitcronError

Warn = Callable[[str], None]


def with_heartbeat(root: Path, env: Mapping[str, str], step: Callable[[], int], warn: Warn) -> int:
    """Run `step`, then ping the heartbeat URL: plain on success, `/fail` on any failure."""
    try:
        code = step()
    except GitcronError:
        heartbeat(root, env, False, warn)
        raise
    heartbeat(root, env, code == 0, warn)
    return code


def heartbeat(root: Path, env: Mapping[str, str], ok: bool, warn: Warn) -> None:
    """GET `liveness.heartbeat_url_env`'s URL (healthchecks.io style); never fails the tick."""
    from gitcron.catalog.load import load_settings

    name = load_settings(root)[0].liveness.heartbeat_url_env
    if not name:
        return
    url = env.get(name)
    if not url:
        warn(f"{name} is not set, so no heartbeat was sent")
        return
    import httpx  # only ticks that ping pay for the import

    try:
        target = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        warn(f"{name} does not hold a URL; no heartbeat was sent")
        return
    if not ok:
        target = target.copy_with(path=target.path.rstrip("/") + "/fail")
    try:
        httpx.get(target, timeout=10.0, follow_redirects=True).raise_for_status()
    except httpx.HTTPError as error:
        why = (  # never the URL itself: its path is the check's secret
            f"it answered HTTP {error.response.status_code}"
            if isinstance(error, httpx.HTTPStatusError)
            else type(error).__name__
        )
        warn(
            f"heartbeat to {target.scheme}://{target.host} failed ({why}); "
            "the tick itself is unaffected"
        )
