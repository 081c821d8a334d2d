"""User text in GitHub Markdown, and how much of it a job summary holds.

Apart from the preview's Markdown (review/markdown.py) because the tick's job summary uses them
too, and a tick must not load the preview (its rendered file names load jinja2) to escape a
schedule id.
"""

from __future__ import annotations

import re

SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's $GITHUB_STEP_SUMMARY
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def plain(text: str) -> str:
    """User text shown as text: one line, Markdown characters escaped, no @mentions."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("@", "&#64;")


def cell(text: str) -> str:
    """Text inside a table cell: one line, pipes escaped (also inside code spans)."""
    return " ".join(text.split()).replace("|", "\\|")
