"""A last look at the raw text of every file for credentials, wherever they were pasted.

Named detectors (`detectors.py`) find them; each finding is a Problem at the secret's line and
column whose message names its detector. An author who knows a flagged string is not a secret ends
that line with `# gitcron: allow-secret NAME`: the comment suppresses only that detector's finding
on that line, and sits in the diff for reviewers to see. A bare allow comment, or one naming
another detector, suppresses nothing, and the finding says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gitcron.catalog.secrets.detectors import DETECTORS, NAMES, Detector
from gitcron.config.problems import Problem

__all__ = ["DETECTORS", "NAMES", "Detector", "Finding", "allowed", "find", "scan"]

ALLOW = "gitcron: allow-secret"
# A YAML comment (after a space, or alone on the line) at the end of the line.
_ALLOW = re.compile(r"(?:^|\s)#\s*gitcron:\s*allow-secret\b(?P<rest>.*)$")
_WORD_SPLIT = re.compile(r"[\s,]+")
_NOT_ALLOWED = "the allow comment on this line does not name {name}, so it does not apply"
_HINT = (
    "remove it (and rotate it if it was ever pushed); store it as a repository secret and name"
    " its environment variable in a *_env setting; if it is not a secret, end the line with"
    " '# {allow} {name}'"
)


@dataclass(frozen=True, slots=True)
class Finding:
    detector: Detector
    start: int  # offset of the secret in the text
    end: int


# The detectors whose markers share a first character, found in one pass over the text:
# (gate, search, entries). The gate is a character of every marker: `in` is then a memchr, so a
# group whose gate is absent costs next to nothing. The search is every marker, longest first, led
# by their shared first character; entries are (marker, rank, detector).
_Group = tuple[str, Callable[[str], Iterator[re.Match[str]]], tuple[tuple[str, int, Detector], ...]]
_RARE = "JQXZGVWIFMDY"  # characters seldom in schedule files, rarest first: the best gates


def _groups() -> tuple[_Group, ...]:
    by_first: dict[str, list[tuple[str, int, Detector]]] = {}
    for rank, detector in enumerate(DETECTORS):
        for marker in detector.markers:
            by_first.setdefault(marker[0], []).append((marker, rank, detector))
    groups = []
    for first, entries in by_first.items():
        markers = sorted({marker for marker, _, _ in entries}, key=len, reverse=True)
        shared = set.intersection(*(set(marker) for marker in markers))
        gate = next((c for c in _RARE if c in shared), first)
        search = re.compile("|".join(map(re.escape, markers)))
        groups.append((gate, search.finditer, tuple(entries)))
    return tuple(groups)


_GROUPS = _groups()


def find(text: str) -> list[Finding]:
    """Every credential in the text, one finding per secret: the earliest detector names it."""
    candidates: list[tuple[int, int, int, Detector]] = []  # (rank, start, end, detector)
    for gate, search, entries in _GROUPS:
        if gate not in text:
            continue
        for hit in search(text):
            at = hit.start()
            for marker, rank, detector in entries:
                if at < detector.lead or not text.startswith(marker, at):
                    continue
                match = detector.pattern.match(text, at - detector.lead)
                if match is not None:
                    candidates += ((rank, *span, detector) for span in detector.locate(text, match))
    if not candidates:
        return []
    found: list[Finding] = []
    for _, start, end, detector in sorted(candidates, key=lambda c: c[:3]):
        if not any(f.start < end and start < f.end for f in found):
            found.append(Finding(detector, start, end))
    return found


def allowed(line: str) -> list[str] | None:
    """The detectors an allow comment at the end of the line names; None without one.

    Names follow the comment, separated by spaces or commas; the first word that is not a
    detector's name ends the list, and the rest is free text saying why.
    """
    if "allow-secret" not in line:
        return None
    match = _ALLOW.search(line)
    if match is None:
        return None
    names = []
    for word in _WORD_SPLIT.split(match["rest"].strip()):
        if word not in NAMES:
            break
        names.append(word)
    return names


def scan(file: str, text: str) -> list[Problem]:
    """Every credential in the file that no allow comment covers, at its line and column."""
    problems: list[Problem] = []
    for finding in find(text):
        start = finding.start
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        names = allowed(text[line_start : line_end if line_end >= 0 else len(text)])
        name = finding.detector.name
        if names is not None and name in names:
            continue
        hint = _HINT.format(allow=ALLOW, name=name)
        if names is not None:
            hint = f"{_NOT_ALLOWED.format(name=name)}; {hint}"
        problems.append(
            Problem(
                file,
                f"this looks like {finding.detector.what} ({name}),"
                " and secrets must never be in files",
                hint=hint,
                line=text.count("\n", 0, start) + 1,
                col=start - line_start + 1,
                kind="secret",
            )
        )
    return sorted(problems, key=lambda p: (p.line, p.col))
