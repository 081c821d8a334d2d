"""What every part of a schedule file shares: strict models, one-of choices, checked templates."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gitcron.config.fields import bad
from gitcron.config.templates import (
    EMAIL_NAMES,
    MAX_FILENAME_TEMPLATE,
    filename_template_problem,
    template_fix,
    template_problem,
)
from gitcron.timing.words import listing


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
FilenameTemplate = Annotated[
    str, AfterValidator(_filename), Field(max_length=MAX_FILENAME_TEMPLATE)
]


def url_field(schemes: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or not (parts.netloc or parts.path):
            raise bad(
                f"'{value}' is not a {listing(schemes, 'or')} address",
                f"write a full address starting with {listing([s + '://' for s in schemes], 'or')}",
                kind="target",
            )
        if parts.password is not None:
            raise bad(
                "the address contains a password, and secrets must never be written in files",
                "remove it and name an environment variable in the *_env setting instead",
                kind="secret",
            )
        return value

    return AfterValidator(check)
