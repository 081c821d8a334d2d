"""Where a repo's files are, and the schedule id each file has by construction."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from gitcron.errors import RepoNotFoundError, ScheduleNotFoundError

SETTINGS_FILE = "gitcron.yaml"
SCHEDULES_DIR = "schedules"
SUFFIX = ".yaml"
CACHE_DIR = ".gitcron-cache"  # git-ignored: the parse cache, the tick lock, records to replay


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding gitcron.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise RepoNotFoundError(
        f"no {SETTINGS_FILE} in {start.name or start} or any folder above it",
        "run gitcron inside a gitcron repository, or pass --repo DIR",
    )


def relative(root: Path, path: Path) -> str:
    """A path as users see it in the repo: relative, with forward slashes."""
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix):  # paths found under root: plain string work, no system calls
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def schedule_id(rel: str) -> str:
    """`schedules/acme-corp/weekly.yaml` -> `acme-corp/weekly`."""
    return rel.removeprefix(f"{SCHEDULES_DIR}/").removesuffix(SUFFIX)


def schedule_path(root: Path, sid: str) -> Path:
    return root / SCHEDULES_DIR / f"{sid}{SUFFIX}"


def discover(root: Path) -> list[Path]:
    """Every file under schedules/, sorted, so stray `.yml` files can be reported, not ignored."""
    base = root / SCHEDULES_DIR
    found: list[Path] = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder) / name for name in sorted(files) if not name.startswith("."))
    return found


def select(root: Path, paths: Iterable[str]) -> list[Path]:
    """Files named on the command line: schedule files, folders of them, or schedule ids."""
    chosen: list[Path] = []
    for raw in paths:
        path = Path(raw)
        candidates = [path, root / path, schedule_path(root, raw)]
        hit = next((c for c in candidates if c.exists()), None)
        if hit is None:
            raise ScheduleNotFoundError(
                f"'{raw}' is neither a file nor a schedule id",
                "give a path like schedules/acme/weekly.yaml or an id like acme/weekly",
            )
        if hit.is_dir():
            chosen.extend(p for p in discover(root) if hit.resolve() in p.resolve().parents)
        elif hit.name == SETTINGS_FILE:
            continue
        else:
            chosen.append(hit)
    return chosen
