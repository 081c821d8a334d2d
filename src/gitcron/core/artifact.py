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

    def data(self) -> bytes:
        """The bytes to deliver."""
        if self.body is not None:
            return self.body
        assert self.path is not None
        return self.path.read_bytes()
