"""The sftp target model's rules, which the channel trusts instead of checking them again."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from channels.helpers import delivery

BASE = {
    "url": "sftp://reports@sftp.acme.example/in",
    "password_env": "SFTP_PASSWORD",
    "known_hosts": "sftp.acme.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"url": "sftp://sftp.acme.example/in"}, "names no user", id="no user"),
        pytest.param({"url": "sftp://u@h/in/../etc"}, "folder contains '..'", id="dotdot"),
        pytest.param({"password_env": None}, "needs a login", id="no login"),
        pytest.param({"known_hosts": None}, "known_hosts is not given", id="no known_hosts"),
    ],
)
def test_the_model_refuses_what_the_channel_no_longer_checks(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        delivery(sftp={**BASE, **change})


def test_a_complete_target_is_valid() -> None:
    assert delivery(sftp=BASE).sftp is not None
