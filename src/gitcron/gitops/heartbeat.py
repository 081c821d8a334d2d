"""The liveness ping after a tick: a dead-man's switch notices when ticks stop or fail.

`liveness.heartbeat_url_env` names the variable holding a healthchecks.io-style URL; after each
tick (or trigger, or shard commit) it is fetched plainly on success, with `/fail` appended on
any failure. The ping never fails the tick: every problem with it is only a warning.

It goes out through `gitcron.net` like every other request: the host is checked (a heartbeat
server inside a private network must be on `network.allow`) and the request is sent to the checked
address, without redirects or proxies from the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.errors import GitcronError
from gitcron.net.guard import NetError, Purpose, allowed

if TYPE_CHECKING:
    from gitcron.config.settings import Settings

Warn = Callable[[str], None]
Known = Callable[[], "Settings | None"]  # gitcron.yaml as the step loaded it, if it did
_PURPOSE = Purpose("ping the heartbeat at", "heartbeat server")


def with_heartbeat(
    root: Path,
    env: Mapping[str, str],
    step: Callable[[], int],
    warn: Warn,
    known: Known = lambda: None,
) -> int:
    """Run `step`, then ping the heartbeat URL: plain on success, `/fail` on any failure.
    `known` gives the settings the step loaded, so gitcron.yaml is not validated twice."""
    try:
        code = step()
    except GitcronError:
        heartbeat(root, env, False, warn, known())
        raise
    heartbeat(root, env, code == 0, warn, known())
    return code


def heartbeat(
    root: Path, env: Mapping[str, str], ok: bool, warn: Warn, settings: Settings | None = None
) -> None:
    """GET `liveness.heartbeat_url_env`'s URL (healthchecks.io style); never fails the tick.
    `settings` are gitcron.yaml's as the step loaded them; without them it is loaded here."""
    if settings is None:
        from gitcron.catalog.load import load_settings

        settings = load_settings(root)[0]
    name = settings.liveness.heartbeat_url_env
    if not name:
        return
    url = env.get(name)
    if not url:
        warn(f"{name} is not set, so no heartbeat was sent")
        return
    import httpx  # only ticks that ping pay for the import

    from gitcron.net import http

    try:
        target = httpx.URL(url)
        if target.scheme not in ("http", "https") or not target.host:
            raise httpx.InvalidURL("not an http(s) URL")
    except (httpx.InvalidURL, TypeError):
        warn(f"{name} does not hold a URL; no heartbeat was sent")
        return
    if not ok:
        target = target.copy_with(path=target.path.rstrip("/") + "/fail")
    where = f"{target.scheme}://{target.host}"  # never the URL itself: its path is the secret
    try:
        to = http.pinned(target, allowed(settings), _PURPOSE, None)
        with http.client(timeout=10.0) as session, http.stream(session, "GET", target, to) as sent:
            sent.raise_for_status()
    except NetError as error:
        hint = f"\n  hint: {error.hint}" if error.hint else ""
        warn(f"heartbeat to {where} not sent: {error.message}; the tick itself is unaffected{hint}")
    except httpx.HTTPError as error:
        why = (
            f"it answered HTTP {error.response.status_code}"
            if isinstance(error, httpx.HTTPStatusError)
            else type(error).__name__
        )
        warn(f"heartbeat to {where} failed ({why}); the tick itself is unaffected")
