"""Real uploads to an asyncssh SFTP server on 127.0.0.1: bytes, host keys, logins, replays."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from channels.helpers import CSV, FILE_NAME, MakeCtx, delivery, settings
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.registry import deliver
from gitcron.channels.sftp.address import parse_url
from gitcron.channels.sftp.channel import SftpChannel
from gitcron.channels.sftp.keys import private_key
from gitcron.channels.sftp.target import SftpTarget
from net.listener import listening

pytest.importorskip("asyncssh")
pytest.importorskip("paramiko")
from channels.sftpserver import (
    PASSWORD,
    NoPosixRename,
    ReadOnly,
    SftpServer,
    free_port,
    new_key,
    private_text,
    public_line,
    serve,
)

ENV = {"SFTP_PASSWORD": PASSWORD}


@pytest.fixture
def server_root(tmp_path: Path) -> Path:
    root = tmp_path / "sftp-root"
    (root / "in").mkdir(parents=True)
    return root


@pytest.fixture
def server(server_root: Path) -> Iterator[SftpServer]:
    with serve(server_root) as running:
        yield running


def target(server: SftpServer, **spec: Any) -> dict[str, Any]:
    """An `sftp:` delivery to /in with the password and the server's real known_hosts line."""
    base = {"url": server.url("/in"), "password_env": "SFTP_PASSWORD"}
    base["known_hosts"] = server.known_hosts
    return {"sftp": {**base, **spec}}


def sftp_target(spec: dict[str, Any]) -> SftpTarget:
    """The validated target; one validation would refuse is built as a plugin might build it."""
    try:
        found = delivery(**spec).sftp
    except ValidationError:
        return SftpTarget.model_construct(**spec["sftp"])
    assert found is not None
    return found


def attempt(spec: dict[str, Any], ctx: DeliveryContext) -> DeliveryError:
    """One delivery straight to the channel (no in-tick retries); the error it raised."""
    with pytest.raises(DeliveryError) as caught:
        SftpChannel().deliver(sftp_target(spec), ctx)
    return caught.value


def files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_the_file_arrives_byte_exact_and_no_temp_file_is_left(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    note = deliver(delivery(**target(server)), make_ctx(env=ENV))

    assert note == f"uploaded to sftp://reports@127.0.0.1:{server.port}/in/{FILE_NAME}"
    assert (server.root / "in" / FILE_NAME).read_bytes() == CSV
    assert files(server.root / "in") == [FILE_NAME]
    assert server.logins == ["password"]


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [
        pytest.param("ssh-ed25519", "openssh", id="ed25519 openssh"),
        pytest.param("ecdsa-sha2-nistp256", "openssh", id="ecdsa openssh"),
        pytest.param("ssh-rsa", "pkcs1-pem", id="rsa pem"),
    ],
)
def test_logs_in_with_a_private_key(
    make_ctx: MakeCtx, server: SftpServer, kind: str, fmt: str
) -> None:
    server.client_key = new_key(kind)
    spec = target(server, password_env=None, key_env="SFTP_KEY")
    env = {"SFTP_KEY": private_text(server.client_key, fmt)}

    SftpChannel().deliver(sftp_target(spec), make_ctx(env=env))

    assert (server.root / "in" / FILE_NAME).read_bytes() == CSV
    assert server.logins == ["publickey"]


def test_a_different_host_key_is_refused_before_anything_is_sent(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    impostor = f"[127.0.0.1]:{server.port} {public_line(new_key())}"
    error = attempt(target(server, known_hosts=impostor), make_ctx(env=ENV))

    assert error.permanent
    assert "the server's host key does not match known_hosts" in error.message
    assert "someone may be intercepting" in error.message
    assert f"ssh-keyscan -p {server.port} 127.0.0.1" in (error.hint or "")
    assert server.logins == []  # the password was never offered
    assert files(server.root / "in") == []


def test_without_known_hosts_it_says_how_to_get_the_line(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    with pytest.raises(ValidationError, match="known_hosts is not given"):
        delivery(**target(server, known_hosts=None))  # validate says so before any run
    error = attempt(target(server, known_hosts=None), make_ctx(env=ENV))

    assert error.permanent
    assert "no known_hosts" in error.message
    assert f"ssh-keyscan -p {server.port} 127.0.0.1" in (error.hint or "")
    assert "known_hosts:" in (error.hint or "")
    assert files(server.root / "in") == []


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("{known}", id="keyscan line"),
        pytest.param("# from ssh-keyscan\n\n{known}\n", id="with a comment"),
        pytest.param("{key}", id="bare key"),
        pytest.param("other.example {key}\n{known}", id="several hosts"),
    ],
)
def test_known_hosts_forms_that_identify_the_server(
    make_ctx: MakeCtx, server: SftpServer, line: str
) -> None:
    text = line.format(known=server.known_hosts, key=public_line(server.host_key))
    SftpChannel().deliver(sftp_target(target(server, known_hosts=text)), make_ctx(env=ENV))
    assert files(server.root / "in") == [FILE_NAME]


