"""SQLite's stand-in for a server's statement timeout.

PostgreSQL and MySQL stop a statement that outlives `datasets.<name>.timeout` themselves. SQLite
runs inside this process and has no such setting, so its progress handler, called every
`CHECK_EVERY` virtual-machine instructions, looks at the clock and interrupts the statement once
the deadline has passed. The clock is `clock`, a module value, so tests can put their own there
and never wait on the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

CHECK_EVERY = 10_000  # SQLite virtual-machine instructions between two looks at the clock:
# well under a millisecond of SQLite's work, and a Python call rare enough to cost nothing
clock: Callable[[], float] = time.monotonic  # seconds; only differences are used


class SqliteDeadline:
    """Each step into the driver (the query, then each fetch, as each fetch of a server-side
    cursor is a statement of its own) may run for `limit`; then SQLite interrupts it and
    `expired` says that it was the deadline, not the database, that stopped it."""

    def __init__(self, limit: timedelta) -> None:
        self.limit = limit.total_seconds()
        self.deadline = float("inf")
        self.expired = False

    def install(self, connection: Any) -> None:
        """Watch every statement of `connection`, a `sqlite3.Connection`."""
        connection.set_progress_handler(self, CHECK_EVERY)

    def start(self) -> None:
        self.deadline = clock() + self.limit
        self.expired = False

    def stop(self) -> None:
        self.deadline = float("inf")

    def __call__(self) -> int:
        """Non-zero tells SQLite to interrupt the running statement."""
        if clock() > self.deadline:
            self.expired = True
            return 1
        return 0
