"""Secrets out of every message: values of the env vars named in config, and URL passwords.

Config names secrets by environment variable (`*_env` keys, a credential's `env:`, a dataset's
`database:`), so the values to hide are exactly those variables' values; anything a library
echoes back (an SMTP URL in an exception, a header in a traceback) is scrubbed before it reaches
a record or a log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

MASK = "[redacted]"
MIN_SECRET = 4  # shorter values would mask ordinary words
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@")


def env_names(*models: BaseModel | None) -> set[str]:
    """Every env var name the models refer to as a secret holder."""
    names: set[str] = set()
    for model in models:
        if model is not None:
            _collect(model.model_dump(by_alias=True), names)
    return names


def _collect(value: Any, names: set[str], key: str = "") -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _collect(v, names, str(k))
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, names, key)
    elif isinstance(value, str) and _names_a_secret(key, value):
        names.add(value)


def _names_a_secret(key: str, value: str) -> bool:
    if key.endswith("_env") or key in ("headers_env", "env"):
        return True
    return key == "database" and "://" not in value


class Redactor:
    """Replaces the given secret values (longest first) and any URL password with a mask."""

    def __init__(self, secrets: Iterable[str]) -> None:
        values = {s for s in secrets if len(s) >= MIN_SECRET}
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(values, key=len, reverse=True)))
            if values
            else None
        )

    @classmethod
    def for_config(cls, env: Mapping[str, str], *models: BaseModel | None) -> Redactor:
        """A redactor for the secrets the given settings and schedules name."""
        return cls(env[name] for name in env_names(*models) if name in env)

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(MASK, text)
        return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", text)