def test_known_hosts_from_an_env_var(make_ctx: MakeCtx, server: SftpServer) -> None:
    spec = target(server, known_hosts=None, known_hosts_env="SFTP_KNOWN_HOSTS")
    env = {**ENV, "SFTP_KNOWN_HOSTS": server.known_hosts}
    SftpChannel().deliver(sftp_target(spec), make_ctx(env=env))
    assert files(server.root / "in") == [FILE_NAME]


def test_a_line_for_port_22_does_not_vouch_for_another_port(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    line = f"127.0.0.1 {public_line(server.host_key)}"
    error = attempt(target(server, known_hosts=line), make_ctx(env=ENV))

    assert error.permanent
    assert f"no key for [127.0.0.1]:{server.port}" in error.message
    assert server.logins == []


def test_a_wrong_password_is_permanent_and_never_echoed(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    wrong = "not-the-password-123"
    error = attempt(target(server), make_ctx(env={"SFTP_PASSWORD": wrong}))

    assert error.permanent
    assert "refused the login of 'reports'" in error.message
    assert "SFTP_PASSWORD" in (error.hint or "")
    assert wrong not in str(error)
    assert files(server.root / "in") == []


def test_a_server_that_is_down_is_transient(make_ctx: MakeCtx, server: SftpServer) -> None:
    port = free_port()
    spec = target(
        server,
        url=f"sftp://reports@127.0.0.1:{port}/in",
        known_hosts=f"[127.0.0.1]:{port} {public_line(server.host_key)}",
    )
    error = attempt(spec, make_ctx(env=ENV))

    assert not error.permanent
    assert f"127.0.0.1:{port}" in error.message
    assert "retried" in (error.hint or "")


def test_a_replay_finds_the_same_file_already_there(make_ctx: MakeCtx, server: SftpServer) -> None:
    spec = target(server)
    SftpChannel().deliver(sftp_target(spec), make_ctx(env=ENV))
    final = server.root / "in" / FILE_NAME
    before = final.stat().st_mtime_ns

    note = SftpChannel().deliver(sftp_target(spec), make_ctx(env=ENV))

    assert note is not None
    assert note.startswith("already there: ")
    assert files(server.root / "in") == [FILE_NAME]
    assert final.stat().st_mtime_ns == before  # not written again


@pytest.mark.parametrize(
    "old",
    [
        pytest.param(CSV.replace(b"2.50", b"2.60"), id="same size, other bytes"),
        pytest.param(b"sku\r\n", id="other size"),
    ],
)
def test_a_different_file_of_the_same_name_is_replaced(
    make_ctx: MakeCtx, server: SftpServer, old: bytes
) -> None:
    (server.root / "in" / FILE_NAME).write_bytes(old)

    note = SftpChannel().deliver(sftp_target(target(server)), make_ctx(env=ENV))

    assert note is not None
    assert note.startswith("uploaded to ")
    assert (server.root / "in" / FILE_NAME).read_bytes() == CSV
    assert files(server.root / "in") == [FILE_NAME]


def test_a_temp_file_left_by_a_crashed_try_is_overwritten(
    make_ctx: MakeCtx, server: SftpServer
) -> None:
    ctx = make_ctx(env=ENV)
    digest = hashlib.sha256(ctx.run.run_id.encode()).hexdigest()[:12]
    (server.root / "in" / f".{FILE_NAME}.{digest}.part").write_bytes(b"half a fi")

    SftpChannel().deliver(sftp_target(target(server)), ctx)

    assert files(server.root / "in") == [FILE_NAME]
    assert (server.root / "in" / FILE_NAME).read_bytes() == CSV


def test_a_missing_folder_is_permanent(make_ctx: MakeCtx, server: SftpServer) -> None:
    error = attempt(target(server, url=server.url("/nowhere")), make_ctx(env=ENV))

    assert error.permanent
    assert "the folder '/nowhere' does not exist" in error.message


def test_a_folder_in_the_way_is_permanent(make_ctx: MakeCtx, server: SftpServer) -> None:
    (server.root / "in" / FILE_NAME).mkdir()

    error = attempt(target(server), make_ctx(env=ENV))

    assert error.permanent
    assert "is a folder" in error.message


def test_a_read_only_account_is_permanent(make_ctx: MakeCtx, server_root: Path) -> None:
    with serve(server_root, ReadOnly) as read_only:
        error = attempt(target(read_only), make_ctx(env=ENV))

    assert error.permanent
    assert "permission denied" in error.message
    assert "let 'reports' create and rename files" in (error.hint or "")
    assert files(server_root / "in") == []


@pytest.fixture
def old_server(server_root: Path) -> Iterator[SftpServer]:
    with serve(server_root, NoPosixRename) as running:
        yield running


def test_without_posix_rename_a_new_file_is_renamed_plainly(
    make_ctx: MakeCtx, old_server: SftpServer
) -> None:
    SftpChannel().deliver(sftp_target(target(old_server)), make_ctx(env=ENV))

    assert (old_server.root / "in" / FILE_NAME).read_bytes() == CSV
    assert files(old_server.root / "in") == [FILE_NAME]


def test_without_posix_rename_an_old_file_is_left_alone(
    make_ctx: MakeCtx, old_server: SftpServer
) -> None:
    (old_server.root / "in" / FILE_NAME).write_bytes(b"last week")

    error = attempt(target(old_server), make_ctx(env=ENV))

    assert error.permanent
    assert "posix-rename" in error.message
    assert (old_server.root / "in" / FILE_NAME).read_bytes() == b"last week"
    assert files(old_server.root / "in") == [FILE_NAME]  # the temp file is gone


WRONG = "wrong-password-123"


def _impostor(server: SftpServer) -> dict[str, Any]:
    return {"known_hosts": f"[127.0.0.1]:{server.port} {public_line(new_key())}"}


def _down(server: SftpServer) -> dict[str, Any]:
    port = free_port()
    return {
        "url": f"sftp://reports@127.0.0.1:{port}/in",
        "known_hosts": f"[127.0.0.1]:{port} {public_line(server.host_key)}",
    }


@pytest.mark.parametrize(
    ("change", "password"),
    [
        pytest.param(_impostor, PASSWORD, id="host key mismatch"),
        pytest.param(_down, PASSWORD, id="server down"),
        pytest.param(lambda server: {}, WRONG, id="wrong key and password"),
        pytest.param(lambda server: {"url": server.url("/nowhere")}, PASSWORD, id="no folder"),
    ],
)
def test_secrets_never_appear_in_errors(
    make_ctx: MakeCtx, server: SftpServer, change: Any, password: str
) -> None:
    key = private_text(new_key())  # not the key the server accepts
    spec = target(server, key_env="SFTP_KEY", **change(server))
    error = attempt(spec, make_ctx(env={"SFTP_PASSWORD": password, "SFTP_KEY": key}))

    shown = f"{error} {error.args!r} {error.__cause__!r} {error.__context__!r}"
    for secret in (password, *key.splitlines()[1:-1]):
        assert secret not in shown


# --- without a server ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "folder", "port", "shown"),
    [
        pytest.param("sftp://u@h/in/acme/", "/in/acme", 22, "sftp://u@h:22/in/acme/x", id="abs"),
        pytest.param("sftp://u@h:2222/~/out", "out", 2222, "sftp://u@h:2222/~/out/x", id="home"),
        pytest.param("sftp://u@h", "", 22, "sftp://u@h:22/~/x", id="login folder"),
        pytest.param("sftp://u@h/", "/", 22, "sftp://u@h:22/x", id="root"),
        pytest.param("sftp://u@h/a%20b", "/a b", 22, "sftp://u@h:22/a b/x", id="decoded"),
    ],
)
def test_parse_url(url: str, folder: str, port: int, shown: str) -> None:
    place = parse_url(url)
    assert (place.folder, place.port, place.url("x")) == (folder, port, shown)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        pytest.param("sftp://u@h/in/../etc", "'..'", id="dotdot"),
        pytest.param("sftp://u@h/..", "'..'", id="dotdot end"),
        pytest.param("sftp://u@h:99999/in", "cannot be read", id="bad port"),
    ],
)
def test_parse_url_rejects(url: str, problem: str) -> None:
    with pytest.raises(DeliveryError, match=problem) as caught:
        parse_url(url)
    assert caught.value.permanent


