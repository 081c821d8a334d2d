"""From composed YAML nodes to data, in one tight pass, giving what PyYAML's constructor gives.

PyYAML's `SafeConstructor` is generic: every node goes through `construct_object` with its
bookkeeping for recursive objects, generators and merge keys, and that was half of validate's
time on 10,000 files. gitcron refuses anchors and aliases and resolves no merge keys, so a
document is a tree of plain mappings, lists and scalars: this builds it directly, each scalar by
the loader's own method for its tag (`yamlio.Loader`, whose rules stay the only ones). Anything
else (an explicit tag such as `!!set`, a list as a key, a tree too deep) is left to the full
constructor, which gives its usual result or error.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ = f"{_TAG}str", f"{_TAG}map", f"{_TAG}seq"


class Builder(Protocol):
    """What the loader gives: its scalar constructors, and where duplicate keys are noted."""

    duplicates: list[tuple[str, yaml.Mark]]

    def construct_yaml_null(self, node: ScalarNode) -> None: ...
    def construct_yaml_bool(self, node: ScalarNode) -> bool: ...
    def construct_yaml_int(self, node: ScalarNode) -> int: ...
    def construct_yaml_float(self, node: ScalarNode) -> float: ...
    def construct_yaml_timestamp(self, node: ScalarNode) -> Any: ...


class Unusual(Exception):
    """The document needs the full constructor."""


def build(node: Node, loader: Builder) -> Any:
    """The data of `node`; raises `Unusual` for what only the full constructor handles."""
    scalars: dict[str, Callable[[ScalarNode], Any]] = {
        f"{_TAG}null": loader.construct_yaml_null,
        f"{_TAG}bool": loader.construct_yaml_bool,
        f"{_TAG}int": loader.construct_yaml_int,
        f"{_TAG}float": loader.construct_yaml_float,
        f"{_TAG}timestamp": loader.construct_yaml_timestamp,
    }
    try:
        return _value(node, scalars, loader.duplicates)
    except RecursionError:
        raise Unusual from None


def _value(
    node: Node,
    scalars: dict[str, Callable[[ScalarNode], Any]],
    duplicates: list[tuple[str, yaml.Mark]],
) -> Any:
    """One node's data. A function of its own, not a closure in `build`: a closure that calls
    itself is a cycle, and each file would leave one (holding its loader) to the collector."""
    tag = node.tag
    if tag == STR and type(node) is ScalarNode:
        return node.value
    if tag == MAP and type(node) is MappingNode:
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise Unusual  # a list or mapping as a key: the constructor's own error
            # text, the common key and value, is taken here: a call per scalar cost more
            key = key_node.value
            if key_node.tag != STR:
                key = _value(key_node, scalars, duplicates)
            if value_node.tag == STR and type(value_node) is ScalarNode:
                mapping[key] = value_node.value
            else:
                mapping[key] = _value(value_node, scalars, duplicates)
        if len(mapping) != len(node.value):  # as yamlio's constructor notes duplicates
            seen: set[str] = set()
            for key_node, _ in node.value:
                if key_node.value in seen:
                    duplicates.append((key_node.value, key_node.start_mark))
                seen.add(key_node.value)
        return mapping
    if tag == SEQ and type(node) is SequenceNode:
        return [_value(item, scalars, duplicates) for item in node.value]
    make = scalars.get(tag)
    if make is None or type(node) is not ScalarNode:
        raise Unusual
    return make(node)
