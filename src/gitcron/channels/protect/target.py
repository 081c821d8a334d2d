"""`protect:` beside a delivery's channel: how the file is sealed before it is sent.

Public keys live in the repository, under `keys/`, where reviewers see them change; a zip's
password is a credential of gitcron.yaml granted `for: zip` (docs/grants.md), never in a file.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from gitcron.config.base import Strict, about, exactly_one
from gitcron.config.credentials import CredentialName, Use
from gitcron.config.fields import bad

KEYS_FOLDER = "keys"


def _key_path(value: str) -> str:
    text = value.strip()
    path = PurePosixPath(text)
    inside = (
        not path.is_absolute()
        and "\\" not in text
        and ".." not in path.parts
        and len(path.parts) > 1
        and path.parts[0] == KEYS_FOLDER
    )
    if not inside:
        raise bad(
            f"'{value}' is not a file in the repository's {KEYS_FOLDER}/ folder",
            f"keep the public key in the repository under {KEYS_FOLDER}/, e.g."
            f" {KEYS_FOLDER}/acme/buyer.age",
            kind="target",
        )
    return path.as_posix()


KeyPath = Annotated[
    str,
    AfterValidator(_key_path),
    WithJsonSchema({"type": "string", "pattern": rf"^{KEYS_FOLDER}/"}),
]
KeyPaths = Annotated[list[KeyPath], Field(min_length=1)]


class Protect(Strict):
    age: Annotated[
        KeyPaths | None,
        about(
            "encrypt with age to these recipients' public keys (files under keys/)",
            ["keys/acme/buyer.age"],
        ),
    ] = None
    openpgp: Annotated[
        KeyPaths | None,
        about(
            "encrypt with OpenPGP to these recipients' public keys (armored, under keys/)",
            ["keys/acme/buyer.asc"],
        ),
    ] = None
    zip: Annotated[
        CredentialName | None,
        about(
            "put the file in an AES-256 zip whose password is this credential of gitcron.yaml",
            "acme-zip-password",
        ),
    ] = None

    @model_validator(mode="after")
    def _one_way(self) -> Protect:
        exactly_one(self, ("age", "openpgp", "zip"), "protect: seals one way", "age: [keys/...]")
        return self

    @property
    def way(self) -> str:
        return "age" if self.age else "openpgp" if self.openpgp else "zip"

    def keys(self) -> list[str]:
        """The public key files this protection reads."""
        return list(self.age or self.openpgp or [])

    def uses(self) -> dict[str, Use]:
        """The credential it names: the zip's `password`."""
        return {"zip": Use("zip", self.zip)} if self.zip else {}
