"""The doctor's checks that touch the world (git's push, the parse cache, and, asked, the hosts),
and `examine`, which runs every check in order.

Kept apart from doctor.py, which only reads files: these run git, write `.gitcron-cache/` and,
with `--reach`, open TCP connections through `gitcron.net` (the same address guard a delivery
passes), to the mail server and to each webhook host, and send nothing over them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from gitcron.catalog.cache import load_views
from gitcron.catalog.files import CACHE_DIR
from gitcron.catalog.load import load
from gitcron.catalog.named_variables import Named, named_variables
from gitcron.catalog.workflows import WORKFLOWS_DIR
from gitcron.channels.base import DeliveryError
from gitcron.channels.email.smtp import MAIL, parse_smtp_url
from gitcron.channels.webhook.send import WEBHOOK, webhook_allowlist
from gitcron.config.settings import Settings
from gitcron.errors import GitcronError
from gitcron.gitops.git import GitError
from gitcron.gitops.probe import ignored, push_refusal
from gitcron.net.guard import allowed, connect, pin
from gitcron.review.doctor import Finding, codeowners, variables


def examine(
    root: Path, now: datetime, env: Mapping[str, str], hosts: bool = False, timeout: float = 5.0
) -> list[Finding]:
    """Every check, in the order an operator fixes them; `hosts` adds the reachability ones."""
    loaded = load_views(root, now)
    found = [
        Finding(
            "settings",
            False,
            f"{p.file}:{p.line}: {p.message}" if p.line else f"{p.file}: {p.message}",
            p.hint or "run gitcron validate and fix it",
        )
        for p in loaded.settings_problems
    ]
    found += variables(root, loaded.settings, env, schedule_variables(root, now))
    found += codeowners(root)
    found += push(root)
    found += cache(root, now)
    if hosts:
        hooks = sorted(
            {
                t.partition(":")[2]
                for v in loaded.views
                for t in v.targets
                if t.startswith("webhook:")
            }
        )
        found += reach(loaded.settings, env, hooks, timeout)
    return found


def schedule_variables(root: Path, now: datetime) -> list[Named]:
    """The variables the valid schedules name themselves, each at its line (every file is
    read in full: the parse cache keeps only what planning needs)."""
    catalog = load(root, now, rehearse=False)
    return [
        use
        for entry in catalog.entries
        if entry.schedule is not None
        for use in named_variables(entry.file, entry.schedule, entry.text)
    ]


def push(root: Path) -> Iterator[Finding]:
    """`git push --dry-run` of this branch to its upstream: what the tick does after a run."""
    try:
        refusal = push_refusal(root)
    except GitError as error:
        yield Finding("push", False, error.message, error.hint)
        return
    if refusal is None:
        yield Finding("push", True, "the branch can be pushed (git push --dry-run)")
        return
    yield Finding(
        "push",
        False,
        f"git push --dry-run was refused: {refusal}",
        "let the tick's identity push to the branch: the ruleset's bypass list, a GitHub App"
        " token or a deploy key (docs/gitops.md, step 3); locally, check your login",
    )


def cache(root: Path, now: datetime) -> Iterator[Finding]:
    """The parse cache is written and read back, is git-ignored, and a workflow keeps it."""
    try:
        load_views(root, now)
        again = load_views(root, now)
    except OSError as error:
        yield Finding(
            "cache",
            False,
            f"{CACHE_DIR}/ cannot be written: {error.strerror or error}",
            f"make {CACHE_DIR}/ a folder gitcron can write (it is rebuilt when deleted)",
        )
        return
    if again.stats.parsed:
        yield Finding(
            "cache",
            False,
            f"{again.stats.parsed} schedule file(s) were parsed again on a second read: the"
            f" parse cache in {CACHE_DIR}/ does not keep them",
            f"delete {CACHE_DIR}/ and run gitcron doctor again; if it stays, report a bug",
        )
    else:
        yield Finding("cache", True, f"the parse cache works ({again.stats.files} file(s) kept)")
    with contextlib.suppress(GitError):
        if not ignored(root, f"{CACHE_DIR}/x"):
            yield Finding(
                "cache",
                False,
                f"git does not ignore {CACHE_DIR}/",
                f"add `{CACHE_DIR}/` to .gitignore",
                warning=True,
            )
    if not _kept_by_a_workflow(root):
        yield Finding(
            "cache",
            False,
            f"no workflow keeps {CACHE_DIR}/ between ticks, so every tick parses every schedule",
            "restore and save it with actions/cache as .github/workflows/tick.yml does",
            warning=True,
        )


def _kept_by_a_workflow(root: Path) -> bool:
    folder = root / WORKFLOWS_DIR
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = path.read_text(encoding="utf-8")
            if "actions/cache" in text and CACHE_DIR in text:
                return True
    return False


def reach(
    settings: Settings, env: Mapping[str, str], hooks: list[str], timeout: float
) -> Iterator[Finding]:
    """A TCP connection to the mail server and to each webhook host (`hooks`: their URLs)."""
    name = settings.channels.email.smtp_url_env
    url = env.get(name, "").strip() if name else ""
    if url:
        try:
            server = parse_smtp_url(url, name)
        except DeliveryError as error:
            yield Finding("reach", False, error.message, error.hint)
        else:
            yield _reached("the mail server", server.host, server.port, settings, timeout)
    seen: set[tuple[str, int]] = set()
    for hook in hooks:
        parts = urlsplit(hook)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        if (host, port) not in seen:
            seen.add((host, port))
            yield _reached("the webhook host", host, port, settings, timeout, webhook=True)


def _reached(
    what: str,
    host: str,
    port: int,
    settings: Settings,
    timeout: float,
    webhook: bool = False,
) -> Finding:
    allow = webhook_allowlist(settings) if webhook else allowed(settings)
    try:
        pinned = pin(host, port, allow, WEBHOOK if webhook else MAIL)
        with connect(pinned, timeout):
            pass
    except OSError as error:
        return Finding(
            "reach",
            False,
            f"{what} {host}:{port} cannot be reached: {error.strerror or error}",
            "check the host and port, and that this runner's network may connect to it",
        )
    except GitcronError as error:
        return Finding("reach", False, f"{what} {host}:{port}: {error.message}", error.hint)
    return Finding("reach", True, f"{what} {host}:{port} answers")
