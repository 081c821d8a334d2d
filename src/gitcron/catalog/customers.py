"""Customer files: `schedules/<customer>/customer.yaml`, read once, checked like schedule files.

A customer file is not a schedule: discovery finds it beside the schedules, and the catalog reads
it here instead (its problems at file:line:col, as validate prints every problem) and hands the
model to each schedule of its folder, which inherits from it (`config.customer.inherit`). A
customer file with errors makes its folder's schedules invalid, naming it, and no other folder's.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gitcron.catalog.files import CUSTOMER_FILE, SCHEDULES_DIR, read_regular, refusal, relative
from gitcron.config.problems import Problem
from gitcron.files import MAX_YAML_BYTES

if TYPE_CHECKING:
    from gitcron.config.customer import CustomerFile


@dataclass(frozen=True, slots=True)
class CustomerRead:
    """One customer folder's file as read: its model, what is wrong with it, and its digest."""

    file: str  # schedules/<customer>/customer.yaml
    model: CustomerFile | None = None
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""  # of the bytes read; "" when there is no file

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


# by path and what lstat says of it (inode, size, change and modification times, in ns): one
# read a tick, however many schedules the folder has, and a new read whenever the file changes
_READ: dict[tuple[str, int, int, int, int], CustomerRead] = {}


def is_customer_file(rel: str) -> bool:
    """`schedules/<customer>/customer.yaml`: a customer's file, never a schedule."""
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == SCHEDULES_DIR and parts[2] == CUSTOMER_FILE


def customer_path(root: Path, customer: str) -> Path:
    return root / SCHEDULES_DIR / customer / CUSTOMER_FILE


def read_customer(root: Path, customer: str) -> CustomerRead:
    """The customer file of `customer`'s folder; an empty read when the folder has none.
    Every schedule asks for its folder's: the path is plain string work until the file is read."""
    rel = f"{SCHEDULES_DIR}/{customer}/{CUSTOMER_FILE}"
    where = f"{root}{os.sep}{SCHEDULES_DIR}{os.sep}{customer}{os.sep}{CUSTOMER_FILE}"
    try:
        info = os.lstat(where)
    except OSError:
        return CustomerRead(rel)
    key = (where, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    found = _READ.get(key)
    if found is None:
        path = customer_path(root, customer)
        found = _read(root, path, relative(root, path))
        if len(_READ) > 10_000:
            _READ.clear()
        _READ[key] = found
    return found


def customer_digest(root: Path, customer: str) -> str:
    """The digest `read_customer` would give, from the bytes alone: the parse cache keys on it,
    and a warm tick need not check a customer file whose checked result it kept."""
    path = customer_path(root, customer)
    if not os.path.lexists(path):
        return ""
    found = _bytes(root, path, relative(root, path))
    return found.digest if isinstance(found, CustomerRead) else hashlib.sha1(found).hexdigest()


def _bytes(root: Path, path: Path, rel: str) -> bytes | CustomerRead:
    """The file's bytes, or the read of a file that cannot be read (digest "x": never cached)."""
    refused = refusal(root, path)
    if refused is not None:
        return CustomerRead(rel, problems=[Problem(rel, refused[0], hint=refused[1])], digest="x")
    try:
        return read_regular(path, MAX_YAML_BYTES + 1, checked=True)
    except OSError as error:
        problem = Problem(rel, f"the file cannot be read: {error.strerror or error}", kind="syntax")
        return CustomerRead(rel, problems=[problem], digest="x")


def _read(root: Path, path: Path, rel: str) -> CustomerRead:
    from pydantic import ValidationError  # what checks a file: a warm tick only hashes it

    from gitcron.catalog import secrets
    from gitcron.config import yamlio
    from gitcron.config.customer import CustomerFile
    from gitcron.config.phrases import problems_from

    raw = _bytes(root, path, rel)
    if isinstance(raw, CustomerRead):
        return raw
    digest = hashlib.sha1(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = Problem(rel, "the file is not UTF-8 text", hint="save it as UTF-8 in your editor")
        return CustomerRead(rel, problems=[problem], digest=digest)
    found = secrets.scan(rel, text)
    doc = yamlio.read(rel, text)
    if doc.problems:
        return CustomerRead(rel, problems=found + doc.problems, digest=digest)
    try:
        model = CustomerFile.model_validate(doc.data)
    except ValidationError as error:
        found += yamlio.place(list(problems_from(error, rel, CustomerFile)), text)
        return CustomerRead(rel, problems=found, digest=digest)
    return CustomerRead(rel, model if not found else None, found, digest)


def broken(customer: CustomerRead, schedule_file: str) -> Problem:
    """The problem a schedule gets when its customer file has errors."""
    return Problem(
        schedule_file,
        f"its customer file {customer.file} has errors, so this schedule cannot be read as the"
        " customer's",
        hint=f"fix {customer.file} (validate lists its errors)",
    )
