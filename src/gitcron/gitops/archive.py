"""`gitcron history-archive`: old months of history packed, delivered, checked, then removed.

The order is what makes a crash harmless. Each month's archive (`state/archive.py`) is written
through the storage channel (never replacing a file: a rerun finds its own bytes "already
there"), read back and compared (lines and sha256 of the content); only when every month is
safely stored are its day files removed, the manifest `state/archive.json` updated and both
committed in one commit. A crash before that commit leaves every day file where it was and a
rerun finishes the job; a crash after it leaves nothing to do.

Only a target engineers declared (`history.archive.to` in gitcron.yaml) is ever written: the
command line may name it again (`--to`), never another. A local folder must lie under a storage
root (`channels.storage.roots`), checked exactly as a schedule's storage delivery is; s3:// uses
`channels.s3`. Archiving deletes whole day files and never rewrites one, so the append-only rule
of history holds. In a sparse checkout (the tick's), the days to archive are fetched first.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.storage.channel import StorageChannel
from gitcron.channels.storage.roots import grant_refusal
from gitcron.channels.storage.stored import read_back
from gitcron.channels.storage.target import StorageTarget
from gitcron.config.settings import Settings
from gitcron.core.artifact import Artifact
from gitcron.core.run import RunInfo
from gitcron.engine import faults
from gitcron.errors import GitcronError
from gitcron.gitops import repo, sparse
from gitcron.gitops.commit import Pushing, move_to_remote
from gitcron.gitops.git import GitError, git
from gitcron.state import history
from gitcron.state.archive import (
    Packed,
    check_copy,
    month_of,
    months_before,
    note_archived,
    same_content,
)
from gitcron.state.archive import pack as pack_month
from gitcron.state.history import HISTORY_DIR

Say = Callable[[str], None]
_CONFIG_HINT = (
    "declare it in gitcron.yaml: history: { archive: { to: s3://bucket/folder } } (or a file://"
    " folder under channels.storage.roots), then run again"
)


@dataclass
class Archiving:
    """What a run archived: months with where each went, day files removed, the commit."""

    months: list[tuple[Packed, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    committed: bool = False


def declared_target(settings: Settings, given: str | None) -> StorageTarget:
    """The archive target gitcron.yaml declares; `given` (from `--to`) must be that one."""
    declared = settings.history.archive
    if declared is None:
        where = f" --to {given}:" if given else ""
        raise GitcronError(
            f"gitcron.yaml:{where} history.archive is not declared, so there is nowhere to archive",
            _CONFIG_HINT,
        )
    if given is not None and given.rstrip("/") != declared.to.rstrip("/"):
        raise GitcronError(
            f"--to {given}: not the archive target gitcron.yaml declares ({declared.to});"
            " history is only archived where engineers declared it",
            f"leave out --to, or change history.archive.to in gitcron.yaml to {given} in a"
            " reviewed pull request",
        )
    to = declared.to.strip()
    target = StorageTarget(url=to) if "://" in to else StorageTarget(path=to)
    refused = grant_refusal(target, settings)
    if refused is not None:
        raise GitcronError(f"gitcron.yaml: history.archive.to: {refused.message}", refused.hint)
    return target


def default_before(settings: Settings, today: date) -> date:
    """The first month kept: `history.archive.after_months` before this month."""
    months = settings.history.archive.after_months if settings.history.archive else 3
    return month_of(history.months_before(month_of(today), months))


def archive(
    root: Path,
    settings: Settings,
    before: date,
    now: datetime,
    env: Mapping[str, str],
    to: str | None = None,
    commit: bool = True,
    say: Say = print,
) -> Archiving:
    """Archive every whole month of history before the month `before` begins (see above)."""
    target = declared_target(settings, to)
    if month_of(before) > month_of(now.astimezone(UTC).date()):
        raise GitcronError(
            f"--before {before:%Y-%m}: that month has not begun, and only whole past months"
            " are archived",
            f"give this month or an earlier one, e.g. --before {now:%Y-%m}",
        )
    _open_left_out(root, month_of(before))
    done = Archiving()
    for month, days in sorted(months_before(root, before).items()):
        packed = pack_month(month, days)
        where = _store(packed, target, settings, root, now, env)
        say(
            f"{packed.name}: {len(days)} day(s), {packed.lines:,} line(s), "
            f"{len(packed.data):,} bytes: {where} (read back, checked)"
        )
        done.months.append((packed, where))
    if not done.months:
        say(f"nothing to archive: no history before {before:%Y-%m} in {HISTORY_DIR}/")
        return done
    faults.reached("after-archive-write")
    note_archived(root, done.months)
    for packed, _ in done.months:
        for path in packed.days:
            path.unlink()
            done.removed.append(path.relative_to(root).as_posix())
    if commit:
        first, last = done.months[0][0].month, done.months[-1][0].month
        span = f"{first:%Y-%m}" if first == last else f"{first:%Y-%m}..{last:%Y-%m}"
        lines = sum(p.lines for p, _ in done.months)
        message = (
            f"gitcron: history {span} archived ({len(done.removed)} day files, {lines} lines)"
            f" to {settings.history.archive.to if settings.history.archive else ''}"
        )
        done.committed = repo.commit_state(root, message, env)
    return done


def archive_and_push(
    root: Path,
    settings: Settings,
    before: date,
    now: datetime,
    env: Mapping[str, str],
    to: str | None = None,
    say: Say = print,
    pushing: Pushing | None = None,
) -> Archiving:
    """`archive`, then push; a refused push moves to the remote's commit and archives again
    there (each step is idempotent: the archives are already stored), never forcing."""
    pushing = pushing or Pushing()
    up = repo.upstream(root)
    for attempt in range(1, pushing.tries + 1):
        done = archive(root, settings, before, now, env, to, True, say)
        result = repo.push(root, up)
        if result.ok:
            return done
        say(f"push {attempt}/{pushing.tries} refused: {result.message}")
        if attempt < pushing.tries:
            pushing.pause(attempt)
            move_to_remote(root, up)
    raise GitError(
        f"`git push` to {up.remote}/{up.remote_branch} was refused {pushing.tries} times",
        "the archives are stored and the commit is here: push it yourself, or run again",
    )


def _open_left_out(root: Path, before: date) -> None:
    """In a sparse checkout, bring in the day files to archive that it left out."""
    if not sparse.is_sparse(root):
        return
    wanted = []
    for rel, out in sparse.left_out_days(root).items():
        try:
            day = date.fromisoformat(rel.rsplit("/", 1)[-1].removesuffix(".jsonl"))
        except ValueError:
            continue
        if out and day < before:
            wanted.append(day)
    sparse.open_days(root, wanted)


def _store(
    packed: Packed,
    target: StorageTarget,
    settings: Settings,
    root: Path,
    now: datetime,
    env: Mapping[str, str],
) -> str:
    """Deliver one archive, read it back and check it; where it is. GitcronError if not safe."""
    ctx = _context(packed, settings, root, now, env)
    with tempfile.TemporaryDirectory(prefix="gitcron-archive-") as folder:
        copy = Path(folder) / packed.name
        try:
            StorageChannel().deliver(target, ctx)
        except DeliveryError as error:
            if not _there_already(packed, target, ctx, copy):
                raise GitcronError(
                    f"{packed.name} could not be archived: {error.message}",
                    f"{error.hint or ''}; nothing was removed from {HISTORY_DIR}/".lstrip("; "),
                ) from error
        try:
            where = read_back(target, ctx, copy)
        except DeliveryError as error:
            raise GitcronError(
                f"{packed.name} was written but cannot be read back: {error.message}",
                f"nothing was removed from {HISTORY_DIR}/; check the target and run again",
            ) from error
        check_copy(packed, copy.read_bytes(), where)
    return where


def _there_already(packed: Packed, target: StorageTarget, ctx: DeliveryContext, copy: Path) -> bool:
    """Whether the name holds an archive of the same lines (gzip of another zlib, say)."""
    try:
        read_back(target, ctx, copy)
    except DeliveryError:
        return False
    return same_content(packed, copy.read_bytes())


def _context(
    packed: Packed, settings: Settings, root: Path, now: datetime, env: Mapping[str, str]
) -> DeliveryContext:
    run = RunInfo(
        run_id=f"history-archive@{packed.month:%Y-%m}",
        schedule_id="history-archive",
        fire=now,
        interval_start=None,
        trigger="manual",
        attempt=1,
        zone=ZoneInfo("UTC"),
    )
    artifact = Artifact(name=packed.name, content_type="application/gzip", body=packed.data)
    return DeliveryContext(run, settings, artifact, root, None, env, dict)


def in_git(root: Path) -> bool:
    try:
        git(root, "rev-parse", "--is-inside-work-tree")
    except GitError:
        return False
    return True
