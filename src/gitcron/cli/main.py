"""The `gitcron` group, every command registered in one place, and the one error handler.

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

import sys
import tempfile
import traceback
from pathlib import Path

import click

from gitcron import __version__
from gitcron.cli import (
    backfill,
    commit,
    doctor,
    history,
    new,
    next_,
    options,
    output,
    plan,
    preview,
    resend,
    run,
    schema,
    state,
    trigger,
    validate,
)
from gitcron.cli.options import Env
from gitcron.errors import GitcronError, UsageError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gitcron")
@options.repo
@options.at
@click.pass_context
def cli(ctx: click.Context, repo: Path | None, at: str | None) -> None:
    """Recurring customer deliveries, scheduled by YAML files in git."""
    from_env = ctx.get_parameter_source("at") is click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Env(repo, at, "GITCRON_NOW" if from_env else "--at")


cli.add_command(options.repo_and_at(validate.command))
cli.add_command(options.repo_and_at(next_.command))
cli.add_command(options.repo_and_at(new.command, at=False))  # its --at is a time of day
cli.add_command(schema.command)
cli.add_command(options.repo_and_at(plan.command))
cli.add_command(options.repo_and_at(run.command))
cli.add_command(options.repo_and_at(trigger.command))
cli.add_command(options.repo_and_at(resend.command))
cli.add_command(options.repo_and_at(backfill.command))
cli.add_command(options.repo_and_at(doctor.command))
cli.add_command(options.repo_and_at(commit.command))
cli.add_command(options.repo_and_at(history.command))
cli.add_command(options.repo_and_at(preview.command))
for sub in state.group.commands.values():
    options.repo_and_at(sub)
cli.add_command(state.group)


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
