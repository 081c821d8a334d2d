"""`sftp:` under `deliver:`: a customer's SFTP server, trusted by the host key given.

`password:` and `key:` name credentials of gitcron.yaml (docs/grants.md); the older
`password_env:` and `key_env:` name a variable, which gitcron.yaml must grant all the same.
Host keys are public, so `known_hosts:` (or the variable `known_hosts_env:` names) is no credential.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import model_validator

from gitcron.config.base import Strict, url_field
from gitcron.config.credentials import CredentialName, Use
from gitcron.config.fields import EnvName, bad


class SftpTarget(Strict):
    url: Annotated[str, url_field(("sftp",))]
    password: CredentialName | None = None
    key: CredentialName | None = None
    password_env: EnvName | None = None
    key_env: EnvName | None = None
    known_hosts: str | None = None
    known_hosts_env: EnvName | None = None

    @model_validator(mode="after")
    def _complete(self) -> SftpTarget:
        parts = urlsplit(self.url)
        if not parts.username:
            raise bad(
                "the sftp address names no user",
                "write it as sftp://user@host/folder",
                kind="target",
            )
        if ".." in parts.path.split("/"):
            raise bad(
                "the sftp folder contains '..'",
                "write the folder's full path, e.g. sftp://user@host/incoming",
                kind="target",
            )
        for role in ("password", "key"):
            if getattr(self, role) is not None and getattr(self, f"{role}_env") is not None:
                raise bad(
                    f"both {role} and {role}_env are given",
                    f"keep only {role}: (the credential's name in gitcron.yaml)",
                    kind="target",
                )
        if not self.uses():
            raise bad(
                "an sftp delivery needs a login, but neither password nor key is given",
                "add key: acme-sftp-key (a credential of gitcron.yaml holding the private key)",
                kind="target",
            )
        if self.known_hosts is None and self.known_hosts_env is None:
            raise bad(
                "the server's host key is needed to trust it, but known_hosts is not given",
                'add known_hosts: "[sftp.acme.example]:22 ssh-ed25519 AAAA..." (the line'
                " ssh-keyscan -p 22 sftp.acme.example prints; check it with the customer)",
                kind="target",
            )
        return self

    def uses(self) -> dict[str, Use]:
        """The credentials this delivery logs in with, by role: `password` and `key`."""
        found = {}
        for role in ("password", "key"):
            name, variable = getattr(self, role), getattr(self, f"{role}_env")
            if name is not None:
                found[role] = Use(role, name)
            elif variable is not None:
                found[role] = Use(f"{role}_env", variable)
        return found
