"""The webhook channel against a real loopback receiver that verifies with `standardwebhooks`."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import itertools
import json
import threading
import time
from datetime import timedelta
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import httpx
import pytest

from channels.helpers import (
    CSV,
    FILE_NAME,
    GRANTED,
    RUN_ID,
    MakeCtx,
    delivery,
    run_info,
    schedule,
)
from channels.webserver import Receiver, Reply, certificate, serve
from gitcron.channels import registry
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.webhook.answer import MAX_RETRY_AFTER, SNIPPET, retry_after
from gitcron.channels.webhook.body import payload
from gitcron.channels.webhook.channel import WebhookChannel, post_json
from gitcron.channels.webhook.send import Wire
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.settings import Network, Settings
from gitcron.jobs.base import Artifact
from net.listener import listening

SECRET = "whsec_" + base64.b64encode(b"k" * 24 + b"gitcron!").decode()
TOKEN = "tok-9f8e7d6c5b4a"
ENV = {"HOOK_SECRET": SECRET, "HOOK_TOKEN": TOKEN}
EVENT = f'{{"type":"report.daily","id":"{RUN_ID}","data":{{"name":"Brötchen €"}}}}'
LOOPBACK = ["127.0.0.1"]


def hook_settings(allow: bool | list[str] = LOOPBACK, attempts: int = 2) -> Settings:
    return Settings.model_validate(
        {
            "datasets": {"products": {"sample": "products", "params": ["customer"]}},
            "channels": {
                "email": {"from": "reports@ourco.example"},
                "webhook": {"allow_private": allow},
                "retry": {"attempts": attempts, "initial": "1s", "within": "60s"},
            },
            "credentials": GRANTED,
        }
    )


def target(port: int, host: str = "127.0.0.1", **spec: Any) -> dict[str, Any]:
    return {
        "url": f"http://{host}:{port}/hooks",
        "secret_env": "HOOK_SECRET",
        "token_env": "HOOK_TOKEN",
        **spec,
    }


@pytest.fixture
def event() -> Artifact:
    return Artifact("event.json", "application/json", body=EVENT.encode())


@pytest.fixture
def ctx(make_ctx: MakeCtx) -> DeliveryContext:
    return make_ctx(conf=hook_settings(), env=ENV)


def run(receiver: Receiver, ctx: DeliveryContext, wire: Wire | None = None, **spec: Any) -> str:
    """Deliver ctx's artifact once, straight through the channel."""
    with serve(receiver) as port:
        chosen = WebhookTarget.model_validate(target(port, **spec))
        return WebhookChannel(wire).deliver(chosen, ctx) or ""


def failure(receiver: Receiver, ctx: DeliveryContext, **spec: Any) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        run(receiver, ctx, **spec)
    return caught.value


# --- what arrives --------------------------------------------------------------------------------


def test_an_event_arrives_byte_exact_and_signed(ctx: DeliveryContext, event: Artifact) -> None:
    receiver = Receiver(secret=SECRET)
    note = run(receiver, dataclasses.replace(ctx, artifact=event))
    [got] = receiver.received
    assert got.body == EVENT.encode()
    assert got.verified
    assert got.path == "/hooks"
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"] == RUN_ID
    assert got.headers["authorization"] == f"Bearer {TOKEN}"
    assert got.headers["user-agent"].startswith("gitcron/")
    assert note.startswith("posted to 127.0.0.1:")
    assert note.endswith("/hooks (HTTP 200)")


def test_a_report_arrives_as_multipart(ctx: DeliveryContext) -> None:
    receiver = Receiver(secret=SECRET)
    run(receiver, ctx)
    [got] = receiver.received
    assert got.verified
    head = f"Content-Type: {got.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + got.body)
    meta, file = message.iter_parts()
    assert meta.get_param("name", header="content-disposition") == "metadata"
    data = meta.get_payload(decode=True)
    assert isinstance(data, bytes)
    assert json.loads(data) == {
        "run_id": RUN_ID,
        "schedule": "customer-001/weekly-products",
        "fire": "2026-11-23T14:00:00Z",
        "name": FILE_NAME,
        "content_type": "text/csv",
        "rows": 3,
        "size": len(CSV),
        "sha256": hashlib.sha256(CSV).hexdigest(),
    }
    assert file.get_filename() == FILE_NAME
    assert file.get_content_type() == "text/csv"
    assert file.get_payload(decode=True) == CSV


