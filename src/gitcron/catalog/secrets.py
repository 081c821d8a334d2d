"""A last look at the raw text of every file for credentials, wherever they were pasted."""

from __future__ import annotations

import re

from gitcron.config.problems import Problem

# Each pattern starts with a literal, so the regex engine skips ahead at C speed; a pattern only
# runs when its marker occurs in the file at all.
_PATTERNS = [
    (marker, re.compile(pattern))
    for marker, pattern in [
        ("whsec_", r"whsec_[A-Za-z0-9+/=]{8,}"),
        ("k_live_", r"[sr]k_live_[A-Za-z0-9]{8,}"),
        ("k_test_", r"[sr]k_test_[A-Za-z0-9]{8,}"),
        ("gh", r"gh[pousr]_[A-Za-z0-9]{20,}"),
        ("github_pat_", r"github_pat_\w{20,}"),
        ("xox", r"xox[abprs]-[A-Za-z0-9-]{10,}"),
        ("AKIA", r"AKIA[0-9A-Z]{16}"),
        ("ASIA", r"ASIA[0-9A-Z]{16}"),
        ("SG.", r"SG\.[\w-]{16,}\.[\w-]{16,}"),
        ("-----BEGIN", r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
        ("://", r"://[^/\s:@]+:[^/\s@]+@"),  # a password inside an address
    ]
]
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*$")


def _position(text: str, start: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - line_start + 1


def scan(file: str, text: str) -> list[Problem]:
    """Every token-shaped string in the file, at its line and column."""
    starts: set[int] = set()
    for marker, pattern in _PATTERNS:
        if marker in text:
            for match in pattern.finditer(text):
                start = match.start()
                if marker == "://":
                    scheme = _SCHEME.search(text, max(0, start - 20), start)
                    start = scheme.start() if scheme else start
                starts.add(start)
    return [
        Problem(
            file,
            "this looks like a password, key or token, and secrets must never be in files",
            hint="remove it (and rotate it if it was ever pushed); store it as a repository"
            " secret and name its environment variable in a *_env setting",
            line=line,
            col=col,
            kind="secret",
        )
        for line, col in sorted(_position(text, start) for start in starts)
    ]
