"""What one schedule file loaded into, and loading's garbage-collector pause, without the loader.

A warm tick restores every schedule from the parse cache and only reports the files that cannot
be used: it needs this type, never the schedule model or the checks that fill one in
(`catalog.load`, imported only when a file is parsed).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitcron.config.problems import Problem
    from gitcron.schedule import Schedule


@dataclass(slots=True)
class Entry:
    """One schedule file: its id, and either its model or what is wrong with it."""

    id: str
    file: str
    text: str = ""
    schedule: Schedule | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def customer(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def ok(self) -> bool:
        return self.schedule is not None and not any(p.severity == "error" for p in self.problems)


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Loading only builds acyclic data that is all kept: collecting meanwhile is wasted work,
    and so would be the collector's next passes over it as young objects. At the end what was
    built joins the oldest generation without a pass (freezing, then unfreezing, moves every
    tracked object there), where only a full collection looks at it again: a warm plan of
    10,000 schedules otherwise spends some 25 ms walking the views and states it keeps."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
