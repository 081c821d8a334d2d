"""`gitcron schema` prints exactly the committed schema/*.schema.json that editors load."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from gitcron.catalog.files import discover
from gitcron.config import yamlio
from gitcron.config.fields import parse_monthly_on
from support import REPO, Run


@pytest.mark.parametrize(
    ("args", "committed"),
    [
        pytest.param((), "schema/schedule.schema.json", id="schedule"),
        pytest.param(("--for", "schedule"), "schema/schedule.schema.json", id="for-schedule"),
        pytest.param(("--for", "settings"), "schema/settings.schema.json", id="for-settings"),
    ],
)
def test_schema_matches_the_committed_file(
    gitcron: Callable[..., Run], args: tuple[str, ...], committed: str
) -> None:
    run = gitcron("schema", *args)
    assert (run.code, run.err) == (0, "")
    assert run.out == (REPO / committed).read_text(encoding="utf-8"), (
        f"regenerate it: gitcron schema {' '.join(args)} > {committed}"
    )


def test_schema_describes_the_schedule_file() -> None:
    schema = json.loads((REPO / "schema/schedule.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["schedule"]
    assert schema["additionalProperties"] is False
    assert {"timezone", "schedule", "report", "event", "deliver", "skip"} <= set(
        schema["properties"]
    )


def test_unknown_schema_is_a_usage_error(gitcron: Callable[..., Run]) -> None:
    run = gitcron("schema", "--for", "nope")
    run.assert_clean_failure(2)
    assert "Invalid value for '--for'" in run.err


def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _as_json(value: Any) -> Any:
    """YAML data as a JSON document would carry it (dates become their ISO text)."""
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("path", discover(REPO), ids=lambda p: p.parent.name + "/" + p.stem)
def test_examples_validate_against_the_schema(path: Any) -> None:
    validator = _validator("schedule.schema.json")
    data = yamlio.read(path.name, path.read_text(encoding="utf-8")).data
    errors = [e.message for e in validator.iter_errors(_as_json(data))]
    assert errors == []


def test_settings_validate_against_the_schema() -> None:
    validator = _validator("settings.schema.json")
    data = yamlio.read("gitcron.yaml", (REPO / "gitcron.yaml").read_text(encoding="utf-8")).data
    assert [e.message for e in validator.iter_errors(_as_json(data))] == []


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


SCHEMA_PATTERNS = sorted(
    {
        pattern
        for name in ("schedule.schema.json", "settings.schema.json")
        for pattern in _patterns(json.loads((REPO / "schema" / name).read_text(encoding="utf-8")))
    }
)


def test_schema_patterns_compile_as_ecma_262_regexes() -> None:
    """Editors run the patterns as JavaScript regexes, which have no inline flags like (?i)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (
        "const bad = JSON.parse(process.argv[1]).filter(p => {"
        " try { new RegExp(p, 'u'); return false } catch (e) { return true } });"
        " console.log(JSON.stringify(bad));"
    )
    result = subprocess.run(
        [node, "-e", script, json.dumps(SCHEMA_PATTERNS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("first monday", True),
        ("Last Friday", True),
        ("2nd tue", True),
        ("last weekday", True),
        ("15", True),
        ("fifth monday", False),
        ("first monkey", False),
    ],
)
def test_monthly_on_pattern_agrees_with_the_parser(text: str, accepted: bool) -> None:
    schema = json.loads((REPO / "schema/schedule.schema.json").read_text(encoding="utf-8"))
    (pattern,) = _patterns(schema["$defs"]["MonthlyForm"]["properties"]["on"])
    assert (re.search(pattern, text) is not None) is accepted
    if accepted:
        parse_monthly_on(text)
    else:
        with pytest.raises(PydanticCustomError):
            parse_monthly_on(text)