def test_the_multipart_body_is_the_same_bytes_for_the_same_run(make_ctx: MakeCtx) -> None:
    first, again = payload(make_ctx()), payload(make_ctx())
    other = payload(make_ctx(run=run_info("customer-001/weekly-products@2026-11-30T14:00:00Z")))
    assert first == again
    assert first[1] != other[1]  # the boundary comes from the run id


def test_a_secretless_webhook_still_carries_its_id(ctx: DeliveryContext) -> None:
    receiver = Receiver()
    run(receiver, ctx, secret_env=None, token_env=None)
    [got] = receiver.received
    assert got.headers["webhook-id"] == RUN_ID
    assert "webhook-signature" not in got.headers
    assert "authorization" not in got.headers


def test_post_json_is_signed_with_the_message_id() -> None:
    receiver = Receiver(secret=SECRET)
    with serve(receiver) as port:
        note = post_json(
            f"http://127.0.0.1:{port}/notify",
            b'{"type":"gitcron.run.failed"}',
            "notify-1234",
            secret=SECRET,
            token=None,
            settings=hook_settings(),
            timeout=None,
        )
    [got] = receiver.received
    assert got.verified
    assert got.headers["webhook-id"] == "notify-1234"
    assert note.endswith("/notify (HTTP 200)")


# --- retries and outcomes ------------------------------------------------------------------------


def through_registry(
    receiver: Receiver,
    ctx: DeliveryContext,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
    **spec: Any,
) -> str | None:
    """registry.deliver with a clock that ticks a second per reading and sleeps recorded."""
    clock = itertools.count(int(time.time())).__next__
    monkeypatch.setitem(registry.BUILTIN, "webhook", lambda: WebhookChannel(Wire(clock=clock)))
    with serve(receiver) as port:
        item = delivery(webhook=target(port, **spec))
        return registry.deliver(item, dataclasses.replace(ctx, sleep=sleeps.append))


