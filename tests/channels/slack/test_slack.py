"""The `slack:` channel against a loopback Slack: messages, uploads, rate limits, refusals."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from channels.chatserver import BOT_TOKEN, CHANNEL, HOOK_PATH, Slack, chat_settings, serve
from channels.helpers import CSV, FILE_NAME, RUN_ID, MakeCtx, delivery
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.registry import deliver
from gitcron.channels.slack.channel import SlackChannel
from gitcron.channels.slack.target import SlackTarget
from gitcron.config.customer import CustomerFile
from gitcron.jobs.base import Artifact
from net.listener import listening

LINK = "https://acme-reports.s3.example/exports/products.csv?X-Amz-Signature=abc&X-Amz-Expires=60"


def hook_ctx(make_ctx: MakeCtx, port: int, path: str = HOOK_PATH, **grant: Any) -> DeliveryContext:
    env = {"SLACK_HOOK_URL": f"http://127.0.0.1:{port}{path}"}
    ctx = make_ctx(conf=chat_settings(**{"slack-hook": grant} if grant else {}), env=env)
    ctx.links.append(LINK)
    return ctx


def bot_ctx(make_ctx: MakeCtx, token: str = BOT_TOKEN) -> DeliveryContext:
    return make_ctx(conf=chat_settings(), env={"SLACK_BOT_TOKEN": token})


def to_slack(ctx: DeliveryContext, **spec: Any) -> str | None:
    return SlackChannel().deliver(SlackTarget.model_validate(spec), ctx)


def bot(port: int, **spec: Any) -> dict[str, Any]:
    return {"token": "slack-bot", "channel": CHANNEL, "api": f"http://127.0.0.1:{port}/api"} | spec


def failure(ctx: DeliveryContext, **spec: Any) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        to_slack(ctx, **spec)
    return caught.value


def test_an_incoming_webhook_gets_the_message_with_the_link(make_ctx: MakeCtx) -> None:
    slack = Slack()
    with serve(slack) as port:
        note = to_slack(hook_ctx(make_ctx, port), webhook="slack-hook")
    assert note == "posted to Slack (127.0.0.1)"
    [seen] = slack.seen
    text = seen.json()["text"]
    assert text.startswith(f"*{FILE_NAME}, 23 November 2026*\n")
    assert text.endswith(f"<{LINK.replace('&', '&amp;')}|Download>")
    assert seen.headers["content-type"] == "application/json; charset=utf-8"


def test_the_default_message_reads_as_the_email_and_the_run_travels_as_metadata(
    make_ctx: MakeCtx, artifact: Artifact
) -> None:
    slack = Slack()
    customer = CustomerFile(name="Brightwell & Sons", locale="de-DE")
    titled = replace(artifact, title="Products for Brightwell & Sons", rows=1234)
    with serve(slack) as port:
        ctx = replace(hook_ctx(make_ctx, port), artifact=titled, customer=customer)
        to_slack(
            replace(ctx, settings=ctx.settings.model_copy(update={"company": "Our Co"})),
            webhook="slack-hook",
        )
    [seen] = slack.seen
    sent = seen.json()
    assert sent["text"].splitlines()[:5] == [
        "*Products for Brightwell &amp; Sons, 23. November 2026*",
        f"Here is {FILE_NAME} (1.234 rows).",
        "",
        "Kind regards,",
        "Our Co",
    ]
    assert "customer-001/" not in sent["text"]
    assert "@2026" not in sent["text"]
    assert sent["metadata"] == {
        "event_type": "gitcron_delivery",
        "event_payload": {"run": RUN_ID, "schedule": "customer-001/weekly-products"},
    }
    assert seen.headers["x-gitcron-run"] == RUN_ID


def test_a_text_template_places_the_links_itself(make_ctx: MakeCtx) -> None:
    slack = Slack()
    spec = {"webhook": "slack-hook", "text": "Fresh <data> & more: {{ links[0] }}"}
    with serve(slack) as port:
        to_slack(hook_ctx(make_ctx, port), **spec)
    text = slack.seen[0].json()["text"]
    assert text.splitlines()[1] == f"Fresh &lt;data&gt; &amp; more: {LINK.replace('&', '&amp;')}"
    assert "|Download>" not in text  # placed once, by the template


def test_a_rate_limited_webhook_is_tried_again_after_retry_after(make_ctx: MakeCtx) -> None:
    slack = Slack().then(429, b"rate_limited", Retry_After="7")
    slept: list[float] = []
    with serve(slack) as port:
        ctx = replace(hook_ctx(make_ctx, port), sleep=slept.append)
        note = deliver(delivery(slack={"webhook": "slack-hook"}), ctx)
    assert note == "posted to Slack (127.0.0.1) (on try 2)"
    assert slept
    assert slept[0] >= 7
    assert len(slack.seen) == 2


@pytest.mark.parametrize(
    ("status", "body", "permanent"),
    [
        pytest.param(404, b"channel_not_found", True, id="channel-gone"),
        pytest.param(410, b"channel_is_archived", True, id="archived"),
        pytest.param(403, b"action_prohibited", True, id="prohibited"),
        pytest.param(400, b"invalid_payload", True, id="payload"),
        pytest.param(500, b"rollup_error", False, id="server"),
    ],
)
def test_webhook_errors_are_classified_and_never_show_the_url(
    make_ctx: MakeCtx, status: int, body: bytes, permanent: bool
) -> None:
    with serve(Slack().then(status, body)) as port:
        error = failure(hook_ctx(make_ctx, port), webhook="slack-hook")
    assert error.permanent is permanent
    assert f"Slack (127.0.0.1) answered HTTP {status} {body.decode()}" == error.message
    assert "s3cr3t" not in f"{error.message} {error.hint}"


def test_a_removed_webhook_says_to_make_a_new_one(make_ctx: MakeCtx) -> None:
    with serve(Slack()) as port:
        error = failure(hook_ctx(make_ctx, port, "/services/T0001/B0001/old"), webhook="slack-hook")
    assert error.permanent
    assert "no_service" in error.message
    assert "make a new incoming webhook" in str(error.hint)


def test_a_url_outside_the_grant_is_never_posted_to(make_ctx: MakeCtx) -> None:
    with listening() as listener:
        ctx = hook_ctx(make_ctx, listener.port, to=["https://hooks.slack.com/services"])
        error = failure(ctx, webhook="slack-hook")
        assert not listener.reached()
    assert error.permanent
    assert error.message == (
        "the credential 'slack-hook' may only be sent to https://hooks.slack.com/services, not to"
        f" http://127.0.0.1:{listener.port}/… (the address SLACK_HOOK_URL holds); nothing was sent"
    )
    assert "s3cr3t" not in f"{error.message} {error.hint}"


def test_a_credential_of_another_channel_is_refused(make_ctx: MakeCtx) -> None:
    ctx = make_ctx(conf=chat_settings(), env={"TEAMS_HOOK_URL": "http://127.0.0.1:1/x"})
    error = failure(ctx, webhook="teams-hook")
    assert error.permanent
    assert "granted to teams deliveries, not to Slack deliveries" in error.message


def test_an_unencrypted_address_is_refused_before_connecting(make_ctx: MakeCtx) -> None:
    ctx = make_ctx(
        conf=chat_settings(**{"slack-hook": {"to": ["hooks.slack.com"]}}),
        env={"SLACK_HOOK_URL": "http://hooks.slack.com/services/T1/B1/s3cr3t"},
    )
    ctx.links.append(LINK)
    error = failure(ctx, webhook="slack-hook")
    assert error.permanent
    assert "starts with http://" in error.message
    assert "s3cr3t" not in f"{error.message} {error.hint}"


def test_an_unset_variable_is_named(make_ctx: MakeCtx) -> None:
    error = failure(make_ctx(conf=chat_settings(), env={}), webhook="slack-hook")
    assert error.permanent
    assert error.message == (
        "SLACK_HOOK_URL is not set, so the slack message cannot be sent"
        " (the credential 'slack-hook' names it)"
    )


def test_without_a_link_the_message_waits_for_the_storage_delivery(make_ctx: MakeCtx) -> None:
    with listening() as listener:
        ctx = make_ctx(
            conf=chat_settings(),
            env={"SLACK_HOOK_URL": f"http://127.0.0.1:{listener.port}{HOOK_PATH}"},
        )
        error = failure(ctx, webhook="slack-hook")
        assert not listener.reached()
    assert not error.permanent
    assert "no storage delivery listed before it made one" in error.message


def test_a_bot_uploads_the_file_to_the_channel(make_ctx: MakeCtx) -> None:
    slack = Slack()
    with serve(slack) as port:
        note = to_slack(bot_ctx(make_ctx), **bot(port, text="Products for {{ run.local_date }}"))
    assert note == f"uploaded {FILE_NAME} to Slack channel {CHANNEL} (file F00000001)"
    assert slack.uploads["F00000001"] == (FILE_NAME, len(CSV), CSV)
    [shared] = slack.shared
    assert shared["channel_id"] == CHANNEL
    assert shared["initial_comment"] == "Products for 2026-11-23"
    assert shared["files"] == [{"id": "F00000001", "title": f"{FILE_NAME}, 23 November 2026"}]
    upload = next(s for s in slack.seen if s.path.startswith("/upload/"))
    assert "authorization" not in upload.headers  # the token goes to the Web API only


@pytest.mark.parametrize(
    ("token", "spec", "error_code", "hint"),
    [
        pytest.param("xoxb-revoked", {}, "invalid_auth", "refused the bot token", id="token"),
        pytest.param(
            BOT_TOKEN, {"channel": "C9999999999"}, "channel_not_found", "/invite", id="channel"
        ),
    ],
)
def test_web_api_refusals_are_permanent(
    make_ctx: MakeCtx, token: str, spec: dict[str, str], error_code: str, hint: str
) -> None:
    with serve(Slack()) as port:
        error = failure(bot_ctx(make_ctx, token), **bot(port, **spec))
    assert error.permanent
    assert error.message.endswith(f"answered {error_code}")
    assert hint in str(error.hint)
    assert token not in f"{error.message} {error.hint}"


def test_a_rate_limited_api_call_asks_for_its_pause(make_ctx: MakeCtx) -> None:
    slack = Slack().then(429, b'{"ok":false,"error":"ratelimited"}', Retry_After="30")
    with serve(slack) as port:
        error = failure(bot_ctx(make_ctx), **bot(port))
    assert not error.permanent
    assert error.retry_after == 30
    assert error.message == "Slack's files.getUploadURLExternal answered HTTP 429 Too Many Requests"


def test_slack_internal_errors_in_a_200_are_retried(make_ctx: MakeCtx) -> None:
    slack = Slack().then(200, b'{"ok":false,"error":"internal_error"}', RateLimit_Reset="12")
    slept: list[float] = []
    with serve(slack) as port:
        ctx = replace(bot_ctx(make_ctx), sleep=slept.append)
        note = deliver(delivery(slack=bot(port)), ctx)
    assert note is not None
    assert note.endswith("(on try 2)")
    assert slept
    assert slept[0] >= 12
    assert len(slack.shared) == 1


def test_the_token_goes_only_where_its_grant_says(make_ctx: MakeCtx) -> None:
    conf = chat_settings(**{"slack-bot": {"to": ["https://slack.com/api"]}})
    with listening() as listener:
        ctx = make_ctx(conf=conf, env={"SLACK_BOT_TOKEN": BOT_TOKEN})
        error = failure(ctx, **bot(listener.port))
        assert not listener.reached()
    assert error.permanent
    assert "may only be sent to https://slack.com/api" in error.message
