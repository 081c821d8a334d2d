"""The one exception family gitcron raises for problems a user can act on."""

from __future__ import annotations


class GitcronError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback and exits 1."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(GitcronError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


class RepoNotFoundError(GitcronError):
    """No gitcron.yaml in the folder or any parent."""


class ScheduleNotFoundError(GitcronError):
    """A schedule id given on the command line does not exist."""


class TimingError(GitcronError):
    """A schedule's timing cannot be computed (for example it never fires)."""