@pytest.mark.parametrize("status", [503, 500, 502, 504])
def test_a_busy_receiver_gets_the_same_id_and_a_fresh_timestamp_on_try_2(
    ctx: DeliveryContext, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    receiver = Receiver(Reply(status, b"try later"), Reply(), secret=SECRET)
    sleeps: list[float] = []
    note = through_registry(receiver, ctx, monkeypatch, sleeps)
    assert note is not None
    assert note.endswith("(HTTP 200) (on try 2)")
    assert len(sleeps) == 1
    first, second = receiver.received
    assert first.verified
    assert second.verified
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == RUN_ID
    assert int(second.headers["webhook-timestamp"]) > int(first.headers["webhook-timestamp"])


def test_retry_after_is_honoured(ctx: DeliveryContext, monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = Receiver(Reply(429, headers={"Retry-After": "7"}), Reply(), secret=SECRET)
    sleeps: list[float] = []
    note = through_registry(receiver, ctx, monkeypatch, sleeps)
    assert note is not None
    assert note.endswith("(on try 2)")
    assert sleeps[0] >= 7
    error = failure(Receiver(Reply(429, headers={"Retry-After": "7"})), ctx)
    assert not error.permanent
    assert error.retry_after == 7


def test_401_is_permanent_after_one_request(
    ctx: DeliveryContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = Receiver(Reply(401, b"bad signature"), secret=SECRET)
    sleeps: list[float] = []
    with pytest.raises(DeliveryError) as caught:
        through_registry(receiver, ctx, monkeypatch, sleeps)
    assert caught.value.permanent
    assert "HTTP 401 Unauthorized: bad signature" in caught.value.message
    assert "secret_env" in str(caught.value.hint)
    assert len(receiver.received) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("reply", "permanent", "words"),
    [
        pytest.param(Reply(410, b"gone"), True, "this endpoint is gone", id="410"),
        pytest.param(
            Reply(301, b"", {"Location": "https://new.example/hooks"}),
            True,
            "moved to https://new.example/hooks",
            id="redirect",
        ),
        pytest.param(Reply(403, b"no"), True, "HTTP 403 Forbidden: no", id="403"),
        pytest.param(Reply(422, b'{"error":"bad"}'), True, "422 Unprocessable", id="422"),
        pytest.param(Reply(500, b"oops"), False, "HTTP 500 Internal Server Error", id="500"),
        pytest.param(Reply(429, b""), False, "HTTP 429", id="429"),
    ],
)
def test_answers_are_classified(
    ctx: DeliveryContext, reply: Reply, permanent: bool, words: str
) -> None:
    receiver = Receiver(reply)
    error = failure(receiver, ctx)
    assert error.permanent is permanent
    assert words in error.message
    assert len(receiver.received) == 1


def test_a_long_error_body_is_cut_and_kept_on_one_line(ctx: DeliveryContext) -> None:
    error = failure(Receiver(Reply(400, b"line one\r\nline\x00two " + b"x" * 5000)), ctx)
    quoted = error.message.split(": ", 1)[1]
    assert quoted.startswith("line one line two xxx")
    assert len(quoted) == SNIPPET
    assert quoted.endswith("…")


def test_a_slow_receiver_times_out_and_is_retried_later(ctx: DeliveryContext) -> None:
    hold = threading.Event()
    receiver = Receiver(Reply(hold=hold))
    try:
        error = failure(receiver, ctx, timeout=timedelta(seconds=0.3))
    finally:
        hold.set()
    assert not error.permanent
    assert "did not answer within 0.3s" in error.message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("7", 7.0, id="seconds"),
        pytest.param("Mon, 23 Nov 2026 14:01:30 GMT", 90.0, id="http date"),
        pytest.param("Mon, 23 Nov 2026 13:00:00 GMT", 0.0, id="date in the past"),
        pytest.param("999999999", MAX_RETRY_AFTER, id="absurd"),
        pytest.param("soon", None, id="garbage"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_retry_after_header(header: str | None, expected: float | None) -> None:
    now = 1795442400.0  # 2026-11-23T14:00:00Z
    assert retry_after(header, now) == expected


# --- secrets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(401, f"bad token Bearer {TOKEN}".encode()), id="401 echoing the token"),
        pytest.param(Reply(503, f"secret was {SECRET}".encode()), id="503 echoing the secret"),
        pytest.param(Reply(302, b"", {"Location": f"https://x.example/?t={TOKEN}"}), id="moved"),
    ],
)
def test_secrets_never_appear_in_errors(ctx: DeliveryContext, reply: Reply) -> None:
    error = failure(Receiver(reply), ctx)
    for text in (error.message, str(error.hint), str(error)):
        assert TOKEN not in text
        assert SECRET not in text
        assert SECRET.removeprefix("whsec_") not in text


@pytest.mark.parametrize(
    ("env", "words"),
    [
        pytest.param({"HOOK_TOKEN": TOKEN}, "HOOK_SECRET is not set", id="secret missing"),
        pytest.param({"HOOK_SECRET": SECRET}, "HOOK_TOKEN is not set", id="token missing"),
        pytest.param(
            {**ENV, "HOOK_SECRET": "plain-password-123"}, "not a Standard Webhooks", id="no whsec_"
        ),
        pytest.param(
            {**ENV, "HOOK_SECRET": "whsec_not*base64!"}, "not a Standard Webhooks", id="not base64"
        ),
    ],
)
def test_credential_problems_are_permanent_and_send_nothing(
    make_ctx: MakeCtx, env: dict[str, str], words: str
) -> None:
    receiver = Receiver()
    error = failure(receiver, make_ctx(conf=hook_settings(), env=env))
    assert error.permanent
    assert words in error.message
    assert receiver.received == []
    assert all(v not in str(error) for v in env.values())


# --- the SSRF guard ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        pytest.param("127.0.0.1", "loopback", id="loopback"),
        pytest.param("localhost", "loopback", id="localhost"),
        pytest.param("[::1]", "loopback", id="ipv6 loopback"),
        pytest.param("169.254.169.254", "link-local", id="cloud metadata"),
        pytest.param("10.0.0.1", "private", id="private"),
        pytest.param("[::ffff:10.0.0.1]", "private", id="ipv4-mapped"),
        pytest.param("0.0.0.0", "unspecified", id="unspecified"),
        pytest.param("224.0.0.1", "multicast", id="multicast"),
        pytest.param("100.64.0.1", "non-public", id="carrier nat"),
    ],
)
def test_private_addresses_are_refused(make_ctx: MakeCtx, host: str, kind: str) -> None:
    receiver = Receiver()
    error = failure(receiver, make_ctx(conf=hook_settings(allow=False), env=ENV), host=host)
    assert error.permanent
    assert error.message.startswith("refusing to post to")
    assert f"it is a {kind}" in error.message
    assert "network.allow" in str(error.hint)
    assert receiver.received == []


