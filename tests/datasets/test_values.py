"""Light typing of text cells: only unambiguous numbers and ISO dates change type."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gitcron.datasets.values import typed


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("42", 42, id="int"),
        pytest.param("-7", -7, id="negative int"),
        pytest.param("0", 0, id="zero"),
        pytest.param("2.50", 2.5, id="decimal"),
        pytest.param("-0.25", -0.25, id="negative decimal"),
        pytest.param("2026-01-31", date(2026, 1, 31), id="iso date"),
        pytest.param("", None, id="empty is none"),
        pytest.param("007", "007", id="leading zero stays text"),
        pytest.param("1e5", "1e5", id="exponent stays text"),
        pytest.param("1234567890123456", "1234567890123456", id="16 digits stay text"),
        pytest.param("123456789012345", 123456789012345, id="15 digits are a number"),
        pytest.param("1,5", "1,5", id="comma decimal stays text"),
        pytest.param("2026-02-30", "2026-02-30", id="impossible date stays text"),
        pytest.param(" 42", " 42", id="padded stays text"),
        pytest.param("+5", "+5", id="plus sign stays text"),
        pytest.param("SKU-0001", "SKU-0001", id="text"),
    ],
)
def test_typed(text: str, value: Any) -> None:
    result = typed(text)
    assert result == value
    assert type(result) is type(value)
