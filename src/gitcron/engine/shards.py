"""Sharding a tick across runners: split the plan's runs, run one share, write its records.

A schedule's runs stay in one shard (its file is loaded once and its fires run in order);
customers are spread freely, because shards write no state: the commit step replays every
shard's records onto the one state, in plan order (`engine.replay.replay`).

`gitcron plan --shards` only splits: what runs a step (steps.py, the executor, jobs and channels)
is imported by `run_share`, so a plan never loads it.
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from gitcron.catalog.cache import load_views
from gitcron.engine import faults
from gitcron.engine.phases import OnRecord, Prepared, Stop
from gitcron.engine.plans import PlannedRun
from gitcron.engine.run_env import RunEnv
from gitcron.errors import GitcronError, UsageError
from gitcron.state import Record, parse_instant
from gitcron.state.records import Trigger

MAX_SHARDS = 256  # GitHub's limit on the jobs of one matrix


def balance(runs: list[PlannedRun], shards: int) -> list[list[str]]:
    """Run ids per shard: whole schedules, biggest first, each to the least loaded shard.

    Cost is the number of runs (a run's time is dominated by its dataset and deliveries, which
    the plan cannot see). Deterministic: ties go to the lowest shard number.
    """
    by_schedule: dict[str, list[str]] = {}
    for run in runs:
        by_schedule.setdefault(run.schedule, []).append(run.run_id)
    heap = [(0, index) for index in range(shards)]
    result: list[list[str]] = [[] for _ in range(shards)]
    for sid in sorted(by_schedule, key=lambda s: (-len(by_schedule[s]), s)):
        load, index = heapq.heappop(heap)
        result[index].extend(by_schedule[sid])
        heapq.heappush(heap, (load + len(by_schedule[sid]), index))
    return result


def shards_json(ready: Prepared, shards: int, payload: dict[str, Any]) -> dict[str, Any]:
    """`plan --format json` plus the matrix and each shard's run ids."""
    if not 1 <= shards <= MAX_SHARDS:
        raise UsageError(f"--shards {shards}: must be 1 to {MAX_SHARDS}", "GitHub's matrix limit")
    split = balance(ready.plan.runs, shards)
    return {
        **payload,
        "matrix": {"shard": list(range(shards))},
        "shards": split,
    }


@dataclass(frozen=True)
class RunsFile:
    """A plan written by `plan --format json` (with or without --shards)."""

    at: datetime
    runs: list[PlannedRun]
    shards: list[list[str]] | None

    def share(self, shard: int | None) -> list[PlannedRun]:
        """The runs of one shard (all of them when `shard` is None)."""
        if shard is None:
            return self.runs
        if self.shards is None or not 0 <= shard < len(self.shards):
            count = 0 if self.shards is None else len(self.shards)
            raise UsageError(
                f"--shard {shard}: the runs file has {count} shard(s)",
                "write it with gitcron plan --shards N --format json, and pass 0 to N-1",
            )
        wanted = set(self.shards[shard])
        return [run for run in self.runs if run.run_id in wanted]


def read_runs_file(path: Path) -> RunsFile:
    """Parse a runs file; a clear error names what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        at = parse_instant(data["at"])
        runs = [_run_from_json(item) for item in data["runs"]]
        shards = data.get("shards")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such runs file", "write it with gitcron plan") from None
    except (ValueError, KeyError, TypeError) as error:
        raise GitcronError(
            f"{path}: not a plan written by `gitcron plan --format json` ({error})",
            "write it again with gitcron plan --shards N --format json",
        ) from None
    return RunsFile(at, runs, shards)


def _run_from_json(item: dict[str, Any]) -> PlannedRun:
    start = item["interval_start"]
    targets = item["targets"]
    return PlannedRun(
        run_id=str(item["run_id"]),
        schedule=str(item["schedule"]),
        fire=parse_instant(item["fire"]),
        interval_start=None if start is None else parse_instant(start),
        trigger=cast(Trigger, item["trigger"]),
        attempt=int(item["attempt"]),
        targets=None if targets is None else tuple(targets),
        generated=None if item.get("generated") is None else parse_instant(item["generated"]),
        delivered_rows=item.get("delivered_rows"),
    )


def run_share(
    root: Path,
    runs: list[PlannedRun],
    env: RunEnv,
    jobs: int,
    on_record: OnRecord | None = None,
    stop: Stop | None = None,
) -> list[Record]:
    """Run these runs at `env.now`, schedules in parallel, each schedule's in order; no state.

    After a `stop` request no run starts; those in progress finish and are returned."""
    from concurrent.futures import ThreadPoolExecutor

    from gitcron.engine.steps import LazySchedule, attempt  # loads jobs and channels

    views = {v.id: v for v in load_views(root, env.now).views}
    by_schedule: dict[str, list[PlannedRun]] = {}
    for run in runs:
        by_schedule.setdefault(run.schedule, []).append(run)
    records: list[Record] = []

    def one_schedule(sid: str) -> list[Record]:
        view = views.get(sid)
        if view is None:
            return []  # removed or broken since the plan: the commit step leaves it for later
        schedule = LazySchedule(view, env)
        done = []
        for run in by_schedule[sid]:
            if stop is not None and stop.requested:
                break
            record = attempt(run, schedule, env)
            faults.reached("mid-delivery")
            done.append(record)
            if on_record is not None:
                on_record(record, view)
        return done

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for found in pool.map(one_schedule, sorted(by_schedule)):
            records.extend(found)
    return records
