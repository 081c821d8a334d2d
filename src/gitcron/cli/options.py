"""The options more than one command takes, defined once: the same name, help and default.

Importing this module stays cheap (click and the standard library): `gitcron --help` loads it.

`Env` is what `--repo` and `--at` make of the command line: every command receives it. Both
options are the group's (`gitcron --repo R --at T next ID`) and, through `repo_and_at`,
each command's too (`gitcron next ID --at T`), the later one winning.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click

from gitcron.errors import UsageError

FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)


class Env:
    """What every command gets: the repo (found on first use) and the instant taken as now.

    A plain class, not a dataclass: the dataclasses module costs `gitcron --help` a tenth of
    its time."""

    def __init__(self, repo: Path | None, at: str | None, at_source: str = "--at") -> None:
        self.repo = repo
        self.at = at
        self.at_source = at_source  # or GITCRON_NOW, named in the error when the instant is wrong

    @cached_property
    def root(self) -> Path:
        from gitcron.catalog.files import find_root  # `gitcron --help` reads no repository

        return find_root(self.repo or Path.cwd())

    @cached_property
    def now(self) -> datetime:
        from gitcron import clock

        return clock.parse_instant(self.at, self.at_source) if self.at else clock.now(None)


_FOLDER = click.Path(file_okay=False, path_type=Path)

repo = click.option(
    "--repo",
    type=_FOLDER,
    help="The repository (default: the nearest folder up holding gitcron.yaml).",
)
at = click.option(
    "--at",
    envvar="GITCRON_NOW",
    metavar="ISO",
    help="Take this instant as now (also GITCRON_NOW), e.g. 2026-11-23T09:00:00Z.",
)


def repo_and_at(command: click.Command, at: bool = True) -> click.Command:
    """Accept --repo and --at after the command name too: `gitcron next ID --at ISO`."""
    command.params.append(click.Option(["--repo", "repo_"], type=_FOLDER, help="The repository."))
    if at:
        command.params.append(click.Option(["--at", "at_"], metavar="ISO", help="Take as now."))
    callback = command.callback
    assert callback is not None

    @functools.wraps(callback)
    def run(*args: Any, repo_: Path | None, at_: str | None = None, **kwargs: Any) -> Any:
        env = click.get_current_context().find_object(Env)
        if env is not None and repo_ is not None:
            env.repo = repo_
        if env is not None and at_ is not None:
            env.at, env.at_source = at_, "--at"
        return callback(*args, **kwargs)

    command.callback = run
    return command


def only(verb: str) -> Callable[[FC], FC]:
    """`--only ID` (repeatable): `plan` plans, `run` runs, only these schedules."""
    return click.option(
        "--only",
        "only",
        multiple=True,
        metavar="ID",
        help=f"{verb} only these schedules: an id (acme/weekly), a customer (acme) or a glob"
        " (acme-*/daily-*); repeatable.",
    )


_GLOB = frozenset("*?[")
_ID_HINT = "ids are paths under schedules/ without .yaml, e.g. acme-corp/weekly-products"


def repo_ids(root: Path) -> list[str]:
    """Every schedule id of the repo, valid or not (a broken file is still a schedule to name)."""
    from gitcron.catalog.files import SCHEDULES_DIR, SUFFIX, discover, schedule_id

    base = root / SCHEDULES_DIR
    return [
        schedule_id(p.relative_to(base).as_posix())
        for p in discover(root)
        if p.name.endswith(SUFFIX)
    ]


def unknown_id(given: str, known: list[str], what: str = "schedule") -> UsageError:
    """The usage error for an id (or pattern) nothing matches, with the closest as a suggestion."""
    import difflib

    customers = sorted({sid.split("/", 1)[0] for sid in known})
    choices = [*known, *customers] if what != "schedule" else known
    close = difflib.get_close_matches(given, choices, n=3, cutoff=0.75)
    best = [difflib.SequenceMatcher(None, given, c).ratio() for c in close[:1]]
    close = [c for c in close if difflib.SequenceMatcher(None, given, c).ratio() in best]
    return UsageError(
        f"there is no {what} '{given}' in this repository",
        f"did you mean {' or '.join(close)}?" if close else _ID_HINT,
    )


def known_id(root: Path, given: str) -> str:
    """A schedule id as the commands take it (a path works too), or a usage error saying
    which ids are close: a typo never runs nothing quietly."""
    from gitcron.catalog.files import schedule_id, schedule_path

    sid = schedule_id(given)
    if schedule_path(root, sid).is_file():
        return sid
    error = unknown_id(sid, repo_ids(root))
    looked = schedule_path(root, sid).relative_to(root).as_posix() if "/" in sid else None
    if looked is not None:
        error.message = f"there is no schedule '{sid}' (looked for {looked})"
    raise error


def chosen(root: Path, patterns: tuple[str, ...]) -> tuple[str, ...]:
    """`--only` values as schedule ids, in the order given: an id stays itself, a customer
    stands for its schedules, a glob (`customer-00*/daily-*`) for those it matches. A value
    that matches nothing is a usage error with a suggestion."""
    if not patterns:
        return ()
    from fnmatch import fnmatchcase

    from gitcron.catalog.files import schedule_id

    known = repo_ids(root)
    found: dict[str, None] = {}
    for given in patterns:
        pattern = schedule_id(given)
        if _GLOB & set(pattern):
            matched = [sid for sid in known if fnmatchcase(sid, pattern)]
            matched = matched or [s for s in known if fnmatchcase(s.split("/", 1)[0], pattern)]
        elif pattern in known:
            matched = [pattern]
        else:
            matched = [sid for sid in known if sid.split("/", 1)[0] == pattern]
        if not matched:
            raise unknown_id(pattern, known, "schedule, customer or match for")
        found.update(dict.fromkeys(matched))
    return tuple(found)


text_or_json = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")

dry_run = click.option(
    "--dry-run", is_flag=True, help="Render into the outbox; deliver nothing, write no state."
)
outbox = click.option(
    "--outbox",
    type=_FOLDER,
    help="Write every delivery into this folder instead of sending it.",
)


def writable_outbox(root: Path, folder: Path | None) -> Path | None:
    """`--outbox DIR` (relative to the repository), made and tried before the tick: a folder
    that cannot be written is the command line's mistake, not every delivery's failure."""
    if folder is None:
        return None
    import tempfile

    place = root / folder
    try:
        place.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=place):
            pass
    except OSError as error:
        raise UsageError(
            f"--outbox {folder}: gitcron cannot write there ({error.strerror or error})",
            "give a folder you can write to, e.g. --outbox outbox (inside the repository)",
        ) from None
    return folder


commit = click.option(
    "--commit/--no-commit",
    default=False,
    help="Commit state/ afterwards (one commit, only state/).",
)
push = click.option(
    "--push", is_flag=True, help="Push that commit to the branch's upstream (implies --commit)."
)
