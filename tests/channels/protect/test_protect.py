"""`protect:` sealed files, decrypted with the reference tools back to the original bytes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from channels.helpers import CSV, FILE_NAME, GRANTED, MakeCtx, delivery, settings
from channels.protect.tools import Gpg, age_decrypt, age_key, gpg_home, run
from gitcron.channels.base import DeliveryError
from gitcron.channels.registry import deliver
from gitcron.config.settings import Settings

pytest.importorskip("aiosmtpd")
from channels.mailserver import Inbox, serve

PASSWORD = "correct horse battery staple"


def zip_settings(**grant: Any) -> Settings:
    granted = {**GRANTED, "acme-zip": {"env": "ACME_ZIP_PASSWORD", "for": "zip", **grant}}
    credentials = Settings.model_validate({"credentials": granted}).credentials
    return settings().model_copy(update={"credentials": credentials})


def store(make_ctx: MakeCtx, protect: dict[str, Any], **kwargs: Any) -> tuple[str | None, Path]:
    """Deliver the run's CSV to the repo folder exports/ with `protect`; the note and the file."""
    ctx = make_ctx(**kwargs)
    note = deliver(delivery(storage={"path": "exports"}, protect=protect), ctx)
    [written] = (ctx.root / "exports").iterdir()
    return note, written


@pytest.fixture
def gpg(tmp_path: Path) -> Iterator[Gpg]:
    with gpg_home(tmp_path / "gnupg") as home:
        yield home


def test_age_decrypts_back_to_the_report(make_ctx: MakeCtx, root: Path, tmp_path: Path) -> None:
    identity, public = age_key(tmp_path)
    (tmp_path / "other").mkdir()
    other_identity, other = age_key(tmp_path / "other")
    keys = root / "keys/customer-001"
    keys.mkdir(parents=True)
    (keys / "buyer.age").write_text(f"# Acme's buyer, 2026\n{public}\n{other}\n")
    note, written = store(make_ctx, {"age": ["keys/customer-001/buyer.age"]})
    assert written.name == f"{FILE_NAME}.age"
    assert note == f"written to exports/{FILE_NAME}.age"
    assert CSV not in written.read_bytes()
    assert age_decrypt(identity, written) == CSV
    assert age_decrypt(other_identity, written) == CSV  # every recipient listed can open it


def test_openpgp_decrypts_back_to_the_report_with_gpg(
    make_ctx: MakeCtx, root: Path, gpg: Gpg
) -> None:
    keys = root / "keys/customer-001"
    keys.mkdir(parents=True)
    (keys / "buyer.asc").write_text(gpg.new_key("buyer@acme.example"))
    _, written = store(make_ctx, {"openpgp": ["keys/customer-001/buyer.asc"]})
    assert written.name == f"{FILE_NAME}.gpg"
    assert gpg.decrypt(written) == CSV


def test_an_aes_zip_opens_with_the_granted_password(make_ctx: MakeCtx) -> None:
    _, written = store(
        make_ctx, {"zip": "acme-zip"}, conf=zip_settings(), env={"ACME_ZIP_PASSWORD": PASSWORD}
    )
    assert written.name == f"{FILE_NAME}.zip"
    assert run("7zz", "x", "-so", f"-p{PASSWORD}", str(written)) == CSV
    listing = run("7zz", "l", "-slt", f"-p{PASSWORD}", str(written)).decode()
    assert "Method = AES-256 Deflate" in listing
    with zipfile.ZipFile(written) as plain:
        [info] = plain.infolist()
        assert (info.filename, info.compress_type) == (FILE_NAME, 99)  # 99: WinZip AES
        with pytest.raises(RuntimeError, match="password required"):
            plain.read(FILE_NAME)  # nothing opens it without the password


def test_an_emailed_file_is_sealed_too(make_ctx: MakeCtx, root: Path, tmp_path: Path) -> None:
    identity, public = age_key(tmp_path)
    (root / "keys").mkdir()
    (root / "keys/buyer.age").write_text(public)
    inbox = Inbox()
    with serve(inbox, auth_require_tls=False) as port:
        ctx = make_ctx(env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"})
        email = {"to": ["buyer@acme.example"]}
        deliver(delivery(email=email, protect={"age": ["keys/buyer.age"]}), ctx)
    [envelope] = inbox.received
    message = BytesParser(policy=default).parsebytes(envelope.content)
    assert isinstance(message, EmailMessage)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{FILE_NAME}.age"
    sealed = tmp_path / "got.age"
    data = attachment.get_payload(decode=True)
    assert isinstance(data, bytes)
    sealed.write_bytes(data)
    assert age_decrypt(identity, sealed) == CSV


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(None, "keys/buyer.age: there is no such key file", id="missing"),
        pytest.param("age1notakey\n", "keys/buyer.age:1: this is not an age public key", id="bad"),
        pytest.param("# nobody yet\n", "keys/buyer.age: holds no age public key", id="empty"),
    ],
)
def test_an_unusable_age_key_file_is_named_and_nothing_is_sent(
    make_ctx: MakeCtx, root: Path, content: str | None, words: str
) -> None:
    (root / "keys").mkdir()
    if content is not None:
        (root / "keys/buyer.age").write_text(content)
    ctx = make_ctx()
    with pytest.raises(DeliveryError) as caught:
        deliver(delivery(storage={"path": "exports"}, protect={"age": ["keys/buyer.age"]}), ctx)
    assert caught.value.permanent
    assert caught.value.message.startswith(words)
    assert not (root / "exports").exists()


def test_a_committed_private_key_is_refused(make_ctx: MakeCtx, root: Path, gpg: Gpg) -> None:
    gpg.new_key("buyer@acme.example")
    (root / "keys").mkdir()
    (root / "keys/buyer.asc").write_text(gpg.secret_key("buyer@acme.example"))
    with pytest.raises(DeliveryError, match="holds a private key") as caught:
        store(make_ctx, {"openpgp": ["keys/buyer.asc"]})
    assert caught.value.permanent


def test_a_zip_password_outside_its_grant_is_refused(make_ctx: MakeCtx, root: Path) -> None:
    conf = zip_settings(customers=["acme"])
    with pytest.raises(DeliveryError) as caught:
        store(make_ctx, {"zip": "acme-zip"}, conf=conf, env={"ACME_ZIP_PASSWORD": PASSWORD})
    assert caught.value.permanent
    assert "granted to the customer acme only, not to customer-001" in caught.value.message
    assert PASSWORD not in f"{caught.value.message} {caught.value.hint}"
    assert not (root / "exports").exists()


def test_an_unset_zip_password_is_named(make_ctx: MakeCtx) -> None:
    with pytest.raises(DeliveryError) as caught:
        store(make_ctx, {"zip": "acme-zip"}, conf=zip_settings(), env={})
    assert caught.value.message == (
        "ACME_ZIP_PASSWORD is not set, so the protected zip cannot be sent"
        " (the credential 'acme-zip' names it)"
    )
