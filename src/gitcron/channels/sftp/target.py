"""`sftp:` under `deliver:`: a customer's SFTP server, trusted by the host key given."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import model_validator

from gitcron.config.base import Strict, url_field
from gitcron.config.fields import EnvName, bad


class SftpTarget(Strict):
    url: Annotated[str, url_field(("sftp",))]
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
        if self.password_env is None and self.key_env is None:
            raise bad(
                "an sftp delivery needs a login, but neither password_env nor key_env is given",
                "add key_env: ACME_SFTP_KEY (a repository secret holding the private key)",
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
