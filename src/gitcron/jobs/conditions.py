"""Send conditions: whether a report that was made is sent, skipped, or fails its run.

`on_empty` decides before anything is rendered (no rows, no file). `on_unchanged: skip` compares
a digest of the rows with the one of the schedule's last delivered run (kept in state); the row
thresholds `min_rows`/`max_rows` decide with `outside_rows` what an unusual count does: fail the
run, so its owner is told, skip it, or send it with a note in the record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from gitcron.config.job import Report
from gitcron.core.artifact import JobError


class RowDigest:
    """A SHA-256 of the columns and every row, taken as the rows stream past the renderer.

    Each value's `repr` (type and value: `1` and `'1'` and `1.0` differ), one row a line."""

    def __init__(self, columns: Sequence[str]) -> None:
        self._hash = hashlib.sha256(repr(tuple(columns)).encode("utf-8", "surrogatepass"))

    def watch(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        update = self._hash.update
        for row in rows:
            update(b"\n" + repr(row).encode("utf-8", "surrogatepass"))
            yield row

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the conditions say of a made report: send it, or skip it, and why (for the record)."""

    skip: bool = False
    note: str | None = None


def judge(report: Report, count: int, digest: str | None, delivered: str | None) -> Verdict:
    """The conditions in order: the row thresholds, then `on_unchanged`; a failing threshold
    with `outside_rows: fail` raises a permanent JobError (the run fails, the owner is told)."""
    outside = _outside(report, count)
    if outside is not None:
        if report.outside_rows == "fail":
            raise JobError(
                f"the report has {outside}, so it was not sent",
                "check the dataset: something upstream may be broken. If such counts are"
                " expected, change min_rows/max_rows, or set outside_rows: skip or send",
                permanent=True,
            )
        if report.outside_rows == "skip":
            return Verdict(True, f"{outside}: nothing sent (outside_rows: skip)")
        return Verdict(False, f"{outside}: sent anyway (outside_rows: send)")
    if report.on_unchanged == "skip" and digest is not None and digest == delivered:
        return Verdict(
            True, "the rows are the same as the last delivered run's: nothing sent"
            " (on_unchanged: skip)"
        )  # fmt: skip
    return Verdict()


def _outside(report: Report, count: int) -> str | None:
    rows = f"{count:,} row{'s' * (count != 1)}"
    if report.min_rows is not None and count < report.min_rows:
        return f"{rows}, fewer than min_rows ({report.min_rows:,})"
    if report.max_rows is not None and count > report.max_rows:
        return f"{rows}, more than max_rows ({report.max_rows:,})"
    return None