def test_a_loopback_receiver_is_refused_before_connecting(make_ctx: MakeCtx) -> None:
    ctx = make_ctx(conf=hook_settings(allow=False), env=ENV)
    with listening() as listener:
        chosen = WebhookTarget.model_validate(target(listener.port))
        with pytest.raises(DeliveryError) as caught:
            WebhookChannel().deliver(chosen, ctx)
        assert not listener.reached()  # nothing connected: refused before any socket opened
    assert caught.value.permanent
    assert caught.value.message.startswith("refusing to post to 127.0.0.1: it is a loopback")


def test_network_allow_lets_a_receiver_through(make_ctx: MakeCtx) -> None:
    conf = hook_settings(allow=False).model_copy(update={"network": Network(allow=["127.0.0.0/8"])})
    receiver = Receiver(secret=SECRET)
    note = run(receiver, make_ctx(conf=conf, env=ENV))
    assert note.endswith("/hooks (HTTP 200)")
    assert len(receiver.received) == 1


def fake_dns(table: dict[str, list[str]], asked: list[str] | None = None) -> Any:
    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        if asked is not None:
            asked.append(host)
        return [(2, 1, 6, "", (address, port)) for address in table[host]]

    return resolve


@pytest.mark.parametrize(
    ("allow", "addresses", "refused"),
    [
        pytest.param(False, ["93.184.216.34"], False, id="public"),
        pytest.param(False, ["93.184.216.34", "10.1.2.3"], True, id="one private among public"),
        pytest.param(["10.0.0.0/8"], ["10.1.2.3"], False, id="allowed network"),
        pytest.param(["10.9.0.0/16"], ["10.1.2.3"], True, id="other network"),
        pytest.param(["hooks.internal"], ["10.1.2.3"], False, id="allowed host"),
        pytest.param(True, ["10.1.2.3", "127.0.0.1"], False, id="all allowed"),
    ],
)
def test_the_allow_list(allow: Any, addresses: list[str], refused: bool) -> None:
    from gitcron.channels.webhook.send import pinned_address

    resolve = fake_dns({"hooks.internal": addresses})
    if refused:
        with pytest.raises(DeliveryError, match=r"refusing to post to hooks\.internal"):
            pinned_address("hooks.internal", 443, allow, resolve)
    else:
        assert pinned_address("hooks.internal", 443, allow, resolve) == addresses[0]


def test_a_bad_allow_list_entry_is_a_permanent_error() -> None:
    from gitcron.channels.webhook.send import pinned_address

    with pytest.raises(DeliveryError, match=r"'10\.0\.0\.0/33' is neither") as caught:
        pinned_address("10.1.2.3", 443, ["10.0.0.0/33"], fake_dns({}))
    assert caught.value.permanent


def test_the_checked_address_is_the_one_connected_to(ctx: DeliveryContext) -> None:
    asked: list[str] = []
    wire = Wire(resolve=fake_dns({"hooks.example": ["127.0.0.1"]}, asked))
    receiver = Receiver(secret=SECRET)
    note = run(receiver, ctx, wire, host="hooks.example")
    [got] = receiver.received
    assert asked == ["hooks.example"]  # resolved once: no second answer to rebind to
    assert got.headers["host"].startswith("hooks.example:")
    assert got.verified
    assert note.startswith("posted to hooks.example:")


@pytest.fixture
def tls(tmp_path: Path) -> tuple[Any, Any]:
    pytest.importorskip("cryptography")
    return certificate("hooks.example", tmp_path)


