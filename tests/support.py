"""Helpers shared by the test folders: a base schedule, gitcron in-process, `utc()` and records.

`invoke` runs `gitcron.cli.main.main(argv)` (the real entry point, with its error handler) under
click's output capture, with GITCRON_NOW pinned: no test reads the real clock.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gitcron.cli.main import main
from gitcron.state.records import Record, make_run_id

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-22T12:00:00Z"  # a Sunday; Thanksgiving 2026 is Thursday the 26th

# A valid schedule; the rejection tests change one line of it. Line numbers matter:
#  1 description  2 timezone  3 schedule  4 daily  5 report  6 dataset  7 params  8 format
#  9 filename  10 deliver  11 email
GOOD = """\
description: Test schedule
timezone: Europe/London
schedule:
  daily: { at: "08:00" }
report:
  dataset: products
  params: { customer: acme }
  format: csv
  filename: "acme-{{ run.local_date }}.csv"
deliver:
  - email: { to: [buyer@example.com] }
"""


def git(root: Path, *args: str) -> str:
    """`git ARGS` in `root` as a test's author, failing the test when git fails; its output."""
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


_HEADLINE = re.compile(
    r"^(?P<file>[^\s:]+?)(?::(?P<line>\d+):(?P<col>\d+))?: "
    r"(?P<severity>error|warning): (?P<rest>.*)$"
)


def variant(old: str, new: str, base: str = GOOD) -> str:
    """`base` with `old` replaced once; fails loudly when `old` is not there."""
    assert base.count(old) == 1, f"{old!r} is not exactly once in the base schedule"
    return base.replace(old, new)


@dataclass(frozen=True)
class Headline:
    """One problem of a text report: `file:line:col: severity: where: message` and its fix."""

    file: str
    line: int
    col: int
    severity: str
    rest: str  # `where: message`, or just `message`
    fix: str | None


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err

    def json(self) -> Any:
        return json.loads(self.out)

    def headlines(self) -> list[Headline]:
        """The problems of a text-format `validate` report, in order."""
        found: list[Headline] = []
        lines = self.out.splitlines()
        for number, text in enumerate(lines):
            match = _HEADLINE.match(text)
            if match:
                after = lines[number + 1] if number + 1 < len(lines) else ""
                fix = after.removeprefix("    fix: ") if after.startswith("    fix: ") else None
                found.append(
                    Headline(
                        match["file"],
                        int(match["line"] or 0),
                        int(match["col"] or 0),
                        match["severity"],
                        match["rest"],
                        fix,
                    )
                )
        return found

    def assert_clean_failure(self, code: int) -> None:
        """The exit code wanted, and a message rather than a crash."""
        assert self.code == code, self.both
        assert "Traceback" not in self.both
        assert "internal error" not in self.both


def invoke(args: list[str], env: dict[str, str | None] | None = None) -> Run:
    """Run `gitcron ARGS` in-process through `main`, as the console script does."""
    runner = CliRunner()
    with runner.isolation(env={"GITCRON_NOW": NOW, **(env or {})}) as streams:
        try:
            main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = -1
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return Run(code, out.decode(), err.decode())


def utc(text: str) -> datetime:
    """'2026-11-22T12:00:00', '2026-03-08T07:00Z' or '2026-11-22' -> that instant, aware, in UTC.

    The one reader of short instants for every test folder; an offset in `text` is replaced, not
    converted, so write instants in UTC.
    """
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def record(
    fire: str,
    started: str,
    status: str = "succeeded",
    attempt: int = 1,
    schedule: str = "acme/weekly",
    **changes: object,
) -> Record:
    values: dict[str, object] = {
        "run_id": make_run_id(schedule, utc(fire)),
        "schedule": schedule,
        "fire": utc(fire),
        "trigger": "scheduled" if attempt == 1 else "retry",
        "status": status,
        "attempt": attempt,
        "started": utc(started),
        **changes,
    }
    return Record(**values)  # type: ignore[arg-type]
