"""Reading a whole repository: gitcron.yaml, then every schedule, collecting every problem.

A schedule the model refuses is still checked across its fields in the same round, with the
refused parts set aside (`gitcron.config.standins`).

Over 250 lines on purpose: the stages of one read (refuse by path, parse, model, stand-ins,
cross-checks, grants, anchors, workflows) share one file's bookkeeping and positions; split
apart, each would need that state handed to it.

The schedule model and the checks are imported when a schedule file is first checked: a tick
whose parse cache holds every file reads gitcron.yaml only, and never builds them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ValidationError

from gitcron.catalog import grant_checks, workflows
from gitcron.catalog.customers import CustomerRead, broken, is_customer_file, read_customer
from gitcron.catalog.entry import Entry as Entry  # where review, new and site take it
from gitcron.catalog.entry import no_gc_pauses
from gitcron.catalog.files import (
    SCHEDULES_DIR,
    SETTINGS_FILE,
    SUFFIX,
    customer_files,
    discover,
    not_regular,
    read_regular,
    refusal,
    refused_as,
    relative,
    schedule_id,
    select,
)
from gitcron.catalog.key_checks import key_problems
from gitcron.catalog.named_variables import Named, named_variables
from gitcron.catalog.workflows import Workflows
from gitcron.config import yamlio
from gitcron.config.customer import CustomerFile, inherit
from gitcron.config.phrases import problems_from
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings

if TYPE_CHECKING:
    from gitcron.catalog.anchor import FirstSeenOf
    from gitcron.config.problems import Loc
    from gitcron.config.standins import Aside, StandIn
    from gitcron.schedule import Schedule

_ID_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(slots=True)
class Catalog:
    root: Path
    settings: Settings
    settings_problems: list[Problem]
    entries: list[Entry]
    workflows: Workflows = field(default_factory=Workflows)  # read when the whole repo is

    @property
    def problems(self) -> list[Problem]:
        return [
            *self.settings_problems,
            *(p for e in self.entries for p in e.problems),
            *self.workflows.problems,
        ]

    @property
    def files(self) -> int:
        return len(self.entries) + 1 + self.workflows.files


def _read_text(path: Path, rel: str) -> tuple[str, list[Problem]]:
    try:
        raw = read_regular(path, yamlio.MAX_BYTES + 1, checked=True)  # after `refusal`
    except OSError as error:
        what = not_regular(error)
        if what is not None:  # swapped in after `refusal` looked, or gitcron.yaml itself
            return "", [_not_read(rel, *refused_as(rel, what))]
        return "", [Problem(rel, f"the file cannot be read: {error.strerror}", kind="syntax")]
    if len(raw) > yamlio.MAX_BYTES:
        return raw[: yamlio.MAX_BYTES].decode("utf-8", "replace"), [
            Problem(
                rel,
                f"the file is larger than {yamlio.MAX_BYTES // 1024} KiB",
                hint="a schedule file should be a few lines long",
                kind="syntax",
            )
        ]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", [
            Problem(
                rel,
                "the file is not UTF-8 text",
                hint="save it as UTF-8 in your editor",
                line=line,
                col=1,
                kind="syntax",
            )
        ]


def _not_read(rel: str, message: str, hint: str) -> Problem:
    return Problem(rel, message, hint=hint, kind="syntax")


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """gitcron.yaml as a model; with problems, the defaults stand in so schedules still load."""
    path = root / SETTINGS_FILE
    refused = refusal(root, path)
    if refused is not None:
        return Settings(), [_not_read(SETTINGS_FILE, *refused)]
    text, problems = _read_text(path, SETTINGS_FILE)
    if problems:
        return Settings(), problems
    doc = yamlio.read(SETTINGS_FILE, text)
    if doc.problems:
        return Settings(), doc.problems
    try:
        settings = Settings.model_validate(doc.data)
    except ValidationError as error:
        found = list(problems_from(error, SETTINGS_FILE, Settings))
        return Settings(), yamlio.place(found, text)
    found = grant_checks.settings_problems(settings)
    return (Settings(), yamlio.place(found, text)) if found else (settings, [])


def _path_problems(rel: str) -> list[Problem]:
    if not rel.endswith(SUFFIX):
        if rel.endswith(".yml"):
            return [
                Problem(
                    rel,
                    "this file is ignored: schedule files end in .yaml",
                    hint=f"rename it to {rel[:-4]}.yaml",
                    severity="warning",
                )
            ]
        return []
    parts = schedule_id(rel).split("/")
    if len(parts) < 2:
        return [
            Problem(
                rel,
                "a schedule file must be inside a customer folder",
                hint=f"move it to {SCHEDULES_DIR}/<customer>/{parts[0]}{SUFFIX}",
            )
        ]
    bad = [p for p in parts if not _ID_PART.match(p)]
    if bad:
        return [
            Problem(
                rel,
                f"'{bad[0]}' cannot be part of a schedule id",
                hint="rename it using letters, digits, '-', '_' or '.'",
            )
        ]
    return []


def load_entry(
    root: Path,
    path: Path,
    settings: Settings,
    now: datetime,
    settings_ok: bool = True,
    first_seen: FirstSeenOf | None = None,
    walked: bool = False,
    *,
    rehearse: bool = False,
    customers: dict[str, CustomerRead] | None = None,
) -> Entry | None:
    """One schedule file, fully checked; None for files that are not schedules at all.
    `walked`: `path` came from `discover`, so no folder on its way is a link. `rehearse`: its
    templates are rendered for its next runs too (`catalog.rehearsal`), as validate does.
    `customers`: the customer files already read by this pass over the repository, by folder
    (a folder's schedules share one read)."""
    rel = relative(root, path)
    if is_customer_file(rel):  # not a schedule: its problems, if any, under its own name
        customer = read_customer(root, rel.split("/")[1])
        return (
            Entry(schedule_id(rel), rel, problems=customer.problems) if customer.problems else None
        )
    refused = refusal(root, path, walked)
    if refused is not None:  # a link, a pipe, a device: refused by its path, never opened
        return Entry(schedule_id(rel), rel, problems=[_not_read(rel, *refused)])
    problems = _path_problems(rel)
    entry = Entry(schedule_id(rel), rel, problems=problems)
    if not rel.endswith(SUFFIX):
        return entry if problems else None
    if problems:
        return entry
    entry.text, entry.problems = _read_text(path, rel)
    if entry.problems:
        return entry
    known = customers.get(entry.customer) if customers is not None else None
    customer = known or read_customer(root, entry.customer)
    if customers is not None:
        customers[entry.customer] = customer
    if not customer.ok:
        entry.problems = [broken(customer, rel)]
        return entry
    rehearsed = root if rehearse else None  # sample rows of a `file:` dataset are read there
    return check_entry(
        entry, settings, now, settings_ok, first_seen, customer.model, rehearse=rehearsed
    )


def check_entry(
    entry: Entry,
    settings: Settings,
    now: datetime,
    settings_ok: bool = True,
    first_seen: FirstSeenOf | None = None,
    customer: CustomerFile | None = None,
    *,
    rehearse: Path | None = None,
) -> Entry:
    """Parse and check `entry.text`, filling in its schedule and problems (`checks.check`);
    `customer` is its folder's customer file, whose defaults it inherits; `rehearse`: the
    repository, to rehearse the schedule's templates in (`catalog.rehearsal`)."""
    entry.problems = _check_text(entry, settings, now, settings_ok, first_seen, customer, rehearse)
    return entry


def _check_text(
    entry: Entry,
    settings: Settings,
    now: datetime,
    settings_ok: bool,
    first_seen: FirstSeenOf | None,
    customer: CustomerFile | None,
    rehearse: Path | None,
) -> list[Problem]:
    checks = _checking()
    found = checks.scan(entry.file, entry.text)
    doc = yamlio.read(entry.file, entry.text)
    if doc.problems:
        return found + doc.problems
    data = inherit(doc.data, customer) if customer and isinstance(doc.data, dict) else doc.data
    try:
        schedule = checks.schedule.model_validate(data)
        if customer is not None:  # a copy, only for a folder with a customer file
            schedule = schedule.with_customer(customer)
    except ValidationError as error:
        found += problems_from(error, entry.file, checks.schedule)
        aside = checks.set_aside(checks.schedule, data, error, checks.stand_ins)
        if aside is not None:  # one round: the rest of the file is checked too
            model, places = aside
            sid = entry.id
            later = checks.check(
                entry.file, sid, model, settings, now, settings_ok, first_seen, rehearse
            )
            found += places.keep(later)
    else:
        found += checks.check(
            entry.file, entry.id, schedule, settings, now, settings_ok, first_seen, rehearse
        )
        entry.schedule = schedule
    return _dedupe(yamlio.place(found, entry.text)) if found else found


class _Checking(NamedTuple):
    """What checking a schedule file takes, imported when the first one is checked."""

    scan: Callable[[str, str], list[Problem]]
    schedule: type[Schedule]
    set_aside: Callable[..., tuple[Schedule, Aside] | None]
    stand_ins: Mapping[Loc, StandIn]
    check: Callable[..., Iterable[Problem]]


@functools.cache
def _checking() -> _Checking:
    """Imported once, not per file: three import statements cost as much as a small check."""
    from gitcron.catalog import checks, secrets
    from gitcron.config.standins import SCHEDULE_STAND_INS, set_aside
    from gitcron.schedule import Schedule

    return _Checking(secrets.scan, Schedule, set_aside, SCHEDULE_STAND_INS, checks.check)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """The raw-text scan and a field check may both catch one pasted secret; say it once."""
    secret_lines = {p.line for p in problems if p.kind == "secret" and not p.loc}
    return [p for p in problems if not (p.kind == "secret" and p.loc and p.line in secret_lines)]


def load(
    root: Path,
    now: datetime,
    paths: Sequence[str] = (),
    problems_only: bool = False,
    rehearse: bool = True,
) -> Catalog:
    """The repo's settings and schedules (all, or those in `paths`); `problems_only` keeps no
    models or texts, so checking 100k files does not hold them all in memory at once. The whole
    repo's check reads the workflows too, for the secrets they pass, against what gitcron.yaml
    grants and the variables the valid schedules name themselves (catalog/workflows.py).
    `rehearse`: every template is rendered for its schedule's next runs (`catalog.rehearsal`);
    the tick does not, as a run that fails records its own error."""
    from gitcron.catalog.anchor import FirstSeen
    from gitcron.catalog.archive_target import archive_problems  # storage's rule: not the tick's

    settings, settings_problems = load_settings(root)
    files = select(root, paths) if paths else [*discover(root), *customer_files(root)]
    ok = not settings_problems
    first_seen = FirstSeen(root, now, settings.tick)  # an `every:` counts from where ticks do
    entries = []
    customers: dict[str, CustomerRead] = {}
    whole = not paths and ok  # then the workflows are checked, against what schedules name too
    named: list[Named] = []
    with no_gc_pauses():
        for path in files:
            entry = load_entry(
                root,
                path,
                settings,
                now,
                ok,
                first_seen,
                walked=not paths,
                rehearse=rehearse,
                customers=customers,
            )
            if entry is not None:
                entry.problems += key_problems(root, entry.file, entry.schedule, entry.text, now)
                if whole and entry.schedule is not None and entry.ok:
                    named += named_variables(entry.file, entry.schedule, entry.text)
                if problems_only:
                    entry.schedule, entry.text = None, ""
                entries.append(entry)
    if ok:  # where history archives go: refused here as `gitcron history-archive` would
        settings_problems = archive_problems(root, settings)
    catalog = Catalog(root, settings, settings_problems, entries)
    if whole:  # the secrets the workflows pass, against what gitcron.yaml and schedules declare
        catalog.workflows = workflows.check(root, settings, named)
    return catalog
