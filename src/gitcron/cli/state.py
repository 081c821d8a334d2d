"""`gitcron state check|repair`: find, then fix, state files a crash or a bad merge broke.

Repair never guesses at content: a JSON state file is restored from HEAD when HEAD's version
loads, else moved aside (its schedules re-anchor on the next tick); a history day keeps every
line that parses and sets the others aside in `<day>.jsonl.rejected`. Nothing is deleted.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import click

from gitcron.catalog.cache import load_views
from gitcron.catalog.view import ScheduleView
from gitcron.cli import output
from gitcron.cli.options import Env
from gitcron.config.settings import Settings
from gitcron.engine.repository import timing_damage
from gitcron.errors import UsageError
from gitcron.files import fsync_dir
from gitcron.gitops import sparse
from gitcron.state.files import StateError, read_json, write_bytes
from gitcron.state.history import HISTORY_DIR, day_files, parse_line
from gitcron.state.model import FORMAT, customer_from_json, tick_from_json
from gitcron.state.store import TICK_FILE, StateStore, customer_file

Loader = Callable[[Path, str], object]
SHOWN_PER_FILE = 5  # bad history lines listed one by one; the rest are counted


def _load_tick(path: Path, rel: str, now: datetime) -> object:
    return tick_from_json(read_json(path, rel), rel, now)


def _load_customer(
    path: Path, rel: str, now: datetime, views: Mapping[str, ScheduleView], settings: Settings
) -> object:
    customer = Path(rel).stem
    states = customer_from_json(read_json(path, rel), rel, customer, now)
    problem = timing_damage(customer, states, views, settings, now)
    if problem is not None:
        raise problem
    return states


@dataclass
class BadDay:
    """A history day file with lines no reader can use, and the lines that are fine."""

    rel: str
    good: list[bytes] = field(default_factory=list)
    bad: list[tuple[int, bytes, StateError]] = field(default_factory=list)


def state_files(root: Path, now: datetime) -> list[tuple[str, Loader]]:
    """The JSON state files that exist, with the loader each must pass at `now`: tick first."""
    found: list[tuple[str, Loader]] = []
    if (root / TICK_FILE).is_file():
        found.append((TICK_FILE, partial(_load_tick, now=now)))
    customers = StateStore(root).customers()
    if customers:  # a next fire is judged by its schedule's timing
        loaded = load_views(root, now)  # every customer's views by id, built once
        by_id = {view.id: view for view in loaded.views}
        loader = partial(_load_customer, now=now, views=by_id, settings=loaded.settings)
        found += [(customer_file(c), loader) for c in customers]
    return found


def json_problem(path: Path, rel: str, loader: Loader) -> StateError | None:
    try:
        loader(path, rel)
    except StateError as error:
        return error
    return None


def read_day(path: Path) -> BadDay:
    """Sort a day file's lines into usable and not (strict UTF-8: the writer emits ASCII)."""
    day = BadDay(f"{HISTORY_DIR}/{path.name}")
    lines = path.read_bytes().split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    hint = f"readers skip this line; `gitcron state repair` moves it to {day.rel}.rejected"
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            parse_line(raw.decode("utf-8"), f"{day.rel}:{number}")
        except UnicodeDecodeError:
            day.bad.append((number, raw, StateError(f"{day.rel}:{number}: not UTF-8 text", hint)))
            continue
        except StateError as error:
            day.bad.append((number, raw, StateError(error.message, hint)))
            continue
        day.good.append(raw)
    return day


def whole_history(root: Path, doing: str) -> None:
    """UsageError when the checkout leaves history day files out (a sparse checkout, as the tick
    workflow makes): checking or repairing only what is there would pass the rest over."""
    if not sparse.is_sparse(root):
        return
    left_out = sorted(rel for rel, out in sparse.left_out_days(root).items() if out)
    if left_out:
        raise UsageError(
            f"{doing} needs every history day file, and this checkout leaves "
            f"{len(left_out)} of them out (a sparse checkout, as tick.yml makes; first: "
            f"{left_out[0]})",
            "fetch the whole history first: `git sparse-checkout disable` (a partial clone then "
            "fetches the files), or run it in a full clone",
        )


def check(root: Path, now: datetime) -> int:
    whole_history(root, "`gitcron state check`")
    problems = files = 0
    for rel, loader in state_files(root, now):
        files += 1
        error = json_problem(root / rel, rel, loader)
        if error is not None:
            problems += 1
            output.say(str(error))
    for _, path in day_files(root):
        files += 1
        day = read_day(path)
        problems += len(day.bad)
        for _, _, error in day.bad[:SHOWN_PER_FILE]:
            output.say(str(error))
        if len(day.bad) > SHOWN_PER_FILE:
            output.say(f"{day.rel}: and {len(day.bad) - SHOWN_PER_FILE} more unreadable lines")
    if not problems:
        output.say(f"state is fine: {files} file{_s(files)} read" if files else "no state yet")
        return 0
    output.say(f"{problems} problem{_s(problems)} in {files} state file{_s(files)} checked")
    return 1


