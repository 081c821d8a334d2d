"""Checking the rest of a file when part of it is wrong: what failed is set aside, neutrally.

A schedule's cross-field checks (`gitcron.catalog.checks`, `gitcron.catalog.job_checks`) need a
valid model, and pydantic gives none while any field fails: a file with `timezone: Paris` and an
unknown dataset showed the timezone, and the dataset only once the timezone was fixed. So that
one run of `validate` shows both, the model is built a second time from a copy of the document
in which every part that failed stands in neutrally:

- a key gitcron does not know, or one entry of a free mapping (`labels`, `params`), is left out;
- a field with a default takes its default (`timezone` -> the default zone, `deliver` -> []);
- a required field, or an item of a list, takes the stand-in its caller names, if any
  (`schedule:` -> a daily time, a delivery -> one to a folder of its own);
- another item of a list is left out (and the positions of the items after it are mapped back);
- otherwise the part around it stands in instead, up to the whole file (then no more checks).

The copy may fail where the first try did not (a rule over the whole model runs only once its
fields are valid), so this repeats a few times. The copy's own model errors are never shown:
they concern what stands in, or a rule over a part that no longer holds what was written. The
checks then run on the copy's model, and a problem they find is kept only when its place is
neither inside a part that stood in nor around one (nor inside a place the stand-in's caller
says reads it), since there it could be about the stand-in rather than the file. Kept problems
carry their places in the document as written, so each still gets its file:line:col.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gitcron.config.phrases import model_at
from gitcron.config.problems import Loc, Problem

M = TypeVar("M", bound=BaseModel)
ROUNDS = 6  # each round sets aside every error it sees; a rule a round uncovers is one level up


@dataclass(frozen=True, slots=True)
class StandIn:
    """A valid value for a required part, and the other places whose checks would judge it.

    Keyed by its place, with `*` for any position in a list; a `value` that is callable is
    called with the place, so that stand-ins for two items of one list differ."""

    value: Any
    reads: tuple[Loc, ...] = ()

    def at(self, place: Loc) -> Any:
        return self.value(place) if callable(self.value) else copy.deepcopy(self.value)


def _stand_in(stand_ins: Mapping[Loc, StandIn], place: Loc) -> StandIn | None:
    pattern = tuple("*" if isinstance(part, int) else part for part in place)
    return stand_ins.get(place) or stand_ins.get(pattern)


@dataclass(slots=True)
class Aside:
    """Where the parts that were set aside are in the document as written."""

    places: list[Loc] = field(default_factory=list)  # the parts that stood in or were left out
    reads: list[Loc] = field(default_factory=list)  # the places that would judge their stand-ins
    removed: dict[Loc, list[int]] = field(default_factory=dict)  # a list -> its items left out

    def keep(self, problems: Iterable[Problem]) -> Iterator[Problem]:
        """The problems not about what stands in, at their places in the document as written."""
        for problem in problems:
            loc = self.written(problem.loc)
            if not any(_related(loc, place) for place in (*self.places, *self.reads)):
                yield replace(problem, loc=loc)

    def written(self, loc: Loc) -> Loc:
        """A place in the copy, as a place in the document (list items left out move it on)."""
        out: list[str | int] = []
        for part in loc:
            if isinstance(part, int):
                for gone in sorted(self.removed.get(tuple(out), ())):
                    if gone <= part:
                        part += 1
            out.append(part)
        return tuple(out)


def set_aside(
    model: type[M], data: Any, error: ValidationError, stand_ins: Mapping[Loc, StandIn]
) -> tuple[M, Aside] | None:
    """`model` from `data` with what `error` (and each try after it) found set aside; None when a
    failing part has nothing neutral to stand in for it short of the whole document."""
    work = copy.deepcopy(data)
    aside = Aside()
    for _ in range(ROUNDS):
        actions: dict[Loc, tuple[Loc, Any]] = {}
        for detail in error.errors(include_url=False):
            found = _stand_in_for(model, work, tuple(detail["loc"]), stand_ins, aside)
            if found is None:
                return None
            where, written, value = found
            actions[where] = (written, value)
        _apply(work, actions, aside, stand_ins)
        try:
            return model.model_validate(work), aside
        except ValidationError as again:
            error = again
    return None


_LEAVE_OUT = object()


def _stand_in_for(
    model: type[BaseModel],
    work: Any,
    loc: Loc,
    stand_ins: Mapping[Loc, StandIn],
    aside: Aside,
) -> tuple[Loc, Loc, Any] | None:
    """The innermost part around `loc` that can stand in: its place in the copy, its place as
    written, and its stand-in (`_LEAVE_OUT` to leave it out)."""
    for depth in range(len(loc), 0, -1):
        where, parent, key = loc[:depth], _at(work, loc[: depth - 1]), loc[depth - 1]
        written = aside.written(where)
        if written in aside.places:  # its stand-in failed too: try the part around it
            continue
        stand_in = _stand_in(stand_ins, written)
        if isinstance(parent, list):
            if isinstance(key, int) and 0 <= key < len(parent):
                return where, written, stand_in.at(written) if stand_in else _LEAVE_OUT
            continue
        if not isinstance(parent, dict):
            continue
        owner = model_at(model, loc[: depth - 1])
        fields = {f.alias or n: f for n, f in owner.model_fields.items()} if owner else {}
        if key in parent:
            if key not in fields:  # an unknown key, or an entry of a free mapping
                return where, written, _LEAVE_OUT
            if not fields[key].is_required():
                return where, written, fields[key].get_default(call_default_factory=True)
        if stand_in is not None:
            return where, written, stand_in.at(written)
    return None


def _apply(
    work: Any,
    actions: dict[Loc, tuple[Loc, Any]],
    aside: Aside,
    stand_ins: Mapping[Loc, StandIn],
) -> None:
    """Set aside from the last place backwards, so that leaving out an item moves no place still
    to be used; a part inside another part that is set aside is skipped."""
    outer = [w for w in actions if not any(o != w and w[: len(o)] == o for o in actions)]
    for where in sorted(outer, key=_order, reverse=True):
        written, value = actions[where]
        parent, key = _at(work, where[:-1]), where[-1]
        aside.places.append(written)
        stand_in = _stand_in(stand_ins, written)
        aside.reads.extend(stand_in.reads if stand_in else ())
        if value is not _LEAVE_OUT:
            parent[key] = value
        elif isinstance(parent, list) and isinstance(key, int):
            del parent[key]
            aside.removed.setdefault(written[:-1], []).append(int(written[-1]))
        else:
            del parent[key]


def _order(loc: Loc) -> tuple[tuple[int, int, str], ...]:
    return tuple((1, p, "") if isinstance(p, int) else (0, 0, str(p)) for p in loc)


_MISSING = object()


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        inside = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (inside or (isinstance(data, dict) and part in data)):
            return _MISSING
        data = data[part]
    return data


def _related(loc: Loc, place: Loc) -> bool:
    """One is inside the other (or they are the same place)."""
    shorter = min(len(loc), len(place))
    return loc[:shorter] == place[:shorter]


# A schedule's required parts: a neutral valid value for each, and the places whose checks read
# it. A `schedule:` form stands in as a daily time (its own timing checks are not shown); one
# delivery as a folder of its own, so it repeats no other and no other position moves.
SCHEDULE_STAND_INS: dict[Loc, StandIn] = {
    ("schedule",): StandIn({"daily": {"at": "00:00"}}),
    ("report", "dataset"): StandIn("stand-in", reads=(("report", "params"),)),
    ("report", "format"): StandIn("csv", reads=(("report", "filename"),)),
    ("event", "type"): StandIn("stand-in"),
    ("deliver", "*"): StandIn(lambda place: {"outbox": {"dir": f"\0stand-in {place}"}}),
}
