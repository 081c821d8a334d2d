"""The sftp login's credentials at send time: named by gitcron.yaml, checked on the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from channels.helpers import CSV, FILE_NAME, GRANTED, MakeCtx, settings
from gitcron.channels.base import DeliveryError
from gitcron.channels.sftp.channel import SftpChannel
from gitcron.channels.sftp.target import SftpTarget
from gitcron.config.settings import Settings

pytest.importorskip("asyncssh")
pytest.importorskip("paramiko")
from channels.sftpserver import PASSWORD, SftpServer, private_text, serve

ENV = {"SFTP_PASSWORD": PASSWORD, "GITCRON_SMTP_URL": "smtp://u:mail-pass-123@mail.example:587"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SftpServer]:
    root = tmp_path / "sftp-root"
    (root / "in").mkdir(parents=True)
    with serve(root) as running:
        yield running


def granting(**grant: Any) -> Settings:
    """The channel tests' settings, with sftp-password granted as given instead."""
    changed = {**GRANTED, "sftp-password": {**GRANTED["sftp-password"], **grant}}
    return settings().model_copy(
        update={"credentials": Settings.model_validate({"credentials": changed}).credentials}
    )


def target(server: SftpServer, **spec: Any) -> SftpTarget:
    return SftpTarget.model_validate(
        {"url": server.url("/in"), "known_hosts": server.known_hosts, **spec}
    )


def test_a_password_named_by_gitcron_yaml_logs_in(make_ctx: MakeCtx, server: SftpServer) -> None:
    note = SftpChannel().deliver(target(server, password="sftp-password"), make_ctx(env=ENV))
    assert note == f"uploaded to {server.url('/in/' + FILE_NAME)}"
    assert (server.root / "in" / FILE_NAME).read_bytes() == CSV
    assert server.logins == ["password"]


def test_a_key_named_by_gitcron_yaml_logs_in(make_ctx: MakeCtx, server: SftpServer) -> None:
    env = {"SFTP_KEY": private_text(server.client_key)}
    SftpChannel().deliver(target(server, key="sftp-key"), make_ctx(env=env))
    assert server.logins == ["publickey"]


@pytest.mark.parametrize(
    ("grant", "words"),
    [
        pytest.param({"to": ["sftp.acme.example"]}, "may only be sent to", id="another host"),
        pytest.param({"to": ["sftp://127.0.0.1/in"]}, "may only be sent to", id="another port"),
        pytest.param({"customers": ["acme"]}, "not to customer-001", id="another customer"),
        pytest.param({"for": "webhook"}, "granted to webhook deliveries", id="another channel"),
    ],
)
def test_outside_its_grant_nothing_is_offered(
    make_ctx: MakeCtx, server: SftpServer, grant: dict[str, Any], words: str
) -> None:
    ctx = make_ctx(conf=granting(**grant), env=ENV)
    with pytest.raises(DeliveryError) as caught:
        SftpChannel().deliver(target(server, password="sftp-password"), ctx)
    assert (server.connections, server.offered) == (0, [])
    assert caught.value.permanent
    assert words in caught.value.message
    assert PASSWORD not in f"{caught.value} {caught.value.hint}"


def test_a_grant_can_name_the_login_and_folder(make_ctx: MakeCtx, server: SftpServer) -> None:
    place = f"sftp://reports@127.0.0.1:{server.port}/in"
    ctx = make_ctx(conf=granting(to=[place]), env=ENV)
    SftpChannel().deliver(target(server, password="sftp-password"), ctx)
    assert server.logins == ["password"]
    with pytest.raises(DeliveryError, match="may only be sent to"):
        SftpChannel().deliver(target(server, url=server.url("/"), password="sftp-password"), ctx)


def test_known_hosts_env_never_reads_gitcrons_secrets(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    spec = {"password": "sftp-password", "known_hosts": None, "known_hosts_env": "GITCRON_SMTP_URL"}
    with pytest.raises(DeliveryError) as caught:
        SftpChannel().deliver(target(server, **spec), make_ctx(env=ENV))
    assert (server.connections, server.offered) == (0, [])
    assert caught.value.message.startswith(
        "GITCRON_SMTP_URL (known_hosts_env) holds the mail server's address and password"
    )
    assert "mail-pass-123" not in f"{caught.value} {caught.value.hint}"
