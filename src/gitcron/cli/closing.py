"""How a command that records runs ends: its commit-back, then its job summary, whatever happened.

`run`, `trigger`, the commit of a sharded tick and the quiet tick all end so: a push that fails
is said in the summary (with exit 1), the summary is written, and the error is raised.
"""

from __future__ import annotations

from collections.abc import Callable

from gitcron.cli import output
from gitcron.errors import GitcronError


def finish(
    code: int,
    commit: Callable[[], None] | None,
    write: Callable[[int, str], str | None],
    after: str = "",
) -> int:
    """Run a command's commit-back (`commit`, if it commits), then append its summary whatever
    happened (`write`, given the exit code and what commit-back said): a failed push is in the
    summary, then raised, and the command fails. `after`: what the command has to say already.
    Returns the exit code, when the commit went well."""
    try:
        if commit is not None:
            commit()
    except GitcronError as error:
        after, code = f"{after} Commit-back failed: {error.message}".strip(), 1
        raise
    finally:
        said = write(code, after)
        if said:
            output.warn(said)
    return code
