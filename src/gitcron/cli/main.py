"""The command group, the shared --repo/--at options, and the one error handler."""

from __future__ import annotations

import sys
import tempfile
import traceback
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

import click

from gitcron import __version__, clock
from gitcron.catalog.files import find_root
from gitcron.errors import GitcronError


@dataclass
class Env:
    """What every command gets: the repo (found on first use) and the instant taken as now."""

    repo: Path | None
    at: str | None

    @cached_property
    def root(self) -> Path:
        return find_root(self.repo or Path.cwd())

    @cached_property
    def now(self) -> datetime:
        return clock.now(self.at)


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
    ctx.obj = Env(repo, at)


def _register() -> None:
    from gitcron.cli import new, next_, schema, validate

    for module in (validate, next_, schema, new):
        cli.add_command(module.command)


_register()


def _crash(error: BaseException) -> int:
    with tempfile.NamedTemporaryFile(
        "w", prefix="gitcron-crash-", suffix=".log", delete=False
    ) as f:
        traceback.print_exception(error, file=f)
    click.echo(
        f"gitcron: internal error: {type(error).__name__}: {error}\n"
        f"  this is a bug in gitcron; the full traceback is in {f.name}",
        err=True,
    )
    return 3


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; users' mistakes print a message, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="gitcron", standalone_mode=False)
    except GitcronError as error:
        click.echo(f"gitcron: {error}", err=True)
        code = error.exit_code
    except click.exceptions.Abort:
        click.echo("gitcron: aborted", err=True)
        code = 130
    except click.ClickException as error:
        error.show()
        code = 2 if isinstance(error, click.UsageError) else 1
    except KeyboardInterrupt:
        code = 130
    except Exception as error:
        code = _crash(error)
    sys.exit(code if isinstance(code, int) else 0)
