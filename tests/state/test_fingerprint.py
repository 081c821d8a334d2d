"""Fingerprints: a pinned value (so any change to the encoding is noticed), order-free, typed."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from gitcron.state.fingerprint import canonical_json, fingerprint

SPEC = {
    "form": {"weekly": {"on": ["monday", "thursday"], "at": ["09:00"]}},
    "timezone": "America/New_York",
    "skip": ["weekends", "holidays: US"],
    "on_closed": "skip",
    "active": {"from": "2026-01-01", "until": None},
}
CANONICAL = (
    '{"active":{"from":"2026-01-01","until":null},'
    '"form":{"weekly":{"at":["09:00"],"on":["monday","thursday"]}},'
    '"on_closed":"skip","skip":["weekends","holidays: US"],"timezone":"America/New_York"}'
)


def test_pinned_value() -> None:
    # sha256 of CANONICAL, checked with `printf '%s' ... | sha256sum`
    assert canonical_json(SPEC) == CANONICAL
    assert fingerprint(SPEC) == "e0ab639a5eb96bf3"


def test_key_order_does_not_matter() -> None:
    reordered = dict(reversed(list(SPEC.items())))
    assert fingerprint(reordered) == fingerprint(SPEC)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"timezone": "Europe/London"}, id="timezone"),
        pytest.param({"skip": ["weekends"]}, id="skip"),
        pytest.param({"on_closed": "next-open-day"}, id="on-closed"),
        pytest.param({"active": {"from": "2026-01-02", "until": None}}, id="window"),
        pytest.param({"form": {"daily": {"at": ["09:00"]}}}, id="form"),
    ],
)
def test_any_timing_change_changes_it(change: dict[str, object]) -> None:
    assert fingerprint({**SPEC, **change}) != fingerprint(SPEC)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(date(2026, 1, 1), '"2026-01-01"', id="date"),
        pytest.param(time(9, 30), '"09:30:00"', id="time"),
        pytest.param(timedelta(hours=6), '{"seconds":21600.0}', id="timedelta"),
        pytest.param(ZoneInfo("Europe/Oslo"), '"Europe/Oslo"', id="zone"),
        pytest.param(frozenset({3, 1, 2}), "[1,2,3]", id="set-sorted"),
        pytest.param((1, "é"), '[1,"\\u00e9"]', id="tuple-ascii"),
    ],
)
def test_plain_values_beyond_json(value: object, text: str) -> None:
    assert canonical_json(value) == text


def test_unknown_types_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot encode object"):
        fingerprint({"x": object()})
