"""Ticking in a checkout without old history: the days a tick needs, kept whole, pruned.

The tick workflow checks out everything but `state/history/` (a sparse checkout of a partial
clone, docs/gitops.md), so a tick moves kilobytes instead of a year of day files. Three things
make that safe:

- `open_days`: before a tick, the day files it may read or append to (from the last tick's day
  to the day after this one) are added to the checkout, fetched whole from the clone's origin;
- `keep_earlier_lines`: before any commit of state/, a day file that does not start with its
  committed lines (written fresh over a day left out of the checkout, as a manual trigger's
  record is) is merged with them (the committed lines verbatim, then each new record once).
  Without it, git commits the fresh file and the push replaces the day's earlier records;
- `prune_left_out`: retention deletes, from the index, the expired day files that were never
  checked out.

In a full checkout all three do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from gitcron.gitops.git import git
from gitcron.gitops.git import is_sparse as is_sparse
from gitcron.state.files import StateError
from gitcron.state.history import HISTORY_DIR, day_files, day_path, merge_records, parse_line
from gitcron.state.records import Record

_LEFT_OUT = "S"  # `git ls-files -t`: the skip-worktree mark of a file outside the checkout


def open_days(root: Path, days: Iterable[date]) -> list[str]:
    """Add these days' files to a sparse checkout (fetching them whole); the paths added."""
    if not is_sparse(root):
        return []
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    rels = sorted({day_path(root, day).relative_to(root).as_posix() for day in days})
    if rels:
        git(root, "sparse-checkout", "add", *(f"/{prefix}{rel}" for rel in rels))
    return rels


def left_out_days(root: Path) -> dict[str, bool]:
    """History day files in the index, repo-relative, each with whether the checkout leaves it
    out."""
    out = git(root, "ls-files", "-t", "-z", "--", HISTORY_DIR)
    found = {}
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        if entry:
            tag, _, rel = entry.partition(" ")
            found[rel] = tag == _LEFT_OUT
    return found


def keep_earlier_lines(root: Path) -> list[str]:
    """Merge each day file of a sparse checkout that does not start with its committed lines
    (written fresh over a day left out of the checkout) with them, and add it to the checkout;
    the paths merged. A day file is only ever appended to, so any other change is this one."""
    if not is_sparse(root):
        return []
    present = [path.relative_to(root).as_posix() for _, path in day_files(root)]
    committed = _committed(root, present)
    merged = {}
    for rel, old in committed.items():
        new = (root / rel).read_bytes()
        if new.startswith(old):
            continue
        lines = new.decode("utf-8", "replace").splitlines()
        mine = [record for line in lines if (record := _record(line, rel)) is not None]
        kept = merge_records(old.decode("utf-8", "replace").splitlines(), mine)
        merged[rel] = "".join(line + "\n" for line in kept)
    if merged:
        prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
        git(root, "sparse-checkout", "add", *(f"/{prefix}{rel}" for rel in merged))
    for rel, text in merged.items():  # after: adding a file to the checkout may rewrite it
        (root / rel).write_text(text, "utf-8")
    return sorted(merged)


def _committed(root: Path, rels: list[str]) -> dict[str, bytes]:
    """The committed bytes of those of `rels` that HEAD has."""
    if not rels:
        return {}
    listed = git(root, "ls-tree", "-z", "HEAD", "--", *rels).decode("utf-8", "surrogateescape")
    found = {}
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    for entry in listed.split("\0"):
        if entry:
            meta, _, path = entry.partition("\t")
            found[path.removeprefix(prefix)] = git(root, "cat-file", "blob", meta.split()[2])
    return found


def prune_left_out(root: Path, cutoff: date) -> list[str]:
    """Delete from the index the day files before `cutoff` that the checkout left out; the
    paths deleted (retention, as `history.prune` does for the files that are there)."""
    if not is_sparse(root):
        return []
    expired = []
    for rel, out in left_out_days(root).items():
        name = rel.rsplit("/", 1)[-1].removesuffix(".jsonl")
        try:
            day = date.fromisoformat(name)
        except ValueError:
            continue
        if out and day < cutoff:
            expired.append(rel)
    if expired:
        git(root, "rm", "--cached", "--sparse", "--quiet", "--", *expired)
    return expired


def _record(line: str, rel: str) -> Record | None:
    if not line.strip():
        return None
    try:
        return parse_line(line, rel)
    except StateError:  # a torn line: skipped, as every reader of history skips it
        return None
