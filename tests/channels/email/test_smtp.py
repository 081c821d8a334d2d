"""Real sending to an aiosmtpd server on 127.0.0.1: the bytes received, auth, and reply codes."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default

import pytest

from channels.helpers import CSV, FILE_NAME, MakeCtx, delivery, settings
from gitcron.channels.base import DeliveryError
from gitcron.channels.email.channel import EmailChannel
from gitcron.channels.email.message import build_message
from gitcron.channels.email.smtp import SmtpServer, _login, parse_smtp_url, redact
from gitcron.channels.email.target import EmailTarget
from gitcron.channels.registry import deliver
from net.listener import listening

pytest.importorskip("aiosmtpd")
from channels.mailserver import Inbox, free_port, serve

EMAIL = {"email": {"to": ["buyer@acme.example"], "bcc": ["audit@ourco.example"]}}
EMAIL_TARGET = EmailTarget.model_validate({"to": ["buyer@acme.example"]})


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with serve(handler, auth_require_tls=False) as port:
        yield handler, port


def test_sends_the_built_message_to_every_recipient(
    make_ctx: MakeCtx, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    ctx = make_ctx(env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"})
    note = deliver(delivery(**EMAIL), ctx)

    assert note == f"sent to buyer@acme.example, audit@ourco.example via 127.0.0.1:{port}"
    [envelope] = handler.received
    assert envelope.mail_from == "reports@ourco.example"
    assert envelope.rcpt_tos == ["buyer@acme.example", "audit@ourco.example"]
    got = BytesParser(policy=default).parsebytes(envelope.content)
    assert isinstance(got, EmailMessage)
    built = build_message(ctx.deliveries[0][1], ctx)
    assert got["Message-ID"] == built["Message-ID"]
    assert got["Bcc"] is None  # never shown to the other recipients
    [attachment] = list(got.iter_attachments())
    assert attachment.get_filename() == FILE_NAME
    assert attachment.get_payload(decode=True) == CSV


def test_logs_in_with_the_percent_encoded_password(
    make_ctx: MakeCtx, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    env = {"GITCRON_SMTP_URL": f"smtp://reports:p%40ss%3Aw@127.0.0.1:{port}"}
    deliver(delivery(**EMAIL), make_ctx(env=env))
    assert len(handler.received) == 1


def test_wrong_password_is_permanent_and_never_shown(
    make_ctx: MakeCtx, inbox: tuple[Inbox, int]
) -> None:
    _, port = inbox
    env = {"GITCRON_SMTP_URL": f"smtp://reports:hunter2@127.0.0.1:{port}"}
    with pytest.raises(DeliveryError, match="535") as caught:
        deliver(delivery(**EMAIL), make_ctx(env=env))
    assert caught.value.permanent
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("where", "reply", "permanent"),
    [
        pytest.param("rcpt", "550 5.1.1 No such user", True, id="rcpt 550"),
        pytest.param("rcpt", "450 4.2.1 Mailbox busy", False, id="rcpt 450"),
        pytest.param("data", "554 5.7.1 Rejected as spam", True, id="data 554"),
        pytest.param("data", "451 4.3.0 Try again later", False, id="data 451"),
    ],
)
def test_reply_codes_decide_whether_to_retry(
    make_ctx: MakeCtx, inbox: tuple[Inbox, int], where: str, reply: str, permanent: bool
) -> None:
    handler, port = inbox
    setattr(handler, f"{where}_reply", reply)
    ctx = make_ctx(env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"})
    with pytest.raises(DeliveryError, match=reply.split()[0]) as caught:
        deliver(delivery(email={"to": ["buyer@acme.example"]}), ctx)
    assert caught.value.permanent is permanent


def test_no_server_listening_is_retried_and_redacted(make_ctx: MakeCtx) -> None:
    env = {"GITCRON_SMTP_URL": f"smtp://reports:hunter2@127.0.0.1:{free_port()}"}
    with pytest.raises(DeliveryError, match="cannot talk to the mail server") as caught:
        deliver(delivery(**EMAIL), make_ctx(env=env))
    assert not caught.value.permanent
    assert "hunter2" not in str(caught.value)


# --- the URL --------------------------------------------------------------------------------------


def test_parse_smtp_url() -> None:
    assert parse_smtp_url("smtp://u:p%2Fq@mail.example", "X") == SmtpServer(
        False, "mail.example", 587, "u", "p/q"
    )
    assert parse_smtp_url("smtps://mail.example", "X") == SmtpServer(
        True, "mail.example", 465, None
    )


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://u:hunter2@mail.example", id="scheme"),
        pytest.param("smtp://u:hunter2@mail.example:port", id="port"),
        pytest.param("smtp://u:hunter2@", id="no host"),
        pytest.param("hunter2", id="not a url"),
    ],
)
def test_a_bad_url_is_permanent_and_redacted(url: str) -> None:
    with pytest.raises(DeliveryError, match="GITCRON_SMTP_URL is not an SMTP address") as caught:
        parse_smtp_url(url, "GITCRON_SMTP_URL")
    assert caught.value.permanent
    assert "hunter2" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_redact() -> None:
    assert redact("smtp://u:hunter2@mail.example:587") == "smtp://u:***@mail.example:587"
    assert redact("smtp://mail.example") == "smtp://mail.example"


def test_no_password_in_clear_text_to_a_remote_server() -> None:
    server = SmtpServer(False, "mail.example", 587, "u", "hunter2")
    with pytest.raises(DeliveryError, match="clear text") as caught:
        _login(None, server, tls=False)  # type: ignore[arg-type]  # refused before any use
    assert caught.value.permanent


# --- the address guard ----------------------------------------------------------------------------


def test_a_loopback_server_is_refused_before_connecting(make_ctx: MakeCtx) -> None:
    with listening() as listener:
        env = {"GITCRON_SMTP_URL": f"smtp://reports:hunter2@127.0.0.1:{listener.port}"}
        with pytest.raises(DeliveryError) as caught:
            EmailChannel().deliver(EMAIL_TARGET, make_ctx(conf=settings(allow=()), env=env))
        assert not listener.reached()  # nothing connected: refused before any socket opened
    error = caught.value
    assert error.permanent
    assert error.message.startswith(
        "refusing to connect to the mail server 127.0.0.1: it is a loopback address"
    )
    assert "network.allow" in str(error.hint)
    assert "hunter2" not in str(error)


def test_an_allowed_address_is_connected_to(make_ctx: MakeCtx) -> None:
    with listening(hang_up=True) as listener:
        env = {"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{listener.port}"}
        with pytest.raises(DeliveryError, match="cannot talk to the mail server") as caught:
            EmailChannel().deliver(EMAIL_TARGET, make_ctx(env=env))  # 127.0.0.1 is allowed
        assert listener.reached()
    assert not caught.value.permanent
