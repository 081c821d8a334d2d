"""The webhook's credentials at send time: named by gitcron.yaml, checked on the address sent to."""

from __future__ import annotations

from typing import Any

import pytest

from channels.helpers import GRANTED, MakeCtx, settings
from channels.webhook.test_webhook import ENV, SECRET, TOKEN
from channels.webserver import Receiver, serve
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.webhook.channel import WebhookChannel
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.settings import Settings
from net.listener import listening


def granting(**grant: Any) -> Settings:
    """The channel tests' settings, with hook-secret granted as given instead."""
    changed = {**GRANTED, "hook-secret": {**GRANTED["hook-secret"], **grant}}
    return settings().model_copy(
        update={"credentials": Settings.model_validate({"credentials": changed}).credentials}
    )


def deliver(url: str, ctx: DeliveryContext, **spec: Any) -> str | None:
    return WebhookChannel().deliver(WebhookTarget.model_validate({"url": url, **spec}), ctx)


def test_credentials_named_by_gitcron_yaml_sign_and_authorise(make_ctx: MakeCtx) -> None:
    receiver = Receiver(secret=SECRET)
    with serve(receiver) as port:
        url = f"http://127.0.0.1:{port}/hooks"
        deliver(url, make_ctx(env=ENV), secret="hook-secret", token="hook-token")
    [got] = receiver.received
    assert got.verified
    assert got.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("grant", "words"),
    [
        pytest.param({"to": ["https://hooks.acme.example/"]}, "may only be sent to", id="address"),
        pytest.param({"to": ["http://127.0.0.1:1/hooks"]}, "may only be sent to", id="port"),
        pytest.param({"customers": ["acme"]}, "not to customer-001", id="customer"),
        pytest.param({"for": "sftp"}, "granted to sftp deliveries", id="channel"),
    ],
)
def test_outside_its_grant_nothing_connects(
    make_ctx: MakeCtx, grant: dict[str, Any], words: str
) -> None:
    ctx = make_ctx(conf=granting(**grant), env=ENV)
    with listening() as listener:
        url = f"http://127.0.0.1:{listener.port}/hooks"
        with pytest.raises(DeliveryError) as caught:
            deliver(url, ctx, secret="hook-secret")
        assert not listener.reached()
    assert caught.value.permanent
    assert "the credential 'hook-secret'" in caught.value.message
    assert words in caught.value.message
    assert caught.value.message.endswith("; nothing was sent")
    assert SECRET not in f"{caught.value} {caught.value.hint}"


def test_the_host_checked_is_the_one_connected_to(make_ctx: MakeCtx) -> None:
    """`hooks.example@127.0.0.1` goes to 127.0.0.1, whatever the text starts with."""
    ctx = make_ctx(conf=granting(to=["hooks.example"]), env=ENV)
    with listening() as listener:
        url = f"http://hooks.example@127.0.0.1:{listener.port}/hooks"
        with pytest.raises(DeliveryError, match=r"not to http://127\.0\.0\.1:"):
            deliver(url, ctx, secret="hook-secret")
        assert not listener.reached()


def test_an_older_env_key_needs_its_grant_too(make_ctx: MakeCtx) -> None:
    ctx = make_ctx(conf=settings().model_copy(update={"credentials": {}}), env=ENV)
    with listening() as listener:
        with pytest.raises(DeliveryError) as caught:
            deliver(f"http://127.0.0.1:{listener.port}/hooks", ctx, secret_env="HOOK_SECRET")
        assert not listener.reached()
    assert caught.value.message == (
        "HOOK_SECRET is not granted in gitcron.yaml, so this webhook cannot use it;"
        " nothing was sent"
    )
    assert "hook-secret: { env: HOOK_SECRET, for: webhook, to: [" in str(caught.value.hint)


def test_an_unset_credential_names_its_variable(make_ctx: MakeCtx) -> None:
    with listening() as listener:
        with pytest.raises(DeliveryError) as caught:
            deliver(f"http://127.0.0.1:{listener.port}/h", make_ctx(env={}), token="hook-token")
        assert not listener.reached()
    assert caught.value.message == (
        "HOOK_TOKEN is not set, so the webhook cannot be sent"
        " (the credential 'hook-token' names it)"
    )
