"""Where a repo's files are, the schedule id each file has by construction, and reading them safely.

gitcron reads only regular files in the repository. A schedule author can commit a symbolic link
(to a secrets file on the runner, whose text validate would echo into a pull request) or a FIFO
(which blocks any reader): both are refused by their path, from `lstat`, before anything is opened,
and the open itself is `O_NOFOLLOW | O_NONBLOCK` with a check of what was opened, so a file
swapped in between is refused as well.
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from gitcron.errors import RepoNotFoundError, ScheduleNotFoundError

SETTINGS_FILE = "gitcron.yaml"
SCHEDULES_DIR = "schedules"
SUFFIX = ".yaml"
CUSTOMER_FILE = "customer.yaml"  # schedules/<customer>/customer.yaml: not a schedule
CACHE_DIR = ".gitcron-cache"  # git-ignored: the parse cache, the tick lock, records to replay
PENDING_FILE = f"{CACHE_DIR}/pending-records.jsonl"  # records whose push failed (engine/replay.py)

_SAFE_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_SAFE_OPEN |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_LINK_ERRNOS = {errno.ELOOP, errno.EMLINK}  # what O_NOFOLLOW answers on a link (Linux/BSD)


class NotRegularError(OSError):
    """The path is not a regular file; `what` says what it is instead ('a symbolic link')."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding gitcron.yaml (of any kind: a gitcron.yaml
    that is not a regular file is refused when read, not skipped for a folder further up)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        settings = folder / SETTINGS_FILE
        if os.path.lexists(settings) and not os.path.isdir(settings):
            return folder
    raise RepoNotFoundError(
        f"no {SETTINGS_FILE} in {start.name or start} or any folder above it",
        "run gitcron inside a gitcron repository, or pass --repo DIR",
    )


def relative(root: Path, path: Path) -> str:
    """A path as users see it in the repo: relative, with forward slashes. The file's own name is
    never resolved: a link is shown where it is, not where it points."""
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix):  # paths found under root: plain string work, no system calls
        return text[len(prefix) :].replace(os.sep, "/")
    for candidate in (Path(os.path.abspath(path)), Path(os.path.realpath(path.parent), path.name)):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    return path.as_posix()


def schedule_id(rel: str) -> str:
    """`schedules/acme-corp/weekly.yaml` -> `acme-corp/weekly`."""
    return rel.removeprefix(f"{SCHEDULES_DIR}/").removesuffix(SUFFIX)


def schedule_path(root: Path, sid: str) -> Path:
    return root / SCHEDULES_DIR / f"{sid}{SUFFIX}"


def unknown(root: Path, target: str) -> ScheduleNotFoundError | None:
    """None when `target` is a schedule id or a customer of this repo; else the error to raise,
    with the closest ids or customers as a suggestion."""
    if schedule_path(root, target).is_file() or (root / SCHEDULES_DIR / target).is_dir():
        return None
    ids = [schedule_id(p.relative_to(root / SCHEDULES_DIR).as_posix()) for p in discover(root)]
    customers = sorted({sid.split("/", 1)[0] for sid in ids})
    close = difflib.get_close_matches(target, [*ids, *customers], n=1, cutoff=0.6)
    return ScheduleNotFoundError(
        f"there is no schedule or customer '{target}' in this repository",
        f"did you mean {' or '.join(close)}?"
        if close
        else "ids are paths under schedules/ without .yaml, e.g. acme-corp/weekly-products",
    )


def discover(root: Path) -> list[Path]:
    """Every entry under schedules/ that is not a folder, sorted, so stray `.yml` files, links
    and pipes can be reported, not ignored. A linked folder is listed, never walked into.
    Customer files (`schedules/<customer>/customer.yaml`) are not schedules: `customer_files`."""
    return [root / rel for rel in discover_names(root)]


def discover_names(root: Path) -> list[str]:
    """What `discover` lists, as repo paths (`schedules/acme/weekly.yaml`, as `relative` spells
    them), built as plain strings: a warm tick looks at each of 10,000 names once, and making a
    `Path` of each cost more than the rest of that look."""
    return walk_names(root)[0]


