"""One tick at a time per checkout: overlapping ticks on one folder take turns, never interleave.

The second tick waits for the first, then plans from the state the first left, so it finds
nothing left to do for the fires the first one ran.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE_DIR = ".gitcron-cache"
LOCK_FILE = "tick.lock"


@contextmanager
def tick_lock(root: Path) -> Iterator[None]:
    """Hold the checkout's tick lock (an flock, released by the OS if the process dies)."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
