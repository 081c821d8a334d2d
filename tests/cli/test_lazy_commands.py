"""Commands load lazily: `gitcron --help` imports none of them and shows each help whole."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import click
import pytest

from gitcron.cli.main import COMMANDS, cli
from support import invoke


def _first_paragraph(command: click.Command) -> str:
    return " ".join(textwrap.dedent(command.help or "").split("\n\n")[0].split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_says_what_the_command_says(name: str) -> None:
    """The help `gitcron --help` shows without importing is the command's own first paragraph."""
    module = importlib.import_module(f"gitcron.cli.{COMMANDS[name].module}")
    command = getattr(module, "command", None) or module.group
    assert command.name == name
    assert COMMANDS[name].help == _first_paragraph(command)


def test_help_imports_no_command() -> None:
    probe = (
        "import sys\n"
        "from gitcron.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('gitcron'))\n"
        "heavy = sorted(m for m in ('pydantic', 'yaml', 'jinja2') if m in sys.modules)\n"
        "print(loaded, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stderr.strip() == (
        "['gitcron', 'gitcron.cli', 'gitcron.cli.main', 'gitcron.cli.options', "
        "'gitcron.cli.output', 'gitcron.errors'] []"
    )
    for name in COMMANDS:
        assert f"  {name} " in done.stdout


def test_help_text_is_whole() -> None:
    """Every command's short help appears whole (wrapped between words), never cut with '...'."""
    listing = invoke(["--help"]).out.split("Commands:\n", 1)[1]
    assert "..." not in listing
    words = " ".join(listing.split())
    for name, entry in COMMANDS.items():
        assert f"{name} {entry.help}" in words
    assert "acme-corp/weekly-products" in listing  # ids are not split at a hyphen


def test_a_command_help_loads_only_that_command() -> None:
    run = invoke(["next", "--help"])
    assert run.code == 0
    assert "Show the next runs of SCHEDULE" in run.out
    assert "--repo" in run.out


def test_the_group_knows_every_command_by_name() -> None:
    for name in COMMANDS:
        assert name in cli.commands
    assert "frobnicate" not in cli.commands
