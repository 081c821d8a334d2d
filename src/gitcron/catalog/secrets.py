"""A last look at the raw text of every file for credentials, wherever they were pasted."""

from __future__ import annotations

import re

from gitcron.config.problems import Problem

_TOKENS = re.compile(
    r"whsec_[A-Za-z0-9+/=]{8,}"
    r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|SG\.[\w-]{16,}\.[\w-]{16,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"
)


def scan(file: str, text: str) -> list[Problem]:
    """Every token-shaped string in the file, at its line and column."""
    problems = []
    for match in _TOKENS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(
            Problem(
                file,
                "this looks like a password, key or token, and secrets must never be in files",
                hint="remove it (and rotate it if it was ever pushed); store it as a repository"
                " secret and name its environment variable in a *_env setting",
                line=line,
                col=col,
                kind="secret",
            )
        )
    return problems
