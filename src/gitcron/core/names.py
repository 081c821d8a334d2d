"""File names customers see, held to an allow-list.

A name travels into email attachments, object keys and SFTP paths, so it must be one plain path
component on every system those reach, whatever a template or a parameter put into it.
"""

from __future__ import annotations

import re

MAX_NAME = 200
_ALLOWED = re.compile(r"[A-Za-z0-9._ +@()-]+")
_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\..*)?")  # Windows device names


def filename_problem(name: str) -> str | None:
    """Why `name` is not one safe path component, or None when it is."""
    if not name.strip():
        return "the file name is empty"
    if len(name) > MAX_NAME:
        return f"the file name is longer than {MAX_NAME} characters"
    bad = [] if _ALLOWED.fullmatch(name) else sorted(set(_ALLOWED.sub("", name)))
    if bad:
        shown = " ".join(repr(char) for char in bad[:5])
        return f"the file name contains {shown}; only letters, digits and . _ - + @ ( ) space"
    if name.startswith(".") or ".." in name:
        return "a file name cannot start with '.' nor contain '..'"
    if name != name.strip() or name.endswith("."):
        return "a file name cannot start or end with a space, nor end with '.'"
    if _RESERVED.fullmatch(name):
        return f"'{name}' is a reserved device name on Windows"
    return None