def walk_names(root: Path) -> tuple[list[str], list[str]]:
    """(`discover_names`, the repo paths of `customer_files`) from one walk of schedules/: a warm
    tick needs both, and listing each customer folder a second time cost as much as the first."""
    base = root / SCHEDULES_DIR
    if os.path.islink(base):
        return [SCHEDULES_DIR], []
    found: list[str] = []
    customers: list[str] = []
    stack = [(str(base), SCHEDULES_DIR)]
    while stack:  # depth first, files of a folder before its subfolders, as os.walk lists them
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".")), key=_name)
        except OSError:
            continue
        in_customer = rel.count("/") == 1  # schedules/<customer>: where customer.yaml lives
        if in_customer and any(e.name == CUSTOMER_FILE for e in entries):
            customers.append(f"{rel}/{CUSTOMER_FILE}")  # of any kind: reading it judges that
        found.extend(
            f"{rel}/{e.name}"
            for e in entries
            if not e.is_dir(follow_symlinks=False) and not (in_customer and e.name == CUSTOMER_FILE)
        )
        folders = [(e.path, f"{rel}/{e.name}") for e in entries if e.is_dir(follow_symlinks=False)]
        stack.extend(reversed(folders))
    return found, customers


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def customer_files(root: Path) -> list[Path]:
    """Each customer folder's `customer.yaml`, sorted: read beside the schedules, never as one."""
    base = root / SCHEDULES_DIR
    try:
        with os.scandir(base) as listing:
            folders = sorted(e.path for e in listing if e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [
        path
        for folder in folders
        if os.path.lexists(path := Path(folder) / CUSTOMER_FILE)
        and not Path(folder).name.startswith(".")
    ]


def select(root: Path, paths: Iterable[str]) -> list[Path]:
    """Files named on the command line: schedule files, folders of them, or schedule ids."""
    chosen: list[Path] = []
    for raw in paths:
        path = Path(raw)
        candidates = [path, root / path, schedule_path(root, raw)]
        hit = next((c for c in candidates if os.path.lexists(c)), None)
        if hit is None:
            raise ScheduleNotFoundError(
                f"'{raw}' is neither a file nor a schedule id",
                "give a path like schedules/acme/weekly.yaml or an id like acme/weekly",
            )
        if hit.is_dir() and not hit.is_symlink():
            chosen.extend(p for p in discover(root) if hit.resolve() in p.resolve().parents)
        elif hit.name == SETTINGS_FILE:
            continue
        else:
            chosen.append(hit)  # a link or a pipe too: reading it refuses it by name
    return chosen


def refusal(root: Path, path: Path, walked: bool = False) -> tuple[str, str] | None:
    """Why `path` is not read, as (message, fix): it, or a folder between the repo and it, is not
    a regular file or folder. `lstat` only: nothing is opened or followed. `walked`: the path
    came from `discover`, whose walk never enters a linked folder, so only the file is checked."""
    rel = relative(root, path)
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        mode = stat.S_IFREG  # missing or unreadable: reading it says so in its own words
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return refused_as(rel, _what(mode))
    if walked:
        return None
    lexical = Path(os.path.abspath(path))
    if lexical.is_relative_to(root):
        folder = root
        for part in lexical.relative_to(root).parts[:-1]:
            folder = folder / part
            if os.path.islink(folder):
                shown = folder.relative_to(root).as_posix()
                return (
                    f"{shown} is a symbolic link; gitcron reads only regular files and folders",
                    "replace it with the folder itself",
                )
    return None


def read_regular(path: Path, limit: int = -1, checked: bool = False) -> bytes:
    """Up to `limit` bytes of `path` (all with -1), a regular file; NotRegularError for anything
    else, checked by `lstat` before opening (unless the caller just did: `checked`) and again on
    what was opened, never following a link at the end of the path nor waiting on a pipe."""
    if not checked:
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularError(_what(mode))
    fd = os.open(path, _SAFE_OPEN)  # swapped for a link since: ELOOP here, not followed
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularError(_what(info.st_mode))
        chunks, left = [], limit if limit >= 0 else None
        while left is None or left > 0:
            chunk = os.read(fd, 1 << 20 if left is None else min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left = None if left is None else left - len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def not_regular(error: OSError) -> str | None:
    """What `read_regular` found instead of a regular file, from the error it raised."""
    if isinstance(error, NotRegularError):
        return error.what
    return "a symbolic link" if error.errno in _LINK_ERRNOS else None


def _what(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def refused_as(rel: str, what: str) -> tuple[str, str]:
    """The problem (message, fix) for `rel`, found to be `what` instead of a regular file."""
    if what == "a symbolic link":
        fix = "replace it with the file itself (or the folder itself, if it stands for one)"
    else:
        fix = "replace it with a regular file, or remove it"
    return f"{rel} is {what}; gitcron reads only regular files", fix
