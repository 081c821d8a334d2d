"""`gitcron schema`: JSON Schema for editors, generated from the very models validate uses."""

from __future__ import annotations

import json

import click
from pydantic import BaseModel

from gitcron.cli import output
from gitcron.config.settings import Settings
from gitcron.schedule import Schedule

SCHEMAS: dict[str, type[BaseModel]] = {"schedule": Schedule, "settings": Settings}


def schema_text(which: str) -> str:
    """The committed form of schema/<which>.schema.json."""
    schema = SCHEMAS[which].model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


@click.command("schema")
@click.option(
    "--for",
    "which",
    type=click.Choice(list(SCHEMAS)),
    default="schedule",
    show_default=True,
    help="schedule files, or gitcron.yaml.",
)
def command(which: str) -> int:
    """Print the JSON Schema of schedule files (or of gitcron.yaml)."""
    output.say(schema_text(which), nl=False)
    return 0