@pytest.mark.filterwarnings("ignore::UserWarning")  # rounds=1: a fast test key
def test_an_encrypted_key_is_refused_with_a_hint() -> None:
    text = new_key().export_private_key("openssh", passphrase="pw", rounds=1).decode()
    with pytest.raises(DeliveryError, match="passphrase") as caught:
        private_key(text, "SFTP_KEY")
    assert caught.value.permanent


def test_text_that_is_not_a_key_is_refused() -> None:
    with pytest.raises(DeliveryError, match="SFTP_KEY does not hold a private key") as caught:
        private_key("hello\n", "SFTP_KEY")
    assert caught.value.permanent


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param({"password_env": "UNSET"}, "UNSET is not set", id="unset password"),
        pytest.param(
            {"known_hosts": None, "known_hosts_env": "UNSET"}, "UNSET", id="unset known_hosts"
        ),
        pytest.param({"known_hosts": "bad line !!!"}, "line 1 of known_hosts", id="garbage"),
    ],
)
def test_config_problems_are_permanent_and_need_no_server(
    make_ctx: MakeCtx, change: dict[str, Any], problem: str
) -> None:
    spec = {
        "sftp": {
            "url": "sftp://reports@127.0.0.1:1/in",
            "password_env": "SFTP_PASSWORD",
            "known_hosts": f"[127.0.0.1]:1 {public_line(new_key())}",
            **change,
        }
    }
    error = attempt(spec, make_ctx(env=ENV))
    assert error.permanent
    assert problem in error.message


