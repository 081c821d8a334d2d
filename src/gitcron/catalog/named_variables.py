"""The environment variables a schedule names itself, in its `*_env` fields.

Most secrets a schedule uses are credentials of gitcron.yaml, which engineers declare once. A few
fields name a variable directly: `known_hosts_env:` of an sftp delivery (a host key is public, so
it is no credential), and the older `secret_env:`, `token_env:`, `password_env:` and `key_env:`
(whose variable gitcron.yaml must grant all the same). The tick fails on each delivery whose
variable its workflow step does not pass, so `gitcron doctor` and validate's workflow check
(catalog/workflows.py) need every one of them, wherever it is written. The walk goes over the
whole model rather than a list of fields, so a field added later is found too. Only a
schedule's own text writes such a key (a customer file gives none), so a text without `_env`
(nor an escape that could spell one) is not walked: validate asks this of every schedule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from gitcron.config import yamlio
from gitcron.config.problems import Loc, Problem

SUFFIX = "_env"


@dataclass(frozen=True, slots=True)
class Named:
    """One variable a schedule names: `ACME_SFTP_KNOWN_HOSTS` at delivery 2's known_hosts_env."""

    variable: str
    file: str
    loc: Loc
    where: str  # as people read it: `delivery 2, sftp.known_hosts_env`
    line: int = 0
    col: int = 0

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def named_variables(file: str, schedule: BaseModel, text: str = "") -> list[Named]:
    """Every `*_env` value of the schedule, placed at its line in `text` when given."""
    if text and SUFFIX not in text and "\\" not in text:
        return []  # the file names no `*_env` key (none spelt with escapes): nothing to walk
    found = [Problem(file, variable, loc) for loc, variable in _walk(schedule, ())]
    if text and found:
        found = yamlio.place(found, text)
    return [Named(p.message, file, p.loc, p.where, p.line, p.col) for p in found]


def _walk(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, BaseModel):
        for name, key, leaf in _fields(type(value)):
            inner = getattr(value, name)
            if inner is None:
                continue
            if leaf:
                if isinstance(inner, str):
                    yield (*loc, key), inner
            else:
                yield from _walk(inner, (*loc, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*loc, str(key)))


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, str, bool], ...]:
    """The fields of `model` worth reading: (name, key in the file, is a `*_env` field); a field
    whose type holds no `*_env` field anywhere is left out, so the walk stays cheap."""
    return tuple(
        (name, field.alias or name, name.endswith(SUFFIX))
        for name, field in model.model_fields.items()
        if name.endswith(SUFFIX) or any(_reaches(m, frozenset()) for m in _models(field.annotation))
    )


def _reaches(model: type[BaseModel], seen: frozenset[type[BaseModel]]) -> bool:
    if model in seen:
        return False
    inner = seen | {model}
    return any(
        name.endswith(SUFFIX) or any(_reaches(m, inner) for m in _models(field.annotation))
        for name, field in model.model_fields.items()
    )


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation holds: `list[Delivery] | None` gives Delivery."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)
