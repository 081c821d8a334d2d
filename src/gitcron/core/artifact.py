"""What a job hands to the channels, and how a job says it could not make it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitcron.errors import GitcronError


class JobError(GitcronError):
    """A run could not make its artifact. `permanent` errors are not retried (a bad template)."""

    def __init__(self, message: str, hint: str | None = None, permanent: bool = False) -> None:
        super().__init__(message, hint)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Artifact:
    """What a job produced, ready for every channel."""

    name: str  # the file name the customer sees (already a safe single path component)
    content_type: str  # MIME type
    path: Path | None = None  # the file (reports); None for events
    body: bytes | None = None  # the JSON body (events); None for reports
    rows: int | None = None
    note: str | None = None  # e.g. "no rows: sent an empty file"
    skip: bool = False  # on_empty: skip and no rows: nothing is delivered, the run is `skipped`
    title: str | None = None  # what the file is, for people: "Products", the default subject
    interval: bool = False  # the rows are the run's interval's: messages say which period
    rows_sha256: str | None = None  # a digest of the rows, for on_unchanged; None when unused
    # a bursting report's files, one per value of its split column; each is delivered on its
    # own (the artifact itself then has no file)
    parts: tuple[Part, ...] = ()

    def data(self) -> bytes:
        """The bytes to deliver."""
        if self.body is not None:
            return self.body
        assert self.path is not None
        return self.path.read_bytes()


@dataclass(frozen=True, slots=True)
class Part:
    """One value's file of a bursting report, and who may receive it."""

    value: str  # the split column's value: the part's name in records (`email:parts#north`)
    file: Artifact
    recipients: tuple[str, ...]  # the schedule's `to:` for the value, plus allowed data addresses
    refused: tuple[str, ...] = ()  # addresses the data gave that `allow:` does not match
