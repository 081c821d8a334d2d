"""Customers' decoded state kept between ticks: served only for the same bytes, checked every time.

A state file edited, damaged or restored from git reads as the file says, whatever the kept
table holds; a table from another gitcron, or one that cannot be read, is only slower.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from gitcron.catalog import kept_states
from gitcron.catalog.files import CACHE_DIR
from gitcron.engine.repository import StateRepository
from gitcron.state import ScheduleState, StateError, StateStore
from gitcron.state.store import Kept
from support import invoke, utc

FIRST = "2026-12-07T05:52:00Z"  # the repo's first tick
LATE = "2026-12-07T14:07:00Z"  # 8 h later: every customer has a run due
FILE = "state/schedules/customer-002.json"
KEPT = Path(CACHE_DIR) / kept_states.STATES_FILE
NO_SMTP = {"GITCRON_SMTP_URL": None}


@pytest.fixture
def ticked(repo: Path) -> Path:
    """The example repo after its first tick, and a plan that keeps every customer's decoded
    state (the first tick found none to read)."""
    assert invoke(["--repo", str(repo), "run", "--at", FIRST], NO_SMTP).code == 0
    assert not (repo / KEPT).exists()
    assert invoke(["--repo", str(repo), "plan", "--at", FIRST]).code == 0
    assert (repo / KEPT).is_file()
    return repo


def fresh(repo: Path, now: datetime) -> dict[str, ScheduleState]:
    """Every schedule's state by id, decoded from the files with no kept table."""
    store = StateStore(repo)
    return {
        f"{c}/{n}": s for c in store.customers() for n, s in store.load_customer(c, now).items()
    }


def edit_runs(repo: Path, runs: int) -> None:
    path = repo / FILE
    data = json.loads(path.read_text())
    data["schedules"]["monthly-products"]["runs"] = runs
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def monthly_runs(repo: Path) -> int:
    state = StateRepository(repo, utc(LATE)).get("customer-002/monthly-products")
    assert state is not None
    return state.runs


def test_a_warm_load_decodes_no_file_and_reads_the_same(ticked: Path) -> None:
    before = kept_states.read(ticked).table
    store = StateStore(ticked, before)
    loaded = {c: store.load_customer(c, utc(LATE)) for c in store.customers()}
    assert {f"{c}/{n}": s for c, states in loaded.items() for n, s in states.items()} == fresh(
        ticked, utc(LATE)
    )
    assert set(store.kept) == set(before) == {f"state/schedules/{c}.json" for c in loaded}
    assert all(store.kept[rel] is before[rel] for rel in before)  # none decoded again
    assert not store.kept_changed()


def test_an_edited_file_reads_as_it_says(ticked: Path) -> None:
    edit_runs(ticked, 7)
    assert monthly_runs(ticked) == 7
    assert kept_states.read(ticked).table[FILE][1]["monthly-products"].runs == 7  # kept afresh


def test_a_file_restored_from_git_reads_as_restored(ticked: Path) -> None:
    committed = (ticked / FILE).read_bytes()
    edit_runs(ticked, 7)
    assert monthly_runs(ticked) == 7  # the table now keeps the edited file
    (ticked / FILE).write_bytes(committed)  # what `git checkout -- FILE` does
    assert monthly_runs(ticked) == 0


def test_a_damaged_file_is_broken_though_its_states_were_kept(ticked: Path) -> None:
    (ticked / FILE).write_bytes((ticked / FILE).read_bytes()[:-40])
    states = StateRepository(ticked, utc(LATE))
    assert "customer-002" in states.broken
    assert "corrupt state file" in str(states.broken["customer-002"])
    assert states.get("customer-002/monthly-products") is None
    assert FILE not in kept_states.read(ticked).table  # never kept


def test_kept_states_are_checked_against_the_tick_every_time(ticked: Path) -> None:
    assert invoke(["--repo", str(ticked), "run", "--at", LATE], NO_SMTP).code == 0
    store = StateStore(ticked, kept_states.read(ticked).table)
    assert store.load_customer("customer-002", utc(LATE))
    earlier = StateStore(ticked, store.kept)  # the states it decoded are kept ...
    with pytest.raises(StateError, match="is later than this tick"):  # ... and checked
        earlier.load_customer("customer-002", utc(FIRST))


def poisoned(repo: Path) -> Kept:
    """A table keeping states for FILE's current bytes that the file does not hold."""
    table = kept_states.read(repo).table
    digest, states = table[FILE]
    assert digest == hashlib.sha256((repo / FILE).read_bytes()).digest()
    wrong = {name: replace(state, runs=99) for name, state in states.items()}
    return {**table, FILE: (digest, wrong)}


def test_a_table_from_another_gitcron_is_not_served(ticked: Path) -> None:
    kept_states.write(ticked, poisoned(ticked), kept_states.KeptFile())
    assert monthly_runs(ticked) == 99  # the table is served for the bytes it was made from ...
    _, entries = pickle.loads((ticked / KEPT).read_bytes())
    other = (kept_states.FORMAT, "0.0.1-other", "another build")
    (ticked / KEPT).write_bytes(pickle.dumps((other, entries)))
    assert monthly_runs(ticked) == 0  # ... but only by the gitcron that wrote it
    assert kept_states.read(ticked).table[FILE][1]["monthly-products"].runs == 0  # written anew


def test_a_damaged_entry_costs_only_its_customer(ticked: Path) -> None:
    header, entries = pickle.loads((ticked / KEPT).read_bytes())
    digest, _ = entries[FILE]
    damaged = {**entries, FILE: (digest, b"junk"), "state/schedules/x.json": "not a pair"}
    (ticked / KEPT).write_bytes(pickle.dumps((header, damaged)))
    kept = kept_states.read(ticked)
    assert FILE not in kept.table
    assert len(kept.table) == len(entries) - 1
    assert monthly_runs(ticked) == 0
    assert FILE in kept_states.read(ticked).table  # decoded again, and kept


def test_a_changed_file_alone_is_pickled_again(ticked: Path) -> None:
    before = pickle.loads((ticked / KEPT).read_bytes())[1]
    edit_runs(ticked, 7)
    StateRepository(ticked, utc(LATE))
    after = pickle.loads((ticked / KEPT).read_bytes())[1]
    assert set(after) == set(before)
    assert {rel for rel in after if after[rel] != before[rel]} == {FILE}  # the others: as read


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(("header",))])
def test_a_table_that_cannot_be_read_is_only_slower(ticked: Path, content: bytes) -> None:
    (ticked / KEPT).write_bytes(content)
    assert StateRepository(ticked, utc(LATE)).all() == fresh(ticked, utc(LATE))
    assert set(kept_states.read(ticked).table) == {
        f"state/schedules/{c}.json" for c in StateStore(ticked).customers()
    }


def test_a_table_that_cannot_be_written_is_only_slower(ticked: Path) -> None:
    shutil.rmtree(ticked / CACHE_DIR)
    (ticked / CACHE_DIR).write_text("a file where the cache folder goes\n")
    assert monthly_runs(ticked) == 0


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_plan_reads_the_same_with_and_without_the_table(ticked: Path, fmt: str) -> None:
    args = ["--repo", str(ticked), "plan", "--at", LATE, "--format", fmt]
    (ticked / KEPT).unlink()
    cold = invoke(args)
    assert cold.code == 0
    assert (ticked / KEPT).is_file()
    warm = invoke(args)
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
    (ticked / KEPT).unlink()
    assert invoke(args).out == cold.out
