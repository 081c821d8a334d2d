"""TLS to a loopback aiosmtpd server with a throwaway certificate: STARTTLS, smtps://, bad certs."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from channels.helpers import MakeCtx, delivery
from gitcron.channels.base import DeliveryError
from gitcron.channels.email import smtp
from gitcron.channels.registry import deliver

pytest.importorskip("aiosmtpd")
from channels.mailserver import Inbox, serve

EMAIL = delivery(email={"to": ["buyer@acme.example"]})


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)
    return context


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch, cert: tuple[Path, Path]) -> None:
    """The client trusts the throwaway certificate (and still verifies it)."""
    monkeypatch.setattr(smtp, "tls_context", lambda: ssl.create_default_context(cafile=cert[0]))


@pytest.mark.usefixtures("trusted")
def test_starttls_before_login(make_ctx: MakeCtx, cert: tuple[Path, Path]) -> None:
    handler = Inbox()
    options = {"tls_context": server_context(cert), "require_starttls": True}
    with serve(handler, auth_require_tls=True, **options) as port:  # AUTH only after STARTTLS
        env = {"GITCRON_SMTP_URL": f"smtp://reports:p%40ss%3Aw@127.0.0.1:{port}"}
        assert (
            deliver(EMAIL, make_ctx(env=env)) == f"sent to buyer@acme.example via 127.0.0.1:{port}"
        )
    assert len(handler.received) == 1


@pytest.mark.usefixtures("trusted")
def test_smtps_is_tls_from_the_first_byte(make_ctx: MakeCtx, cert: tuple[Path, Path]) -> None:
    handler = Inbox()
    # aiosmtpd only counts STARTTLS as TLS for AUTH; the handshake itself proves TLS here
    with serve(handler, ssl_context=server_context(cert), auth_require_tls=False) as port:
        env = {"GITCRON_SMTP_URL": f"smtps://reports:p%40ss%3Aw@127.0.0.1:{port}"}
        deliver(EMAIL, make_ctx(env=env))
    assert len(handler.received) == 1


def test_an_untrusted_certificate_is_permanent(make_ctx: MakeCtx, cert: tuple[Path, Path]) -> None:
    handler = Inbox()
    with serve(handler, tls_context=server_context(cert), require_starttls=True) as port:
        env = {"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        with pytest.raises(DeliveryError, match=r"certificate .* cannot be trusted") as caught:
            deliver(EMAIL, make_ctx(env=env))
    assert caught.value.permanent
    assert handler.received == []
