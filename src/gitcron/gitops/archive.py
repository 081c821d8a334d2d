"""`gitcron history-archive`: old months of history packed, delivered, checked, then removed.

The order is what makes a crash harmless. Each month's archive (`state/archive.py`) is written
through the storage channel (never replacing a file: a rerun finds its own bytes "already
there"), read back and compared (lines and sha256 of the content); only when every month is
safely stored are its day files removed, the manifest `state/archive.json` updated and both
committed in one commit. A crash before that commit leaves every day file where it was and a
rerun finishes the job; a crash after it leaves nothing to do. Where archives may go, and how
one is stored and checked, is `archive_store.py`. Archiving deletes whole day files and never
rewrites one, so the append-only rule of history holds. In a sparse checkout (the tick's), the
days to archive are fetched first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from gitcron.config.settings import Settings
from gitcron.engine import faults
from gitcron.errors import GitcronError
from gitcron.gitops import repo, sparse
from gitcron.gitops.archive_store import declared_target, store
from gitcron.gitops.commit import Pushing, move_to_remote
from gitcron.gitops.git import GitError, git
from gitcron.state import history
from gitcron.state.archive import Packed, month_of, months_before, note_archived
from gitcron.state.archive import pack as pack_month
from gitcron.state.history import HISTORY_DIR

Say = Callable[[str], None]


@dataclass
class Archiving:
    """What a run archived: months with where each went, day files removed, the commit."""

    months: list[tuple[Packed, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    committed: bool = False


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
    target = declared_target(root, settings, to)
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
        where = store(packed, target, settings, root, now, env)
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


def in_git(root: Path) -> bool:
    try:
        git(root, "rev-parse", "--is-inside-work-tree")
    except GitError:
        return False
    return True