def test_https_is_pinned_with_the_host_name_kept_for_tls(
    ctx: DeliveryContext, tls: tuple[Any, Any]
) -> None:
    server_tls, client_tls = tls
    resolve = fake_dns({"hooks.example": ["127.0.0.1"]})
    wire = Wire(resolve=resolve, transport=httpx.HTTPTransport(verify=client_tls))
    receiver = Receiver(secret=SECRET)
    with serve(receiver, tls=server_tls) as port:
        spec = target(port, host="hooks.example") | {"url": f"https://hooks.example:{port}/h"}
        note = WebhookChannel(wire).deliver(WebhookTarget.model_validate(spec), ctx)
    assert note == f"posted to hooks.example:{port}/h (HTTP 200)"
    assert receiver.received[0].verified


def test_a_redirect_is_never_followed(ctx: DeliveryContext) -> None:
    receiver = Receiver(Reply(307, b"", {"Location": "http://127.0.0.1:1/elsewhere"}))
    error = failure(receiver, ctx)
    assert error.permanent
    assert "update the url in the schedule" in str(error.hint)
    assert len(receiver.received) == 1


def test_the_registry_ships_the_webhook_channel() -> None:
    assert isinstance(registry.channel_for("webhook"), WebhookChannel)


def test_an_outbox_run_posts_nothing(make_ctx: MakeCtx, root: Path) -> None:
    item = delivery(webhook={"url": "https://hooks.acme.example/x"})
    ctx = make_ctx(sched=schedule({"webhook": {"url": "https://hooks.acme.example/x"}}))
    note = registry.deliver(item, dataclasses.replace(ctx, outbox=Path("out")))
    assert note == f"out/customer-001/{FILE_NAME}"


def test_a_receiver_with_another_secret_cannot_verify(ctx: DeliveryContext) -> None:
    other = "whsec_" + base64.b64encode(b"another secret, 32 bytes long!!!").decode()
    receiver = Receiver(secret=other)
    run(receiver, ctx)
    assert receiver.received[0].verified is False


# --- a whole tick --------------------------------------------------------------------------------

EVENT_RUN = "customer-004/stock-event@2026-12-07T06:00:00Z"


def tick_at_six(repo: Path, receiver: Receiver) -> Any:
    """Point the example event schedule at `receiver` and run the ticks that fire it at 06:00."""
    from datetime import UTC, datetime

    from gitcron.engine.tick import TickOptions, run_tick

    settings = repo / "gitcron.yaml"
    text = settings.read_text().replace(
        "\nchannels:\n", '\nchannels:\n  webhook:\n    allow_private: ["127.0.0.1"]\n', 1
    )
    settings.write_text(text)
    schedule_file = repo / "schedules/customer-004/stock-event.yaml"
    sleeps: list[float] = []
    options = TickOptions(env={"CUSTOMER_004_WEBHOOK_SECRET": SECRET}, sleep=sleeps.append)
    run_tick(repo, datetime(2026, 12, 7, 5, 52, tzinfo=UTC), options)
    with serve(receiver) as port:
        for changed in (schedule_file, settings):  # the address, and its credential's grant
            changed.write_text(
                changed.read_text().replace(
                    "https://hooks.customer4.example.com/gitcron",
                    f"http://127.0.0.1:{port}/gitcron",
                )
            )
        result = run_tick(repo, datetime(2026, 12, 7, 6, 7, tzinfo=UTC), options)
    return next(r for r in result.ran if r.run_id == EVENT_RUN)


def test_a_tick_delivers_the_event_after_a_503(repo: Path) -> None:
    receiver = Receiver(Reply(503), Reply(), secret=SECRET)
    record = tick_at_six(repo, receiver)
    assert record.status == "succeeded"
    [sent] = record.deliveries
    assert sent.note.endswith("/gitcron (HTTP 200) (on try 2)")
    first, second = receiver.received
    assert first.verified
    assert second.verified
    assert first.body == second.body
    assert json.loads(second.body)["id"] == EVENT_RUN
    assert second.headers["webhook-id"] == EVENT_RUN


def test_a_tick_records_a_refused_secret_as_permanent(repo: Path) -> None:
    receiver = Receiver(Reply(401, f"bad signature for {SECRET}".encode()), secret=SECRET)
    record = tick_at_six(repo, receiver)
    assert record.status == "failed"
    [sent] = record.deliveries
    assert sent.permanent
    assert "HTTP 401" in sent.error
    assert SECRET not in sent.error
    assert len(receiver.received) == 1
