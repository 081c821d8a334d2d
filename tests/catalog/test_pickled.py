"""The parse cache's pickling: what it restores equals what it kept, whichever way it is rebuilt."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime, time, timedelta

import pytest

from gitcron.catalog import pickled
from gitcron.state import ScheduleState
from gitcron.state.summaries import OpenRun, Summary
from gitcron.timing.spec import Daily, Weekly

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Unslotted:
    name: str
    size: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class Checked:
    name: str

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a name")


@dataclasses.dataclass(frozen=True, slots=True)
class Clashing:
    """Fields named as what a rebuilder's own code uses."""

    new: str
    kind: str
    made: int
    _0: int = 0


def state(n: int) -> ScheduleState:
    summary = Summary(
        runs=n, durations={"1200": n}, days={"2026-11-23": n}, open=(OpenRun("r", 1, "failed"),)
    )
    return ScheduleState(
        f"print{n}", first_seen=AT, next_fire=AT + timedelta(hours=n), summary=summary
    )


def test_states_and_forms_come_back_equal_and_frozen() -> None:
    value = {
        "states": {f"s{n}": state(n) for n in range(5)},
        "forms": [Daily((time(8),)), Weekly(frozenset({0, 3}), (time(9, 30),))],
    }
    back = pickle.loads(pickled.dumps(value))
    assert back == value
    restored = back["states"]["s3"]
    assert type(restored) is ScheduleState
    assert type(restored.summary) is Summary
    assert restored.watermark == AT  # methods and properties work on what was rebuilt
    with pytest.raises(dataclasses.FrozenInstanceError):
        restored.runs = 1  # type: ignore[misc]


def test_each_class_is_named_once_however_many_instances() -> None:
    data = pickled.dumps([state(n) for n in range(50)])
    assert data.count(b"rebuilder") == 1
    assert data.count(b"ScheduleState") == 1


def test_fields_named_as_the_rebuilders_own_words_are_rebuilt() -> None:
    value = [Clashing("a", "b", 1, 2), Clashing("c", "d", 3)]
    assert pickle.loads(pickled.dumps(value)) == value


def test_other_dataclasses_pickle_as_their_class_does() -> None:
    value = [Unslotted("plain", 3), Checked("checked")]
    data = pickled.dumps(value)
    assert b"rebuilder" not in data
    assert pickle.loads(data) == value


class _AsksForChecked:
    def __reduce__(self) -> tuple[object, ...]:
        return pickled.rebuilder, (Checked,)


def test_a_pickle_asking_to_rebuild_another_class_is_refused() -> None:
    data = pickle.dumps(_AsksForChecked())  # its __post_init__ would be skipped: never made
    with pytest.raises(TypeError, match="not rebuilt from its slots"):
        pickle.loads(data)
