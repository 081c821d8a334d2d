"""Atomic, minimal, canonical state writes, and corrupt files refused with file:line:col."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gitcron.errors import GitcronError
from gitcron.state.files import StateError, encode_json, read_json, write_bytes, write_json

DOC = {"schedules": {"b": 2, "a": [1, "é"]}, "format": 1}
DOC_BYTES = (
    b'{\n  "format": 1,\n  "schedules": {\n    "a": [\n      1,\n      "\xc3\xa9"\n    ],\n'
    b'    "b": 2\n  }\n}\n'
)


def test_encode_is_indented_sorted_utf8_with_final_newline() -> None:
    assert encode_json(DOC) == DOC_BYTES


def test_encode_ignores_insertion_order() -> None:
    shuffled = {"format": 1, "schedules": {"a": [1, "é"], "b": 2}}
    assert encode_json(shuffled) == encode_json(DOC)


def test_write_creates_folders_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "state" / "schedules" / "acme.json"
    assert write_json(path, DOC) is True
    assert path.read_bytes() == DOC_BYTES
    assert read_json(path, "state/schedules/acme.json") == DOC
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "tick.json"
    assert write_json(path, DOC) is True
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert write_json(path, {"schedules": {"a": [1, "é"], "b": 2}, "format": 1}) is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert write_json(path, {**DOC, "format": 2}) is True
    assert path.stat().st_mtime_ns != 1_000_000_000
    assert b'"format": 2' in path.read_bytes()


def test_rewrite_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "tick.json"
    path.write_bytes(b"old\n")
    path.chmod(0o664)
    assert write_bytes(path, b"new\n") is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_failed_replace_leaves_old_content_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tick.json"
    path.write_bytes(b"old\n")

    def broken_replace(src: str, dst: str) -> None:
        assert Path(src).read_bytes() == b"new\n"  # written and closed before the rename
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk gone"):
        write_bytes(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tick.json"]


def test_failed_write_of_a_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError("io error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="io error"):
        write_bytes(tmp_path / "tick.json", b"new\n")
    assert list(tmp_path.iterdir()) == []


def test_missing_file_is_for_the_caller_to_judge(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "nope.json", "state/nope.json")


HAND_EDIT = """\
{
  "format": 1,
  "schedules": {
    "weekly": {
      "status": "paused",
    }
  }
}
"""


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        pytest.param(
            HAND_EDIT.encode(), ":5:25:", "trailing comma before '}'", id="trailing-comma-line-5"
        ),
        pytest.param(DOC_BYTES[:40], ":4:", "ends too early", id="truncated"),
        pytest.param(b"", ":1:1:", "the file is empty", id="empty"),
        pytest.param(b'{"a": 1}\n{"b": 2}\n', ":2:1:", "Extra data", id="two-documents"),
        pytest.param(b'{"a": [1, 2,]}', ":1:12:", "trailing comma before ']'", id="list-comma"),
        pytest.param(b'{\n  "a": "\xff"\n}', ":2:9:", "not UTF-8", id="not-utf8"),
        pytest.param(b'{"a": 1, "a": 2}', ": ", 'key "a" appears twice', id="duplicate-key"),
    ],
)
def test_corrupt_file_names_file_line_and_way_out(
    tmp_path: Path, content: bytes, where: str, what: str
) -> None:
    path = tmp_path / "acme.json"
    path.write_bytes(content)
    with pytest.raises(StateError) as caught:
        read_json(path, "state/schedules/acme.json")
    error = caught.value
    assert isinstance(error, GitcronError)
    assert error.message.startswith("state/schedules/acme.json" + where)
    assert what in error.message
    assert error.hint is not None
    assert "gitcron state repair" in error.hint
    assert "git checkout -- state/schedules/acme.json" in error.hint
    assert "delete state/schedules/acme.json" in error.hint
    assert path.read_bytes() == content  # never reset
