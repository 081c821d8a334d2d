"""The parse cache: a tick plans every schedule, but re-parses only the files whose content changed.

Each schedule file is keyed by its git blob hash (from the index for files unchanged since it, else
computed from the content as git does: catalog/git_keys.py, which the quiet record's key shares),
so a fresh checkout in CI reuses a cache restored from an earlier run. A change to gitcron.yaml
or to gitcron's code discards the whole cache.

The file also keeps gitcron.yaml's model when it loaded without problems: it is keyed by the same
digest of gitcron.yaml's bytes, so a warm tick neither parses nor validates the settings again.
The views are pickled by `catalog.pickled`, which a warm tick restores several times faster.
Customer files are kept too, as their problems (none when fine) by the digest of their bytes,
and what the holiday calendars the schedules skip answer around the day of writing, so a warm
tick never imports the holidays package for them (timing/kept_holidays.py). What reads and checks
a file (`catalog.load`: the schedule model, the checks, the YAML reader) and the worker pool are
imported on the first miss, so a warm tick restores everything without them.

Over 250 lines: the keys (customer digests, how a schedule's key covers its customer file) and
the file that keeps them change together, and split apart each half would need the other's
private details.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gitcron import __version__
from gitcron.catalog import pickled
from gitcron.catalog.build import closed_days_of
from gitcron.catalog.code_digest import installed_digest
from gitcron.catalog.customers import customer_digest, is_customer_file
from gitcron.catalog.entry import Entry, no_gc_pauses
from gitcron.catalog.files import (
    CACHE_DIR,
    SETTINGS_FILE,
    SUFFIX,
    read_regular,
    schedule_id,
    walk_names,
)
from gitcron.catalog.git_keys import GitKeys, blob_key
from gitcron.catalog.view import ScheduleView, view_of
from gitcron.config.problems import Problem
from gitcron.config.settings import Settings
from gitcron.files import replacing
from gitcron.timing.kept_holidays import KeptHolidays, kept_from_package
from gitcron.timing.kept_holidays import keep as keep_holidays

CACHE_FILE = "views-v1.pickle"
FORMAT = 4  # bump when the layout of the file or of ScheduleView changes
PARALLEL_FROM = 2_000  # fewer misses are parsed in this process: starting workers costs more
MAX_WORKERS = 8

Cached = ScheduleView | list[Problem]  # a valid file's view, or an invalid file's problems
Table = dict[str, tuple[str, Cached]]  # path -> (blob key, what loading it gave)


@dataclass(slots=True)
class Stats:
    files: int = 0  # every file under schedules/
    parsed: int = 0  # schedule files read and checked on this call
    from_cache: int = 0  # schedule files taken from the cache unread


@dataclass(slots=True)
class Views:
    """What a tick plans from: every valid schedule's view, and the files it must skip."""

    settings: Settings
    settings_problems: list[Problem]
    views: list[ScheduleView]  # sorted by id
    invalid: list[Entry]  # id, file and problems only: no model, no text
    stats: Stats = field(default_factory=Stats)


