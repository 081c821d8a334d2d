"""`gitcron doctor`: what the first real tick needs, checked before it runs, each with its fix.

A fresh repository fails its first tick on GitHub for reasons no pull request shows: a secret
that is not stored or not passed to the step that delivers, code owners that do not guard the
files grants live in, a branch the bot cannot push, a parse cache that is not kept. Each check
here yields findings; a problem fails the doctor (exit 1), a warning is only said. Variables are
named, never shown. The checks that ask git, the cache and the network are in doctor_repo.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitcron.catalog.named_variables import Named
from gitcron.catalog.workflows import WORKFLOWS_DIR, Step, gitcron_steps
from gitcron.config import yamlio
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings

CODEOWNERS_PLACES = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")  # GitHub's order
GUARDED = ("gitcron.yaml", ".github/workflows/tick.yml", ".github/CODEOWNERS")
PLACEHOLDER = "@your-org/"


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's outcome: `ok`, or what is wrong and how to fix it."""

    check: str  # variables, codeowners, push, cache, reach
    ok: bool
    message: str
    fix: str | None = None
    warning: bool = False  # said, but does not fail the doctor


def variables(
    root: Path, settings: Settings, env: Mapping[str, str], named: Sequence[Named] = ()
) -> Iterator[Finding]:
    """Every variable gitcron.yaml or a schedule uses is set here and passed to each step that
    needs it; `named`: the variables schedules name themselves (`known_hosts_env:`)."""
    used = {
        c.env: f"a credential (credentials.{name} in gitcron.yaml)"
        for name, c in settings.credentials.items()
    }
    for name, what in settings.reserved_variables().items():
        used.setdefault(name, what)
    secrets = set(used)  # a schedule's own variable (a host key) need not be a secret
    for use in named:
        used.setdefault(use.variable, f"named by {use.place} ({use.where})")
    heartbeat = settings.liveness.heartbeat_url_env
    steps = list(_steps(root))
    for name in sorted(used):
        kind = "secret" if name in secrets else "variable"
        if env.get(name, "").strip():
            yield Finding("variables", True, f"{name} is set: {used[name]}")
        else:
            yield Finding(
                "variables",
                False,
                f"{name} is not set here: {used[name]}",
                f"store it as a repository {kind} named {name} (Settings > Secrets and variables"
                f" > Actions) and pass it to the step that runs doctor; locally, export {name}",
            )
        yield from _passed(name, heartbeat, steps, "secrets" if name in secrets else "vars")


def _passed(
    name: str, heartbeat: str | None, steps: list[_Step], source: str = "secrets"
) -> Iterator[Finding]:
    """Each step that delivers receives `name`; the heartbeat, one step of each such workflow
    (the one that commits pings it). `source`: the context a workflow reads it from."""
    for file in sorted({s.file for s in steps if s.delivers}):
        mine = [s for s in steps if s.file == file]
        if name == heartbeat:
            if not any(name in s.env for s in mine):
                yield Finding(
                    "variables",
                    False,
                    f"{file}: no step passes {name}, so the heartbeat is never pinged",
                    f"add `{name}: ${{{{ secrets.{name} }}}}` under env: of the step that"
                    " commits state/ (docs/gitops.md, step 6)",
                )
            continue
        for step in mine:
            if step.delivers and name not in step.env:
                yield Finding(
                    "variables",
                    False,
                    f"{file}:{step.loc_line}: the step '{step.title}' delivers without {name}",
                    f"add `{name}: ${{{{ {source}.{name} }}}}` under env: of that step"
                    " (docs/grants.md)",
                )


@dataclass(frozen=True, slots=True)
class _Step:
    """A workflow step that runs gitcron, and the line it starts at."""

    file: str
    title: str
    env: frozenset[str]
    delivers: bool
    loc_line: int


def _steps(root: Path) -> Iterator[_Step]:
    folder = root / WORKFLOWS_DIR
    if not folder.is_dir():
        return
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        rel = f"{WORKFLOWS_DIR}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        doc = yamlio.read(rel, text)
        if not isinstance(doc.data, dict):
            continue
        found: list[Step] = list(gitcron_steps(rel, doc.data))
        placed = yamlio.place([Problem(rel, "", s.loc) for s in found], text) if found else []
        for step, where in zip(found, placed, strict=True):
            yield _Step(rel, step.title, frozenset(step.env), step.delivers, where.line)


def codeowners(root: Path) -> Iterator[Finding]:
    """gitcron.yaml and .github/ have code owners: what makes a grant an engineer's to approve."""
    place = next((p for p in CODEOWNERS_PLACES if (root / p).is_file()), None)
    if place is None:
        yield Finding(
            "codeowners",
            False,
            "there is no CODEOWNERS file, so anyone who may approve a schedule may approve a"
            " change to gitcron.yaml or the workflows",
            "add .github/CODEOWNERS giving /gitcron.yaml and /.github/ to your engineers"
            " (docs/gitops.md, 'Who reviews what')",
        )
        return
    rules = list(_rules((root / place).read_text(encoding="utf-8", errors="replace")))
    placeholders: set[int] = set()
    for path in GUARDED:
        matched = [r for r in rules if r.pattern.search(path)]
        if not matched or not matched[-1].owners:
            yield Finding(
                "codeowners",
                False,
                f"{place} gives {path} no code owner",
                f"add a line `/{path.split('/')[0]}{'/' if '/' in path else ''}"
                f" @your-org/engineering` (your engineers' team) after the general rules",
            )
            continue
        rule = matched[-1]
        owners = " ".join(rule.owners)
        yield Finding("codeowners", True, f"{path} is owned by {owners} ({place}:{rule.line})")
        if any(o.startswith(PLACEHOLDER) for o in rule.owners) and rule.line not in placeholders:
            placeholders.add(rule.line)
            yield Finding(
                "codeowners",
                False,
                f"{place}:{rule.line}: {owners} is the example's placeholder team",
                "replace it with your organisation's team, then require code-owner review in"
                " the branch ruleset (docs/gitops.md, step 3)",
                warning=True,
            )


@dataclass(frozen=True, slots=True)
class _Rule:
    line: int
    pattern: re.Pattern[str]
    owners: tuple[str, ...]


def _rules(text: str) -> Iterator[_Rule]:
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split("#", 1)[0].split()
        if words:
            yield _Rule(number, owner_pattern(words[0]), tuple(words[1:]))


def owner_pattern(pattern: str) -> re.Pattern[str]:
    """A CODEOWNERS pattern (gitignore rules) as a regex over repository paths."""
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    body = ""
    for part in re.split(r"(\*\*/?|\*|\?)", pattern.strip("/")):
        if part.startswith("**"):
            body += "(?:.*/)?" if part.endswith("/") else ".*"
        elif part == "*":
            body += "[^/]*"
        elif part == "?":
            body += "[^/]"
        else:
            body += re.escape(part)
    # `docs/` holds everything below; `docs/*` only what is directly in docs/ (GitHub's rule)
    last = pattern.rstrip("/").rpartition("/")[2]
    tail = "/.*" if pattern.endswith("/") else "" if "*" in last else "(?:/.*)?"
    return re.compile(("^" if anchored else "^(?:.*/)?") + body + tail + "$")
