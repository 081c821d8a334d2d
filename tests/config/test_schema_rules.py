"""Each rule the schema states agrees with the parser validate runs, and every key has help."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from gitcron.cli.schema import duration_text, schema_text
from gitcron.config import fields

SCHEMAS = {name: json.loads(schema_text(name)) for name in ("schedule", "settings")}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_examples_and_defaults_read_as_a_user_writes_them(name: str) -> None:
    text = schema_text(name)
    assert not re.search(r'"P(?:\d+D)?T?\d', text), "a default in ISO 8601 (PT6H), not 6h"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=6), "6h"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(seconds=30), "30s"),
        (timedelta(days=2, seconds=1), "2d1s"),
    ],
)
def test_duration_text_reads_back(delta: timedelta, text: str) -> None:
    assert duration_text(delta) == text
    assert fields.parse_duration(text) == delta
