"""Which gitcron wrote a parse cache: a cache written by other code is discarded, never served.

The version alone does not say it: a development install keeps its version between commits. An
installed gitcron has a `RECORD` beside it, listing each of its files with a hash of its content,
written once by the installer: one file to read instead of every module, which each tick paid
for. A tick on a fresh runner installs anew, so the files' times would not do.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from gitcron import __version__


@functools.cache
def installed_digest() -> str:
    """The digest of the gitcron running now."""
    return code_digest(Path(__file__).resolve().parents[1], __version__)


def code_digest(package: Path, version: str) -> str:
    """The digest of the gitcron code in `package`: its install record when there is one that
    lists the code (an editable install's lists none), else the content of every module."""
    try:
        listed = (package.parent / f"gitcron-{version}.dist-info" / "RECORD").read_bytes()
    except OSError:
        listed = b""
    if b"gitcron/catalog/code_digest.py," in listed:  # the record lists the code itself
        return hashlib.sha1(listed).hexdigest()
    return hashlib.sha1("".join(map(_digest, sorted(package.rglob("*.py")))).encode()).hexdigest()


def _digest(path: Path) -> str:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return ""