def repair(root: Path, now: datetime, dry_run: bool) -> int:
    whole_history(root, "`gitcron state repair`")
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    acted = stuck = 0
    for rel, loader in state_files(root, now):
        error = json_problem(root / rel, rel, loader)
        if error is None:
            continue
        acted += 1
        output.say(error.message)
        if _newer(root / rel, rel):
            stuck += 1
            output.say("  left alone: a newer gitcron wrote it; upgrade gitcron instead")
            continue
        output.say("  " + _repair_json(root, rel, loader, stamp, dry_run))
    for _, path in day_files(root):
        day = read_day(path)
        if day.bad:
            acted += 1
            output.say(f"{day.rel}: " + _repair_day(path, day, dry_run))
    if not acted:
        output.say("nothing to repair: every state file loads")
    return 1 if stuck else 0


def _repair_json(root: Path, rel: str, loader: Loader, stamp: str, dry_run: bool) -> str:
    path = root / rel
    committed = _git_head(root, rel)
    if committed is not None and _loads(committed, rel, loader):
        if not dry_run:
            write_bytes(path, committed)
        return ("would restore" if dry_run else "restored") + " the version committed in HEAD"
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    if not dry_run:
        os.replace(path, aside)
        fsync_dir(path.parent)
    why = "HEAD has no version of it that loads" if committed is not None else "git has no copy"
    after = (
        "the next tick writes a new one"
        if rel == TICK_FILE
        else "its schedules re-anchor from now on the next tick"
    )
    moved = "would move it aside to" if dry_run else "moved aside to"
    return f"{moved} {aside.relative_to(root).as_posix()} ({why}); {after}"


def _repair_day(path: Path, day: BadDay, dry_run: bool) -> str:
    numbers = ", ".join(str(n) for n, _, _ in day.bad[:SHOWN_PER_FILE])
    more = ", ..." if len(day.bad) > SHOWN_PER_FILE else ""
    what = f"{len(day.bad)} unreadable line{_s(len(day.bad))} ({numbers}{more})"
    if dry_run:
        return f"would remove {what} and keep {_them(len(day.bad))} in {day.rel}.rejected"
    rejected = path.with_name(path.name + ".rejected")
    with open(rejected, "ab") as handle:  # first, so a crash in between loses no line
        handle.write(b"".join(raw + b"\n" for _, raw, _ in day.bad))
        handle.flush()
        os.fsync(handle.fileno())
    write_bytes(path, b"".join(raw + b"\n" for raw in day.good))
    return f"removed {what}; kept {_them(len(day.bad))} in {day.rel}.rejected"


def _git_head(root: Path, rel: str) -> bytes | None:
    """The file's bytes in HEAD, or None: not a git repo, no commit yet, or not in HEAD."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:./{rel}"], capture_output=True, check=False
        )
    except OSError:  # git is not installed
        return None
    return done.stdout if done.returncode == 0 else None


def _loads(content: bytes, rel: str, loader: Loader) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "candidate.json"
        path.write_bytes(content)
        return json_problem(path, rel, loader) is None


def _newer(path: Path, rel: str) -> bool:
    """Whether the file is good JSON from a newer release: repair must not touch it."""
    try:
        data = read_json(path, rel)
    except StateError:
        return False
    version = data.get("format") if isinstance(data, dict) else None
    return isinstance(version, int) and not isinstance(version, bool) and version > FORMAT


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _them(count: int) -> str:
    return "it" if count == 1 else "them"


@click.group("state")
def group() -> None:
    """Check or repair the files under state/."""


@group.command("check")
@click.pass_obj
def check_command(env: Env) -> int:
    """Find state files and history lines that do not load.

    Each is listed as file:line with its fix; the exit code is 1 if there is any.
    """
    return check(env.root, env.now)


@group.command("repair")
@click.option("--dry-run", is_flag=True, help="Say what would be done; change nothing.")
@click.pass_obj
def repair_command(env: Env, dry_run: bool) -> int:
    """Fix what `gitcron state check` finds.

    A broken JSON file is restored from HEAD when HEAD's version loads, else moved aside to
    <name>.corrupt-<UTC stamp>; unreadable history lines move to <day>.jsonl.rejected.
    """
    return repair(env.root, env.now, dry_run)
