"""`gitcron history` answered from the summaries the tick keeps in state, not from every day file.

A year of history is hundreds of thousands of lines; the summaries in `state/schedules/*.json`
already hold each schedule's counts and the days of its newest records (state/summaries.py). So
`--stats` reads the customer files only, and `history ID` reads only the day files holding the
newest records it shows. Whenever a summary cannot answer exactly (a state from before
summaries whose older runs are still in the day files, an unreadable customer file, a schedule
with no state, a `--since` window) the caller reads the day files as before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gitcron.cli import output
from gitcron.state import StateError, StateStore
from gitcron.state.archive import archived_since
from gitcron.state.history import ReadStats, day_files, iter_records
from gitcron.state.model import ScheduleState
from gitcron.state.records import Record
from gitcron.state.stats import ScheduleStats
from gitcron.state.summaries import RECENT, Summary, recent_days, to_stats

States = dict[str, ScheduleState | StateError]


def states_for(root: Path, target: str | None, customers: set[str], warn: bool = True) -> States:
    """Schedule states by id, for the customers asked about; an unreadable file maps its error."""
    store = StateStore(root)
    if target is None:
        customers |= set(store.customers())
    else:
        customers.add(target.split("/", 1)[0])
    found: States = {}
    for customer in sorted(customers):
        try:
            states = store.load_customer(customer)
        except StateError as error:
            if warn:
                output.warn(str(error))
            found[customer] = error  # looked up by customer when a schedule has no entry
            continue
        except ValueError:  # not a folder name (`history .. --stats`): it has no state
            continue
        for name, state in states.items():
            sid = f"{customer}/{name}"
            if target is None or "/" not in target or sid == target:
                found[sid] = state
    return found


def summarised_stats(root: Path, target: str | None) -> tuple[list[ScheduleStats], States] | None:
    """Every schedule's statistics from its summary, sorted by id; None when one cannot answer."""
    states = states_for(root, target, set(), warn=False)
    summaries = _complete(root, states)
    if not summaries or (target is not None and "/" in target and target not in summaries):
        return None
    return [to_stats(sid, summaries[sid]) for sid in sorted(summaries)], states


def newest_records(
    root: Path, target: str | None, limit: int, read: ReadStats
) -> tuple[list[Record], bool] | None:
    """The newest `limit` records of schedule `target`, read from the day files its summary
    names, and whether it has earlier ones; None when the summary cannot say (read them all)."""
    if target is None or "/" not in target or not 0 < limit <= RECENT:
        return None
    state = states_for(root, target, set(), warn=False).get(target)
    summary = state.summary if isinstance(state, ScheduleState) else None
    if summary is None or summary.since is not None or not summary.records:
        return None
    days = set(recent_days(summary))
    if days and archived_since(root, min(days)):
        return None  # some of those days were archived: read as --limit 0 reads
    found = list(iter_records(root, schedule=target, stats=read, days=days))
    found.sort(key=lambda r: (r.started, r.schedule, r.attempt))
    return found[-limit:], summary.records > min(limit, len(found))


def _complete(root: Path, states: States) -> dict[str, Summary] | None:
    """The summaries of `states` when every one is there and counts all of its day files."""
    summaries: dict[str, Summary] = {}
    oldest: date | None = None
    for sid, state in states.items():
        if not isinstance(state, ScheduleState) or state.summary is None:
            return None  # an unreadable customer file, or a state from before summaries
        if state.summary.since is not None:
            if oldest is None:
                files = day_files(root)
                oldest = files[0][0] if files else date.max
                archived = archived_since(root, None)  # archived runs are runs before it too
                if archived:
                    oldest = min(oldest, date.fromisoformat(f"{archived[0].month}-01"))
            if oldest <= state.summary.since.date():
                return None  # its runs before `since` are still in the day files
        summaries[sid] = state.summary
    return summaries
