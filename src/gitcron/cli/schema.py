"""`gitcron schema`: JSON Schema for editors, generated from the very models validate uses.

The rules and help texts live on the models (`about(...)`, `one_of(...)`, the patterns of
`gitcron.config.fields`); this module only writes them out, with defaults spelled as a user
writes them (`6h`, not pydantic's `PT6H`, which validate would refuse).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from gitcron.cli import output
from gitcron.config.customer import CustomerFile
from gitcron.config.settings import Settings
from gitcron.schedule import Schedule
from gitcron.timing.words import duration_text

SCHEMAS: dict[str, type[BaseModel]] = {
    "schedule": Schedule,
    "settings": Settings,
    "customer": CustomerFile,
}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _as_written(value: Any) -> Any:
    """A default as a user would write it: models as their keys, lengths of time as text."""
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True)
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_written(item) for item in value]
    if isinstance(value, timedelta):
        return duration_text(value)
    return value


class _Generator(GenerateJsonSchema):
    def encode_default(self, dft: Any) -> Any:
        return super().encode_default(_as_written(dft))


def schema_text(which: str) -> str:
    """The committed form of schema/<which>.schema.json."""
    schema = SCHEMAS[which].model_json_schema(by_alias=True, schema_generator=_Generator)
    schema = {"$schema": DIALECT, **schema}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


@click.command("schema")
@click.option(
    "--for",
    "which",
    type=click.Choice(list(SCHEMAS)),
    default="schedule",
    show_default=True,
    help="schedule files, gitcron.yaml, or customer files (schedules/<customer>/customer.yaml).",
)
def command(which: str) -> int:
    """Print the JSON Schema of schedule files (or of gitcron.yaml)."""
    output.say(schema_text(which), nl=False)
    return 0
