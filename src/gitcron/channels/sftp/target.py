"""`sftp:` under `deliver:`: a customer's SFTP server, trusted by the host key given.

`password:` and `key:` name credentials of gitcron.yaml (docs/grants.md); the older
`password_env:` and `key_env:` name a variable, which gitcron.yaml must grant all the same.
Host keys are public, so `known_hosts:` (or the variable `known_hosts_env:` names) is no credential.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import ConfigDict, model_validator

from gitcron.config.base import Strict, about, present, url_field
from gitcron.config.credentials import CredentialName, Use, named_uses, one_name_each
from gitcron.config.fields import EnvName, bad

URL_WITH_USER = r"^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]+@"
URL_WITH_PARENT_FOLDER = r"^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*/(?:[^?#]*/)?\.\.(?:[/?#]|$)"


class SftpTarget(Strict):
    """A login (key, password, or the older key_env/password_env) and the server's host key
    (known_hosts) are needed."""

    # `_complete` below in JSON Schema: a user in the address and no '..' folder in its path, as
    # urlsplit reads them; a login; a host key.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"properties": {"url": {"pattern": URL_WITH_USER}}},
                {"properties": {"url": {"not": {"pattern": URL_WITH_PARENT_FOLDER}}}},
                {
                    "anyOf": [
                        present("key"),
                        present("password"),
                        present("key_env"),
                        present("password_env"),
                    ]
                },
                {"anyOf": [present("known_hosts"), present("known_hosts_env")]},
            ]
        }
    )

    url: Annotated[
        str,
        url_field(("sftp",)),
        about("the server, user and folder", "sftp://gitcron@sftp.acme.example/incoming"),
    ]
    password: Annotated[
        CredentialName | None,
        about(
            "the name of the credential in gitcron.yaml holding the password (docs/grants.md)",
            "acme-sftp-password",
        ),
    ] = None
    key: Annotated[
        CredentialName | None,
        about(
            "the name of the credential in gitcron.yaml holding the private key (docs/grants.md)",
            "acme-sftp-key",
        ),
    ] = None
    password_env: Annotated[
        EnvName | None,
        about(
            "the name of the environment variable holding the password (never the password)",
            "ACME_SFTP_PASSWORD",
        ),
    ] = None
    key_env: Annotated[
        EnvName | None,
        about(
            "the name of the environment variable holding the private key (never the key)",
            "ACME_SFTP_KEY",
        ),
    ] = None
    known_hosts: Annotated[
        str | None,
        about(
            "the server's host key line, as ssh-keyscan prints it; check it with the customer",
            "[sftp.acme.example]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...",
        ),
    ] = None
    known_hosts_env: Annotated[
        EnvName | None,
        about(
            "the name of the environment variable holding the host key line instead",
            "ACME_SFTP_KNOWN_HOSTS",
        ),
    ] = None

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
        one_name_each(self, ("password", "key"))
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
        return named_uses(self, ("password", "key"))
