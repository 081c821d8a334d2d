"""gitcron.yaml's defaults that are models are made without validation (`model_construct`, so
importing config/settings.py builds no validator): each must be exactly what validating gives."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from gitcron.config import settings


def _defaults() -> list[tuple[str, BaseModel]]:
    found = []
    for name, kind in vars(settings).items():
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            for field, info in kind.model_fields.items():
                if isinstance(info.default, BaseModel):
                    found.append((f"{name}.{field}", info.default))
    return found


def test_the_settings_have_model_defaults() -> None:
    assert {"Settings.channels", "Settings.defaults", "Channels.email"} <= dict(_defaults()).keys()


@pytest.mark.parametrize(("where", "default"), _defaults(), ids=lambda v: str(v)[:40])
def test_a_model_default_is_what_validation_gives(where: str, default: BaseModel) -> None:
    kind = type(default)
    assert default == kind(), where
    assert default.model_fields_set == kind().model_fields_set == set()


def test_default_settings_are_validated_settings() -> None:
    assert settings.Settings() == settings.Settings.model_validate({})