def load_views(root: Path, now: datetime, cache_dir: Path | None = None) -> Views:
    """The planner's input for the whole repo, parsing only files missing from the cache."""
    header = (FORMAT, __version__, installed_digest(), _settings_digest(root))
    path = (cache_dir or root / CACHE_DIR) / CACHE_FILE
    with GitKeys(root) as git, no_gc_pauses():  # git works on its own core meanwhile
        old, kept, holidays = _read(path, header)
        holidays_fresh = keep_holidays(holidays, now.year)  # answered from the cache from now
        settings, settings_problems = (kept, []) if kept is not None else _load_settings(root)
        result = Views(settings, settings_problems, [], [])
        ok = not settings_problems
        schedules, customer_names = walk_names(root)
        known = git.keys()
        table: Table = {}
        misses: dict[str, tuple[str, Path]] = {}
        customers = _no_customer_file(schedules, customer_names)  # customer -> digest, once
        for rel in customer_names:  # their problems are cached by their digest: a warm tick
            _customer_file(root, rel, old, table, customers, (settings, now, ok))
        reused = 0  # neither reads a customer file's YAML nor checks it
        for rel in schedules:
            if not rel.endswith(SUFFIX):  # not a schedule: not cached
                entry = _load_entry(root, root / rel, settings, now, ok)
                if entry is not None:
                    result.invalid.append(entry)
                continue
            content = known.get(rel) or blob_key(root / rel)
            key = _with_customer(root, rel, content, customers)
            hit = old.get(rel)
            if hit is not None and hit[0] == key:
                table[rel] = hit
                reused += 1
            else:
                misses[rel] = (key, root / rel)
        result.stats.files = len(schedules) + len(customer_names)
        result.stats.from_cache, result.stats.parsed = reused, len(misses)
        parsed = _parse_all([file for _, file in misses.values()], (root, settings, now, ok))
        for (rel, (key, _)), value in zip(misses.items(), parsed, strict=True):
            table[rel] = (key, value)
        _collect(result, table)
    keep = settings if ok and header[-1] else None  # settings loaded from a readable file
    changed = len(table) != len(old) or any(hit is not old.get(rel) for rel, hit in table.items())
    refresh = not holidays_fresh or (kept is None) != (keep is None)
    if changed or (table and refresh):  # no schedules: no cache file
        _write(path, header, table, keep, _kept_holidays(result.views, settings, now))
    return result


def _no_customer_file(schedules: list[str], customer_names: list[str]) -> dict[str, str]:
    """Customer -> digest ("": none) of each folder the walk found no customer file in: the
    digests `_customer_digest` keeps then need no look at the disk for these."""
    with_file = {rel.split("/")[1] for rel in customer_names}
    folders = {schedule_id(rel).split("/", 1)[0] for rel in schedules}
    return dict.fromkeys(folders - with_file, "")


def _customer_file(
    root: Path,
    rel: str,
    old: Table,
    table: Table,
    digests: dict[str, str],
    context: tuple[Settings, datetime, bool],
) -> None:
    """A customer file's problems (none when it is fine) into `table`, from `old` when its digest
    is unchanged, else checked as validate checks it."""
    key = _customer_digest(root, rel.split("/")[1], digests)
    hit = old.get(rel)
    if hit is not None and hit[0] == key and _is_digest(key):
        table[rel] = hit
        return
    entry = _load_entry(root, root / rel, *context)
    table[rel] = (key, entry.problems if entry is not None else [])


def _collect(result: Views, table: Table) -> None:
    """Views and invalid files into `result`; drop from `table` what must not be cached."""
    for rel, (key, value) in sorted(table.items()):
        if isinstance(value, ScheduleView):
            result.views.append(value)
            continue
        if is_customer_file(rel):  # a customer file: reported only with problems
            if value:
                result.invalid.append(Entry(schedule_id(rel), rel, problems=list(value)))
            if not _is_digest(key):  # unreadable or refused: read again next time
                del table[rel]
            continue
        result.invalid.append(Entry(schedule_id(rel), rel, problems=list(value)))
        if not _timeless(value) or not key:  # no key: not a file that was read
            del table[rel]
    result.views.sort(key=lambda view: view.id)
    result.invalid.sort(key=lambda entry: entry.file)


Context = tuple[Path, Settings, datetime, bool]  # root, settings, now, settings_ok


