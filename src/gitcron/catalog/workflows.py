"""The workflows, read for the secrets they hand to gitcron: each one granted, each one needed.

A grant in gitcron.yaml is only half of a credential: the tick workflow must also pass the
repository secret to the step that runs gitcron, and pass nothing more. So validate reads
`.github/workflows/*.yml` (with the project's YAML 1.2 loader: `on:` stays a key) and warns
about a granted variable a delivering step (`gitcron run`, `trigger`, `resend`, `backfill`) does
not receive, at the credential's line of gitcron.yaml; when its caller gives the variables the
schedules name themselves (`known_hosts_env:`, catalog/named_variables.py), about one that such a
step does not receive, at the schedule's line; and, at the workflow's line, about a secret a
gitcron step receives that neither gitcron.yaml nor a schedule declares, a secret given to a
whole job or workflow rather than one step, and a credential given to a step that delivers
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitcron.catalog.files import SETTINGS_FILE
from gitcron.catalog.named_variables import Named
from gitcron.config import yamlio
from gitcron.config.problems import Loc, Problem
from gitcron.config.settings import Settings

WORKFLOWS_DIR = ".github/workflows"
DELIVERING = frozenset({"run", "trigger", "resend", "backfill"})  # subcommands that deliver
_OPTIONS_WITH_VALUES = frozenset({"--repo", "--at"})  # the group's own, before the subcommand
_SECRET = re.compile(r"\bsecrets\s*(?:\.|\[)")
_COMMAND_BREAK = re.compile(r"[;&|()`\n]")


@dataclass(frozen=True, slots=True)
class Passed:
    """One variable a step receives: where it is written, and whether it holds a secret."""

    loc: Loc
    secret: bool
    level: str  # "step", "job" or "workflow"


@dataclass(slots=True)
class Step:
    """A step that runs gitcron, with everything its environment receives."""

    file: str
    loc: Loc
    title: str
    commands: set[str]
    env: dict[str, Passed] = field(default_factory=dict)

    @property
    def delivers(self) -> bool:
        return bool(self.commands & DELIVERING)


def subcommands(script: str) -> set[str]:
    """The gitcron subcommands a `run:` script calls: `gitcron --repo . run ...` gives `run`."""
    found: set[str] = set()
    for command in _COMMAND_BREAK.split(script):
        words = [word.strip("\"'") for word in command.split()]
        for index, word in enumerate(words):
            if word == "gitcron" or word.endswith("/gitcron"):
                rest = iter(words[index + 1 :])
                for token in rest:
                    if token in _OPTIONS_WITH_VALUES:
                        next(rest, None)
                    elif not token.startswith("-"):
                        found.add(token)
                        break
    return found


def _env(value: Any, loc: Loc, level: str) -> dict[str, Passed]:
    if not isinstance(value, dict):
        return {}
    return {
        str(name): Passed((*loc, "env", str(name)), bool(_SECRET.search(str(text))), level)
        for name, text in value.items()
    }


def gitcron_steps(file: str, data: dict[str, Any]) -> Iterator[Step]:
    """Every step of the workflow whose script runs gitcron."""
    jobs = data.get("jobs")
    if not isinstance(jobs, dict):
        return
    outer = _env(data.get("env"), (), "workflow")
    for job_id, job in jobs.items():
        if not isinstance(job, dict) or not isinstance(job.get("steps"), list):
            continue
        around = outer | _env(job.get("env"), ("jobs", str(job_id)), "job")
        for index, step in enumerate(job["steps"]):
            script = step.get("run") if isinstance(step, dict) else None
            commands = subcommands(script) if isinstance(script, str) else set()
            if not commands:
                continue
            loc: Loc = ("jobs", str(job_id), "steps", index)
            title = str(step.get("name") or step.get("id") or f"{job_id} step {index + 1}")
            yield Step(file, loc, title, commands, around | _env(step.get("env"), loc, "step"))


@dataclass(slots=True)
class Workflows:
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def check(root: Path, settings: Settings, named: Sequence[Named] = ()) -> Workflows:
    """Read every workflow; the warnings about the secrets passed to gitcron, placed. `named`:
    the variables the schedules name themselves (`named_variables` of each), already placed."""
    result = Workflows()
    folder = root / WORKFLOWS_DIR
    paths = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
    steps: list[Step] = []
    for path in paths:
        rel = f"{WORKFLOWS_DIR}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # GitHub reads it, or refuses it; its own checks say so
        result.files += 1
        doc = yamlio.read(rel, text)
        if not isinstance(doc.data, dict):
            first = (doc.problems or [Problem(rel, "the workflow is empty")])[0]
            result.problems.append(_unreadable(first))
            continue
        found = list(gitcron_steps(rel, doc.data))
        steps += found
        placed = list(_passed_problems(found, settings, {n.variable for n in named}))
        result.problems += yamlio.place(placed, text) if placed else []
    granted = list(_granted_problems(steps, settings))
    if granted:
        result.problems += yamlio.place(granted, _settings_text(root))
    result.problems += _named_problems(steps, settings, named)
    return result


def _unreadable(problem: Problem) -> Problem:
    return Problem(
        problem.file,
        f"gitcron cannot read this workflow, so the secrets it passes were not checked:"
        f" {problem.message}",
        hint=problem.hint,
        line=problem.line,
        col=problem.col,
        severity="warning",
        kind="target",
    )


def _granted_problems(steps: list[Step], settings: Settings) -> Iterator[Problem]:
    """At gitcron.yaml: a granted variable that a delivering step does not receive."""
    for name, credential in settings.credentials.items():
        variable = credential.env
        for step in steps:
            if step.delivers and variable not in step.env:
                yield _warning(
                    SETTINGS_FILE,
                    ("credentials", name, "env"),
                    f"{variable} is granted here, but the step '{step.title}' of {step.file}"
                    f" does not pass it to gitcron, so deliveries using '{name}' fail there",
                    f"add `{variable}: ${{{{ secrets.{variable} }}}}` under env: of that step",
                )


def _named_problems(
    steps: list[Step], settings: Settings, named: Sequence[Named]
) -> Iterator[Problem]:
    """At the schedule: a variable it names itself that a delivering step does not receive (a
    granted one is said once, at gitcron.yaml, by `_granted_problems`)."""
    granted = {credential.env for credential in settings.credentials.values()}
    for use in named:
        if use.variable in granted:
            continue
        for step in steps:
            if step.delivers and use.variable not in step.env:
                yield Problem(
                    use.file,
                    f"{use.variable} is named here, but the step '{step.title}' of {step.file}"
                    " does not pass it to gitcron, so this delivery fails there",
                    use.loc,
                    f"add `{use.variable}: ${{{{ vars.{use.variable} }}}}` under env: of that step"
                    " (a repository variable; use secrets. for a secret)",
                    line=use.line,
                    col=use.col,
                    severity="warning",
                    kind="target",
                )


def _passed_problems(
    steps: list[Step], settings: Settings, named: AbstractSet[str] = frozenset()
) -> Iterator[Problem]:
    """At the workflow: secrets gitcron does not use, or passed wider than one step."""
    granted = {credential.env for credential in settings.credentials.values()}
    declared = granted | set(settings.reserved_variables()) | named
    said: set[Loc] = set()
    for step in steps:
        for variable, passed in step.env.items():
            if not passed.secret or passed.loc in said:
                continue
            said.add(passed.loc)
            if variable not in declared:
                yield _warning(
                    step.file,
                    passed.loc,
                    f"the secret {variable} is passed to gitcron here, but gitcron.yaml declares"
                    " no use of it",
                    "remove this line, or declare the variable in gitcron.yaml (a schedule's"
                    " secret is a credentials: entry, docs/grants.md)",
                )
            elif passed.level != "step":
                yield _warning(
                    step.file,
                    passed.loc,
                    f"the secret {variable} is given to every step of this {passed.level}, not"
                    " only to the one that runs gitcron",
                    f"move it under env: of the step '{step.title}'",
                )
            elif variable in granted and not step.delivers:
                yield _warning(
                    step.file,
                    passed.loc,
                    f"the step '{step.title}' delivers nothing, so it does not need {variable}",
                    "remove this line: pass a credential only to the step that runs gitcron"
                    " run, trigger, resend or backfill",
                )


def _warning(file: str, loc: Loc, message: str, hint: str) -> Problem:
    return Problem(file, message, loc, hint, severity="warning", kind="target", key=True)


def _settings_text(root: Path) -> str:
    try:
        return (root / SETTINGS_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
