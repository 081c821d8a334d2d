"""The command group, the shared --repo/--at options, and the one error handler."""

from __future__ import annotations

import functools
import sys
import tempfile
import traceback
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import click

from gitcron import __version__, clock
from gitcron.catalog.files import find_root
from gitcron.cli import output
from gitcron.errors import GitcronError


@dataclass
class Env:
    """What every command gets: the repo (found on first use) and the instant taken as now."""

    repo: Path | None
    at: str | None
    at_source: str = "--at"  # or GITCRON_NOW, named in the error when the instant is wrong

    @cached_property
    def root(self) -> Path:
        return find_root(self.repo or Path.cwd())

    @cached_property
    def now(self) -> datetime:
        return clock.parse_instant(self.at, self.at_source) if self.at else clock.now(None)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gitcron")
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    help="The repository (default: the nearest folder up holding gitcron.yaml).",
)
@click.option(
    "--at",
    envvar="GITCRON_NOW",
    metavar="ISO",
    help="Take this instant as now (also GITCRON_NOW), e.g. 2026-11-23T09:00:00Z.",
)
@click.pass_context
def cli(ctx: click.Context, repo: Path | None, at: str | None) -> None:
    """Recurring customer deliveries, scheduled by YAML files in git."""
    from_env = ctx.get_parameter_source("at") is click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Env(repo, at, "GITCRON_NOW" if from_env else "--at")


def _after_the_command(command: click.Command, at: bool = True) -> click.Command:
    """Accept --repo and --at after the command name too: `gitcron next ID --at ISO`."""
    path = click.Path(file_okay=False, path_type=Path)
    command.params.append(click.Option(["--repo", "repo_"], type=path, help="The repository."))
    if at:
        command.params.append(click.Option(["--at", "at_"], metavar="ISO", help="Take as now."))
    callback = command.callback
    assert callback is not None

    @functools.wraps(callback)
    def run(*args: Any, repo_: Path | None, at_: str | None = None, **kwargs: Any) -> Any:
        env = click.get_current_context().find_object(Env)
        if env is not None and repo_ is not None:
            env.repo = repo_
        if env is not None and at_ is not None:
            env.at, env.at_source = at_, "--at"
        return callback(*args, **kwargs)

    command.callback = run
    return command


def _register() -> None:
    from gitcron.cli import commit, history, new, next_, plan, preview, run, schema, state, validate

    cli.add_command(_after_the_command(validate.command))
    cli.add_command(_after_the_command(next_.command))
    cli.add_command(_after_the_command(new.command, at=False))  # its --at is a time of day
    cli.add_command(schema.command)
    cli.add_command(_after_the_command(plan.command))
    cli.add_command(_after_the_command(run.command))
    cli.add_command(_after_the_command(run.trigger_command))
    cli.add_command(_after_the_command(commit.command))
    cli.add_command(_after_the_command(history.command))
    cli.add_command(_after_the_command(preview.command))
    for sub in state.group.commands.values():
        _after_the_command(sub)
    cli.add_command(state.group)


_register()


def _crash(error: BaseException) -> int:
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
    except GitcronError as error:
        output.error(str(error))
        code = error.exit_code
    except click.exceptions.Abort:
        output.error("aborted")
        code = 130
    except click.ClickException as error:
        error.show()
        code = 2 if isinstance(error, click.UsageError) else 1
    except KeyboardInterrupt:
        code = 130
    except Exception as error:
        code = _crash(error)
    sys.exit(code if isinstance(code, int) else 0)
