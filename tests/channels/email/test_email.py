"""The email message: headers, deterministic bytes, subject injection, the attachment limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default

import pytest

from channels.helpers import MakeCtx, run_info, schedule, settings
from gitcron.channels.base import DeliveryError
from gitcron.channels.email.channel import EmailChannel
from gitcron.channels.email.message import build_message
from gitcron.channels.email.target import EmailTarget
from gitcron.core.artifact import Artifact


def target(**spec: object) -> EmailTarget:
    return EmailTarget.model_validate({"to": ["buyer@acme.example"], **spec})


def reparsed(message: EmailMessage) -> EmailMessage:
    parsed = BytesParser(policy=default).parsebytes(message.as_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_default_subject_names_the_report_and_local_date(
    make_ctx: MakeCtx, artifact: Artifact
) -> None:
    message = build_message(target(), make_ctx(art=replace(artifact, title="Products")))
    assert message["Subject"] == "Products, 23 November 2026"  # no schedule id, no run id


def test_default_body_has_no_internal_ids_and_is_signed(make_ctx: MakeCtx) -> None:
    parsed = reparsed(
        build_message(
            target(), make_ctx(conf=settings().model_copy(update={"company": "Our Co Ltd"}))
        )
    )
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert "customer-001/" not in text
    assert "@2026" not in text
    assert "gitcron" not in text
    assert "covering" not in text  # the file's data does not depend on the run's interval
    assert text.rstrip().endswith("Kind regards,\nOur Co Ltd")
    assert parsed["X-Gitcron-Run"] == "customer-001/weekly-products@2026-11-23T14:00:00Z"


def test_date_is_when_it_was_sent_not_the_fire(make_ctx: MakeCtx) -> None:
    sent = datetime(2026, 11, 23, 19, 7, 31, tzinfo=UTC)  # the fire was 14:00 UTC
    message = build_message(target(), replace(make_ctx(), now=lambda: sent))
    assert message["Date"] == "Mon, 23 Nov 2026 14:07:31 -0500"  # in the customer's zone


def test_message_id_depends_only_on_run_and_recipients(make_ctx: MakeCtx) -> None:
    first = build_message(target(), make_ctx())
    again = build_message(
        target(subject="other"), make_ctx(conf=settings(reply_to="x@ourco.example"))
    )
    later = build_message(
        target(), make_ctx(run=run_info("customer-001/weekly-products@2026-11-30T14:00:00Z"))
    )

    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != later["Message-ID"]
    assert len(first["Message-ID"]) == len("<@ourco.example>") + 32


def test_html_and_attachment_bytes_are_identical_across_builds(make_ctx: MakeCtx) -> None:
    spec = {"html": "<p>{{ rows }} rows for {{ customer }}</p>", "body": "Rows: {{ rows }}"}
    first = build_message(target(**spec), make_ctx()).as_bytes()
    second = build_message(target(**spec), make_ctx()).as_bytes()

    assert first == second
    parsed = reparsed(build_message(target(**spec), make_ctx()))
    assert parsed.get_content_type() == "multipart/mixed"
    html = parsed.get_body(preferencelist=("html",))
    plain = parsed.get_body(preferencelist=("plain",))
    assert html is not None
    assert plain is not None
    assert html.get_content().strip() == "<p>3 rows for customer-001</p>"
    assert plain.get_content().strip() == "Rows: 3"


def test_no_attachment_when_attach_is_false(make_ctx: MakeCtx) -> None:
    parsed = reparsed(build_message(target(attach=False), make_ctx()))
    assert list(parsed.iter_attachments()) == []
    assert parsed.get_content_type() == "text/plain"


def test_non_ascii_subject_is_encoded_and_reads_back(make_ctx: MakeCtx) -> None:
    parsed = reparsed(
        build_message(target(subject="Produits für {{ customer }} - été"), make_ctx())
    )
    assert parsed["Subject"] == "Produits für customer-001 - été"


@pytest.mark.parametrize(
    "team",
    [
        pytest.param("emea\r\nBcc: thief@evil.example", id="crlf"),
        pytest.param("emea\nBcc: thief@evil.example", id="lf"),
        pytest.param("emea\rX: y", id="cr"),
        pytest.param("=?utf-8?q?Bcc=3A_thief?=", id="encoded word"),
        pytest.param("emea\x00", id="nul"),
    ],
)
def test_a_subject_that_could_forge_headers_is_refused(make_ctx: MakeCtx, team: str) -> None:
    ctx = make_ctx(sched=schedule(labels={"team": team}))
    with pytest.raises(DeliveryError, match="subject") as caught:
        build_message(target(subject="Products ({{ labels.team }})"), ctx)
    assert caught.value.permanent


def test_a_template_that_fails_at_render_time_is_permanent(make_ctx: MakeCtx) -> None:
    with pytest.raises(DeliveryError, match="email body template") as caught:
        build_message(target(body="{{ run.no_such_name }}"), make_ctx())
    assert caught.value.permanent


def test_attachment_over_the_limit_is_refused_with_a_storage_hint(make_ctx: MakeCtx) -> None:
    ctx = make_ctx(conf=settings(max_attachment_mb=0.00001))  # ~10 bytes; the CSV has 66
    with pytest.raises(DeliveryError, match=r"over the .* MB email attachment limit") as caught:
        build_message(target(), ctx)
    assert caught.value.permanent
    assert "storage" in str(caught.value.hint)
    build_message(target(attach=False), ctx)  # a message without the file is fine


def test_sending_without_the_smtp_variable_is_permanent(make_ctx: MakeCtx) -> None:
    with pytest.raises(DeliveryError, match="GITCRON_SMTP_URL is not set") as caught:
        EmailChannel().deliver(target(), make_ctx())
    assert caught.value.permanent


def test_the_customer_s_locale_writes_the_subject_s_day_and_the_body_s_count(
    make_ctx: MakeCtx, artifact: Artifact
) -> None:
    from gitcron.config.customer import CustomerFile

    customer = CustomerFile(name="Müller GmbH", locale="de-DE", sender_name="Our Co für Müller")
    made = replace(artifact, title="Produkte für Müller GmbH", rows=12345)
    parsed = reparsed(build_message(target(), replace(make_ctx(art=made), customer=customer)))
    assert parsed["Subject"] == "Produkte für Müller GmbH, 23. November 2026"
    assert parsed["From"] == "Our Co für Müller <reports@ourco.example>"
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    assert "(12.345 rows)" in body.get_content()


def test_each_part_of_a_bursting_report_is_a_message_of_its_own(make_ctx: MakeCtx) -> None:
    ctx = make_ctx()
    north = replace(ctx, run=replace(ctx.run, part="north"))
    south = replace(ctx, run=replace(ctx.run, part="south"))
    ids = {build_message(target(), c)["Message-ID"] for c in (ctx, north, south)}
    assert len(ids) == 3  # one person mapped to two parts receives both
    assert (
        build_message(target(), north)["Message-ID"] == build_message(target(), north)["Message-ID"]
    )  # the same part again (a retry) is the same message
    assert north.run.delivery_id == f"{ctx.run.run_id}#part=north"


def test_an_email_without_recipients_is_refused_before_sending(make_ctx: MakeCtx) -> None:
    with pytest.raises(DeliveryError, match="the email names no one to send to") as caught:
        build_message(EmailTarget.model_validate({"subject": "Hi"}), make_ctx())
    assert caught.value.permanent
