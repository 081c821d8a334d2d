"""The `gitcron` group, every command listed in one place, and the one error handler.

Commands load lazily: `COMMANDS` names each command's module and its short help, so
`gitcron --help` lists them all (whole sentences, wrapped, never cut) without importing any, and
a command's module (with what it needs: pydantic models, the engine, git) is imported only
when that command runs or its own help is asked. A test keeps each line of the table equal to
its command's docstring.

Commands never import this module: they take their shared options from `cli.options` and print
through `cli.output`, so the import graph runs one way (main, then commands, then those two).

Exit codes: 0 done, 1 a problem the user can fix (`GitcronError`), 2 a usage problem, 3 a bug
(traceback in a file), 130 interrupted (Ctrl-C), 143 a tick stopped by SIGTERM. A tick stops
between runs, finishes and says what did not run before it exits (`cli/run.py`). A usage
problem is a `gitcron.errors.UsageError`, printed as `gitcron: message` and its hint, wherever
it is raised; only what click's own parser rejects before a command runs (an unknown option, a
value out of range) keeps click's usage text.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple

import click

from gitcron import __version__
from gitcron.cli import options, output
from gitcron.cli.options import Env
from gitcron.errors import GitcronError, UsageError


class Entry(NamedTuple):
    """One command: the module under gitcron.cli holding `command` (or `group`), its short help
    as `gitcron --help` shows it, and which of the shared options it takes after its name."""

    module: str
    help: str
    at: bool = True  # `--at ISO` after the command's name (`new` reads its own --at)


COMMANDS: dict[str, Entry] = {
    "validate": Entry("validate", "Check schedule files (all of them, or PATHS) and gitcron.yaml."),
    "next": Entry(
        "next_", "Show the next runs of SCHEDULE (an id like acme-corp/weekly-products)."
    ),
    "new": Entry(
        "new", "Scaffold schedules/SCHEDULE_ID.yaml (e.g. acme-corp/weekly-products).", at=False
    ),
    "schema": Entry(
        "schema", "Print the JSON Schema of schedule files (or of gitcron.yaml).", at=False
    ),
    "plan": Entry("plan", "Show what a tick at --at (default: now) would do, without doing it."),
    "run": Entry(
        "run", "The tick: run every due fire, record it, and leave state for the next tick."
    ),
    "trigger": Entry("trigger", "Run one schedule now, by hand; its next fire stays where it was."),
    "resend": Entry(
        "resend",
        "Deliver a past run again, to its schedule's own targets (the stored copy, or rebuilt).",
    ),
    "backfill": Entry(
        "backfill",
        "Run a past period's fires that were not delivered (days in the schedule's timezone).",
    ),
    "doctor": Entry(
        "doctor",
        "Check what the first tick needs: variables, code owners, push, cache (and hosts).",
    ),
    "commit": Entry(
        "commit",
        "Fold every shard's records into state/ at the plan's instant, commit, and push.",
    ),
    "history": Entry(
        "history",
        "Show past runs of a schedule (acme-corp/weekly), a customer (acme-corp), or all.",
    ),
    "history-archive": Entry("history_archive", "Move old history months to the declared archive."),
    "preview": Entry(
        "preview",
        "Describe what the work tree changes in schedules/ and gitcron.yaml since REF.",
    ),
    "state": Entry("state", "Check or repair the files under state/."),
    "site": Entry(
        "site",
        "Build the status site: every schedule, its runs, failures and the scheduler's health.",
    ),
}


def load(name: str) -> click.Command:
    """Import the command's module and give the command (each subcommand of a group) the shared
    options after its name."""
    entry = COMMANDS[name]
    module = importlib.import_module(f"gitcron.cli.{entry.module}")
    command: click.Command = getattr(module, "command", None) or module.group
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            options.repo_and_at(sub, at=entry.at)
        return command
    return options.repo_and_at(command, at=entry.at)


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands: every name in `COMMANDS` is there; its module loads on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}
        self._added: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name in self._added:
            return self._added[name]
        if name not in COMMANDS:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._added[name] = command

    def __delitem__(self, name: str) -> None:
        del self._added[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*COMMANDS, *self._added}))

    def __len__(self) -> int:
        return len({*COMMANDS, *self._added})


class LazyGroup(click.Group):
    """A group whose commands are imported when they run; its help lists them from the table."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command with its whole short help, wrapped between words (an id such as
        acme-corp/weekly is never split at its hyphen): no module is imported for it."""
        rows = [
            (name, COMMANDS[name].help if name in COMMANDS else _short(self.commands[name]))
            for name in self.list_commands(ctx)
        ]
        first = max(len(name) for name, _ in rows) + 2
        width = max((formatter.width or 80) - formatter.current_indent - 2 - first, 20)
        with formatter.section("Commands"):
            for name, text in rows:
                lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
                formatter.write_text(f"{name:<{first}}{lines[0]}")
                for line in lines[1:]:
                    formatter.write_text(" " * first + line)


def _short(command: click.Command) -> str:
    return command.get_short_help_str(limit=10_000)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="gitcron")
@options.repo
@options.at
@click.pass_context
def cli(ctx: click.Context, repo: Path | None, at: str | None) -> None:
    """Recurring customer deliveries, scheduled by YAML files in git."""
    from_env = ctx.get_parameter_source("at") is click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Env(repo, at, "GITCRON_NOW" if from_env else "--at")


def _crash(error: BaseException) -> int:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", prefix="gitcron-crash-", suffix=".log", delete=False
    ) as f:
        traceback.print_exception(error, file=f)
    output.error(
        f"internal error: {type(error).__name__}: {error}\n"
        f"  this is a bug in gitcron; the full traceback is in {f.name}"
    )
    return 3


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; users' mistakes print a message, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="gitcron", standalone_mode=False)
    except GitcronError as error:  # UsageError among them, with its exit code 2
        output.error(str(error))
        code = error.exit_code
    except click.exceptions.Abort:
        output.error("aborted")
        code = 130
    except click.UsageError as error:  # click's parser: usage, a pointer to --help, the error
        error.show()
        code = UsageError.exit_code
    except click.ClickException as error:  # any other of click's: a file it could not open
        error.show()
        code = 1
    except KeyboardInterrupt:
        code = 130
    except Exception as error:
        code = _crash(error)
    sys.exit(code if isinstance(code, int) else 0)
