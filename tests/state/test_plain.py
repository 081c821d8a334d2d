"""The plain reader and writer of state agree with pydantic, which they stand in for.

A well-formed state file is read without pydantic (state/plain.py); anything else goes to
pydantic, which words the problem. So the plain reader must never accept what pydantic refuses,
must give exactly pydantic's value for what it accepts, and the plain writer must write
pydantic's bytes. Hypothesis damages a full customer file one place at a time to look for a
value where they part.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from gitcron.state import codec, plain
from gitcron.state.claims import Claim
from gitcron.state.codec import Codec, ScheduleName
from gitcron.state.files import StateError
from gitcron.state.model import ScheduleState, TickState
from gitcron.state.phrases import state_error
from gitcron.state.records import Record

RUN = "acme-corp/weekly@2026-11-23T15:00:00Z"
SCHEDULES = dict[ScheduleName, ScheduleState]  # what a customer file holds
FULL: dict[str, Any] = {
    "weekly": {
        "fingerprint": "3f2a9c0d1e4b5a67",
        "first_seen": "2026-11-01T09:15:00Z",
        "anchor": "2026-11-01T09:15:00Z",
        "last_fire": "2026-11-23T15:00:00Z",
        "next_fire": "2026-11-30T15:00:00Z",
        "runs": 4,
        "manual_runs": 1,
        "last_manual": "2026-11-20T10:00:00Z",
        "succeeded": 3,
        "failed": 1,
        "consecutive_failures": 1,
        "pending_retry": {
            "run_id": RUN,
            "fire": "2026-11-23T15:00:00Z",
            "attempt": 1,
            "due": "2026-11-23T15:05:00Z",
            "failed_targets": ["webhook:https://hooks.acme.example/files"],
            "generated": "2026-11-23T15:00:02Z",
        },
        "status": "active",
        "delivered": [f"{RUN}|email:buyer@acme.example"],
        "summary": {
            "since": "2026-11-01T09:15:00Z",
            "records": 5,
            "runs": 4,
            "attempts": 5,
            "succeeded": 3,
            "failed": 1,
            "rows": 1200,
            "duration_ms": 5400,
            "durations": {"1000": 3, "1200": 2},
            "last_success": "2026-11-16T15:00:00Z",
            "last_failure": "2026-11-23T15:00:00Z",
            "last_status": "failed",
            "open": [{"run_id": RUN, "attempt": 1, "status": "failed", "rows": 300}],
            "days": {"2026-11-16": 2, "2026-11-23": 3},
        },
        "delivered_rows": "ab12",
    },
    "nested/once": {
        "fingerprint": "0b1c2d3e4f506172",
        "first_seen": "2026-11-01T09:15:00Z",
        "status": "completed",
        "completed_reason": "once: fired",
        "summary": {},
    },
}
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, -1, 10**9, 10**9 + 1, 10**15, 10**15 + 1, 1.0, 3.5, float("inf")]),
    st.text(max_size=20),
    st.sampled_from(["2026-11-23T15:00:00Z", "1999-12-31T23:59:59Z", "2200-01-01T00:00:00Z"]),
    st.sampled_from(["2026-11-23", "active", "paused", "failed", "done", "x" * 65_537, "12"]),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in `data`: each value of an object and each item of a list."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for number, value in enumerate(data):
            found += _places(value, (*path, number))
    return found


PLACES = _places(FULL)[1:]


def _damaged(place: tuple[Any, ...], how: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    parent = data
    for part in place[:-1]:
        parent = parent[part]
    last = place[-1]
    if how == "set":
        parent[last] = value
    elif how == "delete":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    elif isinstance(parent, dict):  # a key beside it
        parent[str(value)[:8] or "extra"] = value
    return data


def _same_as_pydantic(kind: Any, data: Any) -> bool:
    """Whether the plain reader read `data`; if it did, it agrees with pydantic both ways."""
    try:
        mine = plain.reader(kind)(data)
    except plain.Unsure:
        return False  # pydantic reads it, as before
    adapter: TypeAdapter[Any] = TypeAdapter(kind)
    try:
        theirs = adapter.validate_python(data)
    except ValidationError as error:
        pytest.fail(f"the plain reader accepted what pydantic refuses: {error}")
    assert mine == theirs
    assert plain.writer(kind)(mine) == adapter.dump_python(theirs, mode="json")
    return True


def test_a_full_file_is_read_and_written_as_pydantic_does() -> None:
    assert _same_as_pydantic(SCHEDULES, copy.deepcopy(FULL))
    assert _same_as_pydantic(TickState, {"last_tick": "2026-11-23T15:00:00Z"})
    claim = {
        "run_id": RUN,
        "schedule": "acme-corp/weekly",
        "fire": "2026-11-23T15:00:00Z",
        "attempt": 1,
        "holder": "3f2a",
        "claimed": "2026-11-23T15:00:00Z",
        "expires": "2026-11-23T16:00:00Z",
    }
    assert _same_as_pydantic(tuple[Claim, ...], [claim])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), st.sampled_from(["set", "delete", "beside"]), HOSTILE)
def test_a_damaged_file_is_never_read_otherwise_than_by_pydantic(
    place: tuple[Any, ...], how: str, value: Any
) -> None:
    _same_as_pydantic(SCHEDULES, _damaged(place, how, value))


@given(HOSTILE)
def test_a_damaged_tick_file_likewise(value: Any) -> None:
    _same_as_pydantic(TickState, {"last_tick": value})
    _same_as_pydantic(TickState, value)


def test_what_the_walker_does_not_cover_goes_to_pydantic_alone() -> None:
    """Records hold labels of several types: their codec keeps pydantic for both ways."""
    with pytest.raises(plain.Unsupported):
        plain.reader(Record)
    with pytest.raises(plain.Unsupported):
        plain.writer(Record)


EDGES = [None, True, 0, -1, 5, 10**9, 10**9 + 1, 1.0, "x", "2026-11-23T15:00:00Z", "active", [], {}]


def test_every_place_damaged_every_way_agrees_with_pydantic() -> None:
    """The same, exhaustively over a fixed set of values: a good share is read plainly."""
    read = [
        _same_as_pydantic(SCHEDULES, _damaged(place, how, value))
        for place in PLACES
        for how in ("set", "delete", "beside")
        for value in EDGES
    ]
    assert 0 < sum(read) < len(read)


def test_a_codec_reads_plainly_for_its_first_values_then_builds_pydantics(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many customers: the validator is built once the codec has read its share plainly, and
    the values and written forms stay the same."""
    monkeypatch.setattr(codec, "PLAIN_USES", 1)
    schedules: Codec[Any] = Codec(SCHEDULES)
    first = schedules.decode(copy.deepcopy(FULL), "f.json", "hint")
    assert "adapter" not in vars(schedules)  # the first read was plain
    second = schedules.decode(copy.deepcopy(FULL), "f.json", "hint")
    assert "adapter" in vars(schedules)  # past the budget: pydantic reads
    assert first == second
    assert schedules.encode(first) == plain.writer(SCHEDULES)(first)


def test_a_damaged_file_reports_what_pydantic_says() -> None:
    """Read by a codec that has not built its validator yet: the plain reader cannot vouch for
    the file, so pydantic reads it and the error is pydantic's, in state's words."""
    damaged = _damaged(("weekly", "runs"), "set", -1)
    schedules: Codec[Any] = Codec(SCHEDULES)
    with pytest.raises(StateError) as caught:
        schedules.decode(damaged, "state/schedules/acme-corp.json", "restore it")
    assert caught.value.message == (
        "state/schedules/acme-corp.json: weekly.runs: expected a whole number >= 0, found -1"
    )
    assert caught.value.hint == "restore it"
    with pytest.raises(ValidationError) as pydantic_says:
        TypeAdapter(SCHEDULES).validate_python(damaged)
    words = state_error(pydantic_says.value, "state/schedules/acme-corp.json", "restore it")
    assert str(words) == str(caught.value)
