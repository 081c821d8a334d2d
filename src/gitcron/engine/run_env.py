"""What every run of one tick shares: the repo, its settings, the tick's instant and clock.

Its own module, apart from the executor that uses it, because every tick makes one, also a tick
with nothing due: this holds only what a tick is made with, so making it loads no job, renderer
or channel (engine/executor.py runs them; it is imported when a run is due).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitcron.config.settings import Settings


@dataclass(frozen=True)
class RunEnv:
    """What every run of one tick shares."""

    root: Path
    settings: Settings
    now: datetime  # the tick's instant: every record's `started`
    env: Mapping[str, str]
    outbox: Path | None = None  # write every delivery here instead of sending it
    keep_files: Path | None = None  # copy each produced file here (dry runs show their files)
    clock: Callable[[], float] = field(default=time.monotonic)
    sleep: Callable[[float], None] = field(default=time.sleep)  # in-tick retry waits
    origin: float | None = None  # `clock()` when the tick began (taken when this is made)

    def __post_init__(self) -> None:
        if self.origin is None:
            object.__setattr__(self, "origin", self.clock())

    def at(self) -> datetime:
        """Now, by the tick's clock: its instant plus the time since it began (an email's Date)."""
        return self.now + timedelta(seconds=max(0.0, self.clock() - (self.origin or 0.0)))
