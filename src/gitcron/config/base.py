"""What every part of a schedule file shares: strict models, one-of choices, checked templates.

Each rule here comes with the JSON Schema that says it to editors (`one_of` beside `exactly_one`,
`UrlField`'s pattern beside its check), so the schema refuses what validate refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from gitcron.config.fields import any_case, bad
from gitcron.config.templates import (
    EMAIL_NAMES,
    MAX_FILENAME_TEMPLATE,
    filename_template_problem,
    template_fix,
    template_problem,
)
from gitcron.timing.words import listing


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored.

    `defer_build`: a model's validator is built when it first validates, not when its module is
    imported, so a command pays only for the models it uses (a warm tick validates gitcron.yaml's
    and no schedule's; `gitcron --help` none).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def exactly_one(model: BaseModel, names: tuple[str, ...], what: str, example: str) -> None:
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) > 1:
        raise bad(
            f"{what}: found {listing(given)}",
            f"keep only one of {listing(given, 'or')}",
        )
    if not given:
        raise bad(
            f"{what}, but none is given", f"add one of {listing(names, 'or')}, e.g. {example}"
        )


def about(text: str, *examples: Any) -> Any:
    """A field's help in editors: what it means in plain words (shown on hover), values to copy.

    The examples go to the JSON Schema only: pydantic's own `examples` would also change the fix
    validate prints for a missing key.
    """
    return Field(description=text, json_schema_extra={"examples": list(examples)})


def present(name: str) -> dict[str, Any]:
    """JSON Schema: `name` is given and not null, as `exactly_one` counts it."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def one_of(names: tuple[str, ...]) -> dict[str, Any]:
    """JSON Schema of `exactly_one(model, names, ...)`: one of `names`, never two, never none."""
    return {"oneOf": [present(name) for name in names]}


def _template(value: str, names: tuple[str, ...] | None = None) -> str:
    problem = template_problem(value, names=names) if names else template_problem(value)
    if problem:
        fix = template_fix(value) or "see docs/schedules.md for the names a template can use"
        raise bad(problem, fix, kind="content")
    return value


def _email_template(value: str) -> str:
    return _template(value, EMAIL_NAMES)


def _filename(value: str) -> str:
    problem = filename_template_problem(value)
    if problem:
        plain = 'use a plain file name, e.g. "acme-products-{{ run.local_date }}.xlsx"'
        raise bad(problem, template_fix(value) or plain, kind="content")
    return value


Template = Annotated[str, AfterValidator(_template)]
EmailTemplate = Annotated[str, AfterValidator(_email_template)]  # a body: `links` too

# filename_template_problem's literal-text rule: outside `{{ }}`, `{% %}` and `{# #}`, no '/', '\',
# NUL or '..', and no '.' first. A tag ends at its first closing mark, as the parser's lazy match
# does; an unclosed one fails here, as it fails to compile there (but for a `{#` (or `{#-`) ending
# the text, which Jinja reads as text). Whether the template compiles and uses known names is left
# to validate.
_TAG = r"\{\{(?:[^}]|\}(?!\}))*\}\}|\{%(?:[^%]|%(?!\}))*%\}|\{#(?:[^#]|#(?!\}))*#\}"
FILENAME_PATTERN = rf"^(?!\.)(?:{_TAG}|[^/\\\x00.{{]|\.(?!\.)|\{{(?![{{%#])|\{{#[-+]?$)*$"
FilenameTemplate = Annotated[
    str,
    AfterValidator(_filename),
    Field(max_length=MAX_FILENAME_TEMPLATE),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": MAX_FILENAME_TEMPLATE,
            "pattern": FILENAME_PATTERN,
            "examples": ["acme-products-{{ run.local_date }}.xlsx"],
        }
    ),
]


@dataclass(frozen=True, slots=True)
class UrlField:
    """An address with one of `schemes` and no password; editors get the same rule as a pattern."""

    schemes: tuple[str, ...]

    def check(self, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in self.schemes or not (parts.netloc or parts.path):
            raise bad(
                f"'{value}' is not a {listing(self.schemes, 'or')} address",
                "write a full address starting with"
                f" {listing([s + '://' for s in self.schemes], 'or')}",
                kind="target",
            )
        if parts.password is not None:
            raise bad(
                "the address contains a password, and secrets must never be written in files",
                "remove it and name an environment variable in the *_env setting instead",
                kind="secret",
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schemes = any_case(self.schemes)  # in any case: urlsplit lower-cases the scheme
        return {
            "type": "string",
            # something after the scheme, as urlsplit reads it: a host, or else a path
            "pattern": rf"^\s*{schemes}:(?://[^?#]|(?!//)[^?#])",
            "not": {"pattern": r"^[^:/]*://[^/@]*:[^/@]*@", "description": "a password"},
            "examples": [f"{s}://{_EXAMPLE_HOSTS[s]}" for s in self.schemes],
        }


_EXAMPLE_HOSTS = {
    "https": "hooks.acme.example/gitcron",
    "http": "receiver.internal.example/gitcron",
    "s3": "acme-reports/exports",
    "file": "/srv/exports",
    "sftp": "gitcron@sftp.acme.example/incoming",
}


def url_field(schemes: tuple[str, ...]) -> UrlField:
    return UrlField(schemes)
