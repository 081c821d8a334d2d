"""Hovering over a key in an editor explains it, with the schema found as the editor finds it.

yaml-language-server reads the `# yaml-language-server: $schema=...` comment at the top of a file,
resolves the path against the file's own folder, and shows a key's `description` on hover. For
every example schedule and for gitcron.yaml, this follows the same steps to the committed schema
file and checks that every key written in the file (top-level first, then the keys inside) has a
description there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitcron.catalog.files import discover
from gitcron.config import yamlio
from support import REPO

MODELINE = re.compile(r"^#\s*yaml-language-server\s*:\s*\$schema=(\S+)\s*$")
FILES = [*discover(REPO), REPO / "gitcron.yaml"]


def schema_of(path: Path) -> tuple[Path, dict[str, Any]]:
    """The schema file a file's modeline names, resolved against the file's folder."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break  # the modeline is part of the comment block at the top
        match = MODELINE.match(line)
        if match:
            where = (path.parent / match[1]).resolve()
            return where, json.loads(where.read_text(encoding="utf-8"))
    raise AssertionError(f"{path.relative_to(REPO)} has no yaml-language-server modeline")


def _branches(node: dict[str, Any], root: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`node` and what it stands for: its `$ref` target and its anyOf/oneOf/allOf branches."""
    yield node
    if isinstance(node.get("$ref"), str):
        name = node["$ref"].removeprefix("#/$defs/")
        yield from _branches(root["$defs"][name], root)
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(keyword, []):
            yield from _branches(branch, root)


def child(node: dict[str, Any], key: str, root: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema of `key`'s value, and whether the key is declared (so hover explains it).

    A declared key's first schema is its declaration on the model, which comes before any rule
    about it (the one-of branches); a name the user chose (a dataset, a label) has none.
    """
    for branch in _branches(node, root):
        if key in branch.get("properties", {}):
            return branch["properties"][key], True
    for branch in _branches(node, root):
        for pattern, schema in branch.get("patternProperties", {}).items():
            if re.search(pattern, key):
                return schema, False
        if isinstance(branch.get("additionalProperties"), dict):
            return branch["additionalProperties"], False
    return {}, False


def keys_with_help(
    data: Any, node: dict[str, Any], root: dict[str, Any], where: str = ""
) -> Iterator[tuple[str, str]]:
    """(breadcrumb, description) of every declared key in `data`, outer keys first."""
    if isinstance(data, dict):
        inner = [(str(key), value, *child(node, str(key), root)) for key, value in data.items()]
        for key, _, schema, is_declared in inner:
            if is_declared:
                yield f"{where}.{key}".lstrip("."), str(schema.get("description", ""))
        for key, value, schema, _ in inner:
            yield from keys_with_help(value, schema, root, f"{where}.{key}")
    elif isinstance(data, list):
        items = next((b["items"] for b in _branches(node, root) if "items" in b), {})
        for index, item in enumerate(data):
            yield from keys_with_help(item, items, root, f"{where}[{index}]")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_modeline_leads_to_the_committed_schema(path: Path) -> None:
    where, schema = schema_of(path)
    expected = "settings" if path.name == "gitcron.yaml" else "schedule"
    assert where == REPO / "schema" / f"{expected}.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_top_level_key_has_a_description(path: Path) -> None:
    _, schema = schema_of(path)
    data = yamlio.read(path.name, path.read_text(encoding="utf-8")).data
    assert isinstance(data, dict)
    assert data
    for key in data:
        assert key in schema["properties"], key
        assert str(schema["properties"][key].get("description", "")).strip(), key


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_key_inside_has_a_description(path: Path) -> None:
    _, schema = schema_of(path)
    data = yamlio.read(path.name, path.read_text(encoding="utf-8")).data
    helped = dict(keys_with_help(data, schema, schema))
    assert len(helped) > len(data)  # the keys inside were reached too
    assert [where for where, text in helped.items() if not text.strip()] == []
