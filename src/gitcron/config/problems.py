"""Problems found in users' files, and the three ways `validate` reports them."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]

# Lower ranks are shown first: GitHub shows only the first 10 annotations of a step.
RANKS = {
    "secret": 0,  # a credential written into a file that is about to be committed
    "syntax": 1,  # the file cannot be read at all
    "timing": 2,  # the schedule would not run when its author thinks
    "target": 3,  # something would be sent to the wrong place, or not at all
    "content": 4,  # what would be sent
    "other": 5,
}


# The item of a list said by its own name: `delivery 2` rather than `deliver item 2`.
NOUNS = {"deliver": "delivery"}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # path relative to the repo, with forward slashes
    message: str  # a short phrase a non-engineer understands
    loc: Loc = ()  # breadcrumb path inside the document (keys and list indexes)
    hint: str | None = None  # how to fix it
    line: int = 0  # 1-based; 0 when unknown
    col: int = 0  # 1-based; 0 when unknown
    severity: Severity = "error"
    kind: str = "other"  # one of RANKS
    key: bool = False  # the problem is the key itself (unknown key), not its value
    # (line, col) inside the value's text, 1-based: a name inside a template. `yamlio.place`
    # turns it into the file's own line and column.
    inside: tuple[int, int] | None = None

    @property
    def where(self) -> str:
        """The breadcrumb a reader follows in the file: `schedule.weekly.on`, `delivery 2, email`.

        Positions in a list are counted from 1, as people count: `loc` keeps pydantic's 0-based
        index (it finds the line), the words say `delivery 2` or `schedule.daily.at item 2`.
        """
        out, key, counted = "", "", False
        for part in self.loc:
            if isinstance(part, int):
                noun = NOUNS.get(key)
                if noun:
                    out = f"{out[: -len(key)]}{noun} {part + 1}"
                else:
                    out += f"{', ' if counted else ' ' if out else ''}item {part + 1}"
                key, counted = "", True
            else:
                key = str(part)
                out += f"{', ' if counted else '.' if out else ''}{key}"
                counted = False
        return out

    def at(self, line: int, col: int) -> Problem:
        return replace(self, line=line, col=col)

    def sort_key(self) -> tuple[int, int, str, int, int]:
        severity = 0 if self.severity == "error" else 1
        return (severity, RANKS.get(self.kind, 5), self.file, self.line, self.col)


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Most important first: errors before warnings, leaked secrets and unreadable files on top."""
    return sorted(problems, key=Problem.sort_key)


def format_text(problem: Problem) -> str:
    position = f"{problem.file}:{problem.line}:{problem.col}" if problem.line else problem.file
    where = f"{problem.where}: " if problem.loc else ""
    text = f"{position}: {problem.severity}: {where}{problem.message}"
    return f"{text}\n    fix: {problem.hint}" if problem.hint else text


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A workflow command that GitHub shows as an annotation on the pull request's diff."""
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        props += [f"line={problem.line}", f"col={problem.col}"]
    props.append(f"title={_escape_property(problem.where or problem.file)}")
    message = problem.message + (f" Fix: {problem.hint}" if problem.hint else "")
    return f"::{problem.severity} {','.join(props)}::{_escape_data(message)}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def summary(problems: Sequence[Problem], files: int, named: Collection[str] = ()) -> str:
    """`2 errors, 1 warning in 2 of 9 schedule files and in gitcron.yaml.`

    `files` counts the schedule files checked; the `named` files (gitcron.yaml, the tick's
    state) are not among them, and are named when they have problems.
    """
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    checked = _count(files, "schedule file")
    if not problems:
        return f"{checked} checked: no problems."
    counted = {p.file for p in problems if p.file not in named}
    shown = [name for name in named if any(p.file == name for p in problems)]
    where = [f"in {len(counted)} of {checked}"] if counted else []
    where += [f"in {' and '.join(shown)}"] if shown else []
    after = "" if counted else f"; none in {checked}"
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')} {' and '.join(where)}{after}."


def _as_json(problem: Problem) -> dict[str, object]:
    fields = {**asdict(problem), "loc": list(problem.loc), "where": problem.where}
    del fields["inside"]  # already in line and col
    return fields


def render(problems: Sequence[Problem], files: int, fmt: str, named: Collection[str] = ()) -> str:
    """The whole report in one of `text`, `github` or `json`; `files` and `named` as in
    `summary` (JSON's `files` counts both, `schedule_files` the first)."""
    problems = ordered(problems)
    if fmt == "json":
        payload = {
            "ok": not any(p.severity == "error" for p in problems),
            "files": files + len(named),
            "schedule_files": files,
            "errors": sum(p.severity == "error" for p in problems),
            "warnings": sum(p.severity == "warning" for p in problems),
            "problems": [_as_json(p) for p in problems],
        }
        return json.dumps(payload, indent=2)
    lines = [format_github(p) if fmt == "github" else format_text(p) for p in problems]
    lines.append(summary(problems, files, named))
    return "\n".join(lines)


def strings_at(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every text inside a parsed YAML value, with where it is (keys and list indexes)."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_at(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_at(item, (*loc, index))