def _parse_all(files: list[Path], context: Context) -> list[Cached]:
    """Misses in file order; many of them (a cold cache) are spread over every core."""
    parse = functools.partial(_parse, context)
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(files) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        _build_models()  # once here, not once in each worker
        chunk = -(-len(files) // (workers * 8))
        with contextlib.suppress(OSError, BrokenProcessPool), ProcessPoolExecutor(workers) as pool:
            return list(pool.map(parse, files, chunksize=chunk))
    return [parse(file) for file in files]


def _build_models() -> None:
    """Build the validators of the models a parse uses, which are built on first use
    (`config.base.Strict`): workers forked after this inherit them instead of each building."""
    from gitcron.config.customer import CustomerFile
    from gitcron.schedule import Schedule

    for model in (Schedule, CustomerFile):
        model.model_rebuild()


def _parse(context: Context, file: Path) -> Cached:
    root, settings, now, ok = context
    entry = _load_entry(root, file, settings, now, ok)
    assert entry is not None  # only files ending in .yaml come here, and those always load
    if entry.ok and entry.schedule is not None:
        return view_of(entry.id, entry.file, entry.schedule, settings)
    return entry.problems


def _load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """gitcron.yaml read and checked: only when the cache does not hold its checked model."""
    from gitcron.catalog.load import load_settings

    return load_settings(root)


def _load_entry(
    root: Path, path: Path, settings: Settings, now: datetime, ok: bool
) -> Entry | None:
    """One file under schedules/ read and checked (`catalog.load`): the schedule model, the
    checks and the YAML reader are imported here, on the first miss, never by a warm tick."""
    from gitcron.catalog.load import load_entry

    return load_entry(root, path, settings, now, ok, walked=True)


def _with_customer(root: Path, rel: str, key: str, digests: dict[str, str]) -> str:
    """A schedule's key covers its customer file too: what it inherits changes its view.
    `digests` keeps each customer's digest for the rest of one load (ten schedules a customer
    need one look at its file, not ten)."""
    if not key:
        return key
    digest = _customer_digest(root, schedule_id(rel).split("/", 1)[0], digests)
    return f"{key}+{digest}" if digest else key


def _customer_digest(root: Path, customer: str, digests: dict[str, str]) -> str:
    """`customer_digest`, looked up once a load: `digests` keeps each customer's."""
    digest = digests.get(customer)
    if digest is None:
        digest = digests[customer] = customer_digest(root, customer)
    return digest


def _is_digest(key: str) -> bool:
    """A digest of bytes read (not "" for no file, nor "x" for one that could not be read)."""
    return len(key) == 40


def _timeless(problems: list[Problem]) -> bool:
    """Some timing warnings depend on `now` (a past `once`, an ended window): never cache those."""
    return not any(p.severity == "warning" and p.kind == "timing" for p in problems)


def _settings_digest(root: Path) -> str:
    """gitcron.yaml's digest, read as load_settings reads it: never through a link or a pipe."""
    try:
        return hashlib.sha1(read_regular(root / SETTINGS_FILE)).hexdigest()
    except OSError:
        return ""


def _read(
    path: Path, header: tuple[object, ...]
) -> tuple[Table, Settings | None, list[KeptHolidays]]:
    """The cached table, settings and holiday answers, or nothing when the file is missing,
    stale, foreign or damaged."""
    try:
        with open(path, "rb") as file:
            found = pickle.load(file)
        if found[0] == header and isinstance(found[1], dict) and isinstance(found[3], list):
            table: Table = found[1]
            settings = found[2] if isinstance(found[2], Settings) else None
            holidays = [one for one in found[3] if isinstance(one, KeptHolidays)]
            return table, settings, holidays
    except Exception:  # whatever is wrong with a cache file, the answer is to rebuild it
        pass
    return {}, None, []


def _kept_holidays(
    views: list[ScheduleView], settings: Settings, now: datetime
) -> list[KeptHolidays]:
    """What the holiday calendars the views skip answer around `now`: kept, a tick that plans
    from the cache need not import the holidays package (timing/kept_holidays.py)."""
    skips = {view.skip for view in views if view.skip}
    try:
        return kept_from_package((closed_days_of(skip, settings) for skip in skips), now.year)
    except Exception:  # keeping nothing is only slower, never wrong
        return []


def _write(
    path: Path,
    header: tuple[object, ...],
    table: Table,
    settings: Settings | None,
    holidays: list[KeptHolidays],
) -> None:
    """Atomically, and never failing the caller: a cache that cannot be saved is only slower."""
    data = pickled.dumps((header, table, settings, holidays))
    with contextlib.suppress(OSError), replacing(path) as file:
        file.write(data)
