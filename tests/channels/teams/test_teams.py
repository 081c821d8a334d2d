"""The `teams:` channel against a loopback Workflows webhook: cards, rate limits, refusals."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from channels.chatserver import SIG, Teams, chat_settings, serve
from channels.helpers import FILE_NAME, RUN_ID, MakeCtx, delivery
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.registry import deliver
from gitcron.channels.teams.channel import TeamsChannel
from gitcron.channels.teams.target import TeamsTarget
from gitcron.config.customer import CustomerFile
from gitcron.jobs.base import Artifact
from net.listener import listening

LINK = "https://acme-reports.s3.example/exports/products.csv?X-Amz-Signature=abc"
FLOW = "/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual"


def teams_ctx(make_ctx: MakeCtx, port: int, sig: str = SIG, **kwargs: Any) -> DeliveryContext:
    env = {"TEAMS_HOOK_URL": f"http://127.0.0.1:{port}{FLOW}&sig={sig}"}
    ctx = make_ctx(conf=chat_settings(), env=env, **kwargs)
    ctx.links.append(LINK)
    return ctx


def to_teams(ctx: DeliveryContext, **spec: Any) -> str | None:
    return TeamsChannel().deliver(
        TeamsTarget.model_validate({"webhook": "teams-hook", **spec}), ctx
    )


def failure(ctx: DeliveryContext, **spec: Any) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        to_teams(ctx, **spec)
    return caught.value


def test_a_card_with_the_link_is_posted(make_ctx: MakeCtx) -> None:
    teams = Teams()
    with serve(teams) as port:
        note = to_teams(teams_ctx(make_ctx, port), title="Products {{ run.local_date }}")
    assert note == "posted to the Teams workflow at 127.0.0.1 (HTTP 202)"
    [card] = teams.cards
    assert card["type"] == "AdaptiveCard"
    assert [block["text"] for block in card["body"]] == [
        "Products 2026-11-23",
        f"Here is {FILE_NAME} (3 rows).\n\nKind regards,\nReports",
    ]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Download", "url": LINK}]


def test_the_default_card_has_no_internal_id_and_the_run_travels_beside_it(
    make_ctx: MakeCtx, artifact: Artifact
) -> None:
    teams = Teams()
    customer = CustomerFile(name="Brightwell & Sons", locale="en-US")
    titled = replace(artifact, title="Products for Brightwell & Sons")
    with serve(teams) as port:
        ctx = replace(teams_ctx(make_ctx, port), artifact=titled, customer=customer)
        to_teams(ctx)
    [card] = teams.cards
    assert [block["text"] for block in card["body"]] == [
        "Products for Brightwell & Sons, November 23, 2026",
        f"Here is {FILE_NAME} (3 rows).\n\nKind regards,\nReports",
    ]
    [seen] = teams.seen
    assert "customer-001/" not in json.dumps(card)
    assert seen.json()["gitcron"] == {"run": RUN_ID, "schedule": "customer-001/weekly-products"}
    assert seen.headers["x-gitcron-run"] == RUN_ID


def test_an_event_is_posted_without_a_link(make_ctx: MakeCtx) -> None:
    teams = Teams()
    event = Artifact(name="stock.json", content_type="application/json", body=b'{"low": 3}')
    with serve(teams) as port:
        ctx = make_ctx(
            conf=chat_settings(),
            env={"TEAMS_HOOK_URL": f"http://127.0.0.1:{port}{FLOW}&sig={SIG}"},
            art=event,
        )
        to_teams(ctx, text="Stock is low")
    [card] = teams.cards
    assert card["body"][1]["text"] == "Stock is low"
    assert "actions" not in card


def test_a_rate_limited_flow_is_tried_again_after_retry_after(make_ctx: MakeCtx) -> None:
    teams = Teams().then(429, b'{"error":{"code":"TooManyRequests"}}', Retry_After="9")
    slept: list[float] = []
    with serve(teams) as port:
        ctx = replace(teams_ctx(make_ctx, port), sleep=slept.append)
        note = deliver(delivery(teams={"webhook": "teams-hook"}), ctx)
    assert note == "posted to the Teams workflow at 127.0.0.1 (HTTP 202) (on try 2)"
    assert slept
    assert slept[0] >= 9
    assert len(teams.cards) == 1


def test_a_wrong_signature_is_permanent_and_never_shown(make_ctx: MakeCtx) -> None:
    with serve(Teams()) as port:
        error = failure(teams_ctx(make_ctx, port, sig="stale-signature"))
    assert error.permanent
    assert error.message == (
        "the Teams workflow at 127.0.0.1 answered HTTP 401 Unauthorized:"
        " DirectApiAuthorizationRequired: The request must be authenticated only by SAS."
    )
    assert "copy the URL again" in str(error.hint)
    assert "stale-signature" not in f"{error.message} {error.hint}"


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        pytest.param(400, True, id="bad-card"),
        pytest.param(404, True, id="flow-gone"),
        pytest.param(502, False, id="gateway"),
        pytest.param(503, False, id="unavailable"),
    ],
)
def test_flow_errors_are_classified(make_ctx: MakeCtx, status: int, permanent: bool) -> None:
    body = b'{"error":{"code":"Boom","message":"said with sig=' + SIG.encode() + b'"}}'
    with serve(Teams().then(status, body)) as port:
        error = failure(teams_ctx(make_ctx, port))
    assert error.permanent is permanent
    assert error.message.startswith(f"the Teams workflow at 127.0.0.1 answered HTTP {status}")
    assert "Boom: said with sig=[redacted]" in error.message
    assert SIG not in f"{error.message} {error.hint}"


def test_a_url_outside_the_grant_is_never_posted_to(make_ctx: MakeCtx) -> None:
    conf = chat_settings(**{"teams-hook": {"to": ["prod-00.westeurope.logic.azure.com"]}})
    with listening() as listener:
        env = {"TEAMS_HOOK_URL": f"http://127.0.0.1:{listener.port}{FLOW}&sig={SIG}"}
        error = failure(make_ctx(conf=conf, env=env))
        assert not listener.reached()
    assert error.permanent
    assert "may only be sent to prod-00.westeurope.logic.azure.com" in error.message
    assert SIG not in f"{error.message} {error.hint}"
    assert "workflows" not in error.message  # the address shows its host only


def test_another_customers_credential_is_refused(make_ctx: MakeCtx) -> None:
    conf = chat_settings(**{"teams-hook": {"customers": ["acme"]}})
    error = failure(make_ctx(conf=conf, env={"TEAMS_HOOK_URL": "http://127.0.0.1:1/x"}))
    assert error.permanent
    assert "granted to the customer acme only, not to customer-001" in error.message


def test_a_dry_run_writes_the_file_and_sends_nothing(make_ctx: MakeCtx, root: Any) -> None:
    with listening() as listener:
        ctx = make_ctx(
            conf=chat_settings(),
            env={"TEAMS_HOOK_URL": f"http://127.0.0.1:{listener.port}{FLOW}&sig={SIG}"},
            outbox=root / "dry",
        )
        note = deliver(delivery(teams={"webhook": "teams-hook"}), ctx)
        assert not listener.reached()
    assert note is not None
    assert note.endswith(FILE_NAME)