def test_without_paramiko_it_says_what_to_install(
    make_ctx: MakeCtx, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "paramiko", None)
    spec = {
        "sftp": {
            "url": "sftp://reports@127.0.0.1:1/in",
            "password_env": "SFTP_PASSWORD",
            "known_hosts": "[127.0.0.1]:1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==",
        }
    }
    error = attempt(spec, make_ctx(env=ENV))
    assert error.permanent
    assert "gitcron[sftp]" in (error.hint or "")


def test_the_registry_retries_a_server_that_is_down(make_ctx: MakeCtx) -> None:
    port = free_port()
    spec = {
        "sftp": {
            "url": f"sftp://reports@127.0.0.1:{port}/in",
            "password_env": "SFTP_PASSWORD",
            "known_hosts": f"[127.0.0.1]:{port} {public_line(new_key())}",
        }
    }
    ctx = dataclasses.replace(make_ctx(env=ENV), sleep=lambda seconds: None)
    with pytest.raises(DeliveryError, match=r"after \d+ tries") as caught:
        deliver(delivery(**spec), ctx)
    assert not caught.value.permanent


# --- the address guard ----------------------------------------------------------------------------


def loopback_target(port: int) -> dict[str, Any]:
    return {
        "sftp": {
            "url": f"sftp://reports@127.0.0.1:{port}/in",
            "password_env": "SFTP_PASSWORD",
            "known_hosts": f"[127.0.0.1]:{port} {public_line(new_key())}",
        }
    }


def test_a_loopback_server_is_refused_before_connecting(make_ctx: MakeCtx) -> None:
    with listening() as listener:
        error = attempt(loopback_target(listener.port), make_ctx(conf=settings(allow=()), env=ENV))
        assert not listener.reached()  # nothing connected: refused before any socket opened
    assert error.permanent
    assert error.message.startswith(
        "refusing to connect to the SFTP server 127.0.0.1: it is a loopback address"
    )
    assert "network.allow" in str(error.hint)


def test_an_allowed_address_is_connected_to(make_ctx: MakeCtx) -> None:
    with listening(hang_up=True) as listener:
        error = attempt(loopback_target(listener.port), make_ctx(env=ENV))  # 127.0.0.1 allowed
        assert listener.reached()
    assert not error.permanent
    assert f"the SFTP server 127.0.0.1:{listener.port}" in error.message
