"""One tick at a time per checkout: overlapping ticks on one folder take turns, never interleave.

The second tick waits for the first, then plans from the state the first left, so it finds
nothing left to do for the fires the first one ran.

The lock is the operating system's where it has one: `flock` (fcntl, POSIX) or
`msvcrt.locking` (Windows), both released by the OS if the process dies. Where neither module
exists, a file created with O_EXCL stands in; a tick that dies holding it leaves it behind, so
a tick that waits longer than HELD_WAIT for it stops with the file to delete named. The platform
modules are imported when a tick takes the lock, not when this module loads, because the CLI
loads it at start and `validate`, `plan` and `next` must work where fcntl does not exist.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from pathlib import Path

from gitcron.catalog.files import CACHE_DIR
from gitcron.errors import GitcronError

LOCK_FILE = "tick.lock"  # locked by flock / msvcrt.locking; it stays between ticks
HELD_FILE = "tick.held"  # exists only while a tick holds the O_EXCL stand-in
HELD_WAIT = timedelta(minutes=15)  # one tick interval: a holder past that is stuck or gone
_HELD_POLL = 0.2  # seconds between looks at the stand-in file


@contextmanager
def tick_lock(root: Path) -> Iterator[None]:
    """Hold the checkout's tick lock, waiting while another tick holds it."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    with _platform_lock()(folder):
        yield


def _platform_lock() -> Callable[[Path], AbstractContextManager[None]]:
    """The OS's own lock where there is one, else the O_EXCL stand-in."""
    if sys.platform == "win32":
        return _msvcrt_lock
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return _held_file
    return _flock


@contextmanager
def _flock(folder: Path) -> Iterator[None]:
    """An flock on the lock file, released by the OS when the process dies."""
    import fcntl

    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def _msvcrt_lock(folder: Path) -> Iterator[None]:
    """Windows: a byte-range lock on the lock file's first byte, released when the process dies."""
    if sys.platform == "win32":
        import msvcrt

        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                os.lseek(fd, 0, os.SEEK_SET)
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # tries for ~10 s, then raises
                    break
                except OSError as error:
                    if error.errno != errno.EDEADLOCK:
                        raise
                    # still held after its tries: wait on, as flock does
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
    else:  # pragma: no cover - only chosen on Windows
        raise RuntimeError("msvcrt locking exists only on Windows")


@contextmanager
def _held_file(folder: Path) -> Iterator[None]:
    """The O_EXCL stand-in: the tick that creates the file holds the lock until it deletes it."""
    path = folder / HELD_FILE
    deadline = time.monotonic() + HELD_WAIT.total_seconds()
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise _still_held(path) from None
            time.sleep(_HELD_POLL)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{os.getpid()}\n")
        yield
    finally:
        path.unlink(missing_ok=True)


def _still_held(path: Path) -> GitcronError:
    try:
        holder = f"process {int(path.read_text(encoding='ascii'))}"
    except (OSError, ValueError):
        holder = "a process"
    name = f"{CACHE_DIR}/{HELD_FILE}"
    minutes = int(HELD_WAIT.total_seconds() // 60)
    return GitcronError(
        f"another tick in this checkout ({holder}, which created {name}) has not finished "
        f"after {minutes} minutes; this system has no file locks, so gitcron cannot tell "
        "whether that tick is still running",
        f"if no gitcron tick is running here (one was stopped mid-way), delete {name}",
    )
