"""The size policy against a real SMTP server advertising SIZE: link, zip or fail, no bounce."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from channels.helpers import MakeCtx, settings
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.channel import EmailChannel
from gitcron.channels.email.message import build_message
from gitcron.channels.email.size import PART_HEADERS, encoded_size
from gitcron.channels.email.smtp import parse_smtp_url, send
from gitcron.channels.email.target import EmailTarget
from gitcron.jobs.base import Artifact
from gitcron.net.guard import allowed

pytest.importorskip("aiosmtpd")
from channels.mailserver import Inbox, serve

SIZE = 16_384  # what the server advertises, and refuses above (552)
LINK = "https://acme-reports.s3.example/daily/big.csv?X-Amz-Signature=abc"
ROWS = b"".join(b"A%05d,Bread and butter,2.50\r\n" % n for n in range(1000))  # ~30 KB


@pytest.fixture
def relay() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with serve(handler, auth_require_tls=False, data_size_limit=SIZE) as port:
        yield handler, port


@pytest.fixture
def big(tmp_path: Path) -> Artifact:
    path = tmp_path / "big.csv"
    path.write_bytes(ROWS)
    return Artifact(name="big.csv", content_type="text/csv", path=path, rows=1000)


def context(make_ctx: MakeCtx, port: int, art: Artifact, **email: object) -> DeliveryContext:
    ctx = make_ctx(
        conf=settings(**email), art=art, env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"}
    )
    ctx.links.append(LINK)
    return ctx


def target(**spec: object) -> EmailTarget:
    return EmailTarget.model_validate({"to": ["buyer@acme.example"], **spec})


def received(handler: Inbox) -> EmailMessage:
    [envelope] = handler.received
    message = BytesParser(policy=default).parsebytes(envelope.content)
    assert isinstance(message, EmailMessage)
    assert len(envelope.content) <= SIZE
    return message


def test_the_server_really_refuses_what_is_over_its_size(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    handler, port = relay
    ctx = context(make_ctx, port, big)
    server = parse_smtp_url(f"smtp://127.0.0.1:{port}", "GITCRON_SMTP_URL")
    with pytest.raises(DeliveryError, match="552"):
        send(build_message(target(), ctx), server, allowed(ctx.settings))
    assert handler.received == []


def test_over_the_size_the_email_carries_the_link_instead(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    handler, port = relay
    note = EmailChannel().deliver(target(too_large="link"), context(make_ctx, port, big))
    message = received(handler)
    assert list(message.iter_attachments()) == []
    body = message.get_body(("plain",))
    assert body is not None
    assert LINK in body.get_content()
    assert note == (
        f"sent to buyer@acme.example via 127.0.0.1:{port} (the email with big.csv takes"
        " 41.0 KB, over the 16.0 KB the mail server accepts (its SIZE): sent as a link)"
    )


def test_over_the_size_a_zip_is_attached_when_it_fits(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    handler, port = relay
    note = EmailChannel().deliver(target(too_large="zip"), context(make_ctx, port, big))
    [attachment] = list(received(handler).iter_attachments())
    assert attachment.get_filename() == "big.csv.zip"
    assert attachment.get_content_type() == "application/zip"
    data = attachment.get_payload(decode=True)
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["big.csv"]
        assert archive.read("big.csv") == ROWS
    assert note is not None
    assert note.endswith(": sent as big.csv.zip)")


def test_a_zip_is_the_same_bytes_on_a_retry(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    handler, port = relay
    ctx = context(make_ctx, port, big)
    EmailChannel().deliver(target(too_large="zip"), ctx)
    EmailChannel().deliver(target(too_large="zip"), ctx)
    first, second = handler.received
    assert first.content == second.content


def test_by_default_nothing_is_sent_and_both_sizes_are_said(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    handler, port = relay
    with pytest.raises(DeliveryError) as caught:
        EmailChannel().deliver(target(), context(make_ctx, port, big))
    assert handler.received == []
    assert caught.value.permanent
    assert caught.value.message == (
        "customer-001/weekly-products: the email with big.csv takes 41.0 KB, over the 16.0 KB"
        " the mail server accepts (its SIZE); nothing was sent"
    )
    assert "too_large: link" in str(caught.value.hint)


def test_the_attachment_limit_counts_base64(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    """30 KB of file under a 36 KB limit still takes over 40 KB in the message."""
    handler, port = relay
    limit_mb = 36_000 / (1024 * 1024)
    assert len(ROWS) < 36_000
    with pytest.raises(
        DeliveryError,
        match=r"big\.csv takes 40\.6 KB in the email \(base64\), over the 0\.0343323 MB email",
    ) as caught:
        EmailChannel().deliver(target(), context(make_ctx, port, big, max_attachment_mb=limit_mb))
    assert caught.value.permanent
    assert handler.received == []


def test_a_link_that_does_not_exist_yet_is_waited_for_never_an_empty_mail(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], big: Artifact
) -> None:
    handler, port = relay
    ctx = make_ctx(art=big, env={"GITCRON_SMTP_URL": f"smtp://127.0.0.1:{port}"})
    with pytest.raises(DeliveryError, match="made no link in this run") as caught:
        EmailChannel().deliver(target(too_large="link"), ctx)
    assert not caught.value.permanent
    assert handler.received == []


def test_a_zip_still_too_large_fails_before_sending(
    make_ctx: MakeCtx, relay: tuple[Inbox, int], tmp_path: Path
) -> None:
    handler, port = relay
    noise = tmp_path / "noise.bin"
    noise.write_bytes(random.Random(7).randbytes(30_000))  # deflate cannot shrink it
    art = Artifact(name="noise.bin", content_type="application/octet-stream", path=noise)
    with pytest.raises(DeliveryError, match="even zipped; nothing was sent") as caught:
        EmailChannel().deliver(target(too_large="zip"), context(make_ctx, port, art))
    assert caught.value.permanent
    assert handler.received == []


def test_a_file_that_fits_is_attached_as_before(
    make_ctx: MakeCtx, relay: tuple[Inbox, int]
) -> None:
    handler, port = relay
    note = EmailChannel().deliver(
        target(too_large="link"), context(make_ctx, port, make_ctx().artifact)
    )
    assert note == f"sent to buyer@acme.example via 127.0.0.1:{port}"
    [attachment] = list(received(handler).iter_attachments())
    assert attachment.get_filename() == "customer-001-products-2026-11-23.csv"


@pytest.mark.parametrize("size", [0, 1, 2, 3, 56, 57, 58, 1000, 30_001, 200_000])
def test_the_estimate_is_never_below_what_the_message_takes(
    make_ctx: MakeCtx, tmp_path: Path, size: int
) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(bytes((n * 31) % 256 for n in range(size)))
    art = Artifact(name="file.bin", content_type="application/octet-stream", path=path)
    ctx = make_ctx(art=art)
    bare = len(build_message(target(attach=False), ctx).as_bytes())
    whole = len(build_message(target(), ctx).as_bytes())
    assert whole <= bare + encoded_size(size) + PART_HEADERS
    assert whole >= bare + encoded_size(size)  # and close: within the part's headers
