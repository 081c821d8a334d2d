"""One step of a schedule: make an attempt, and tell people about its outcome once it is final.

The planner works from views; a step needs the full schedule only to run or to notify, so it is
read then, and once per schedule and tick (`LazySchedule`): a tick that only records skipped
fires never reads the file. A file that can no longer be read fails that schedule's runs with
its error and sends no notification, instead of stopping every other schedule of the tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gitcron.catalog.load import load_entry
from gitcron.catalog.view import ScheduleView
from gitcron.engine import notify
from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.plans import PlannedRun
from gitcron.errors import GitcronError, ScheduleNotFoundError
from gitcron.state import Record, ScheduleState

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Schedule


class LazySchedule:
    """A view's full schedule, read from its file on first use and kept (or why it cannot be)."""

    def __init__(self, view: ScheduleView, env: RunEnv) -> None:
        self.view = view
        self._env = env
        # cached by hand, not with functools.cached_property: on Python 3.11 its one lock is
        # shared by every instance, so the tick's threads would wait on each other's reads
        self._loaded: Schedule | GitcronError | None = None

    @property
    def loaded(self) -> Schedule | GitcronError:
        """The schedule, or the error that says why its file can no longer be read."""
        if self._loaded is None:
            self._loaded = self._read()
        return self._loaded

    def _read(self) -> Schedule | GitcronError:
        env = self._env
        try:
            entry = load_entry(env.root, env.root / self.view.file, env.settings, env.now)
        except GitcronError as error:
            return error
        if entry is None or entry.schedule is None:
            return ScheduleNotFoundError(
                f"{self.view.file} can no longer be read", "run gitcron validate"
            )
        return entry.schedule

    def get(self) -> Schedule:
        """The schedule; raises its error, for callers that stop on it (a trigger, a dry run)."""
        loaded = self.loaded
        if isinstance(loaded, GitcronError):
            raise loaded
        return loaded


def attempt(run: PlannedRun, schedule: LazySchedule, env: RunEnv) -> Record:
    """Run one step; a schedule that cannot be read fails it with that error's text."""
    loaded = schedule.loaded
    if not isinstance(loaded, GitcronError):
        return run_one(run, loaded, schedule.view.zone, env)
    return Record(
        run.run_id,
        run.schedule,
        run.fire,
        run.trigger,
        "failed",
        run.attempt,
        env.now,
        error=str(loaded),
    )


def tell(record: Record, state: ScheduleState, schedule: LazySchedule, env: RunEnv) -> list[str]:
    """Notify about `record` if it is a final outcome its audience asked for; the warnings of
    notifications that could not be sent."""
    if record.status not in notify.EVENTS or record.status == "missed":
        return []  # misses are told after the tick's runs, grouped (engine/misses.py)
    loaded = schedule.loaded
    if isinstance(loaded, GitcronError):
        return []
    if not notify.wanted(record, state, notify.audience(loaded, env.settings)):
        return []
    view = schedule.view
    return notify.notify(record, loaded, notify.Where(view.file, view.zone), env)
