"""Channel lookup: built-ins, not-yet-shipped names, and plugins from the gitcron.channels group."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint

import pytest

from gitcron.channels import registry
from gitcron.channels.base import DeliveryError
from gitcron.channels.email.channel import EmailChannel
from gitcron.channels.outbox.channel import OutboxChannel
from gitcron.channels.outbox.target import OutboxTarget

from .helpers import FILE_NAME, MakeCtx, delivery


def point(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=registry.ENTRY_POINT_GROUP)


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EntryPoint]]:
    """The entry points `registry` sees; fill the list in the test."""
    points: list[EntryPoint] = []
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [p for p in points if p.group == group]
    )
    registry.plugins.cache_clear()
    yield points
    registry.plugins.cache_clear()


def test_builtins_need_no_plugin_lookup(installed: list[EntryPoint]) -> None:
    installed.append(point("email", "broken:Nope"))  # would clash, but is never read for built-ins
    assert isinstance(registry.channel_for("email"), EmailChannel)
    assert isinstance(registry.channel_for("outbox"), OutboxChannel)


def test_a_plugin_channel_is_loaded_by_name(installed: list[EntryPoint], make_ctx: MakeCtx) -> None:
    installed.append(point("drop", "gitcron.channels.outbox.channel:OutboxChannel"))
    channel = registry.channel_for("drop")
    assert channel.deliver(OutboxTarget(), make_ctx()) == f"outbox/customer-001/{FILE_NAME}"


@pytest.mark.parametrize(
    ("points", "message"),
    [
        pytest.param([("fax", "a:X"), ("fax", "b:Y")], "two channels are named 'fax'", id="twice"),
        pytest.param([("email", "a:X")], "two channels are named 'email'", id="built-in name"),
        pytest.param([("webhook", "a:X")], "two channels are named 'webhook'", id="later name"),
        pytest.param([("fax", "no_such_module_xyz:Fax")], "cannot be loaded", id="import fails"),
        pytest.param([("fax", "builtins:object")], "has no deliver", id="not a channel"),
        pytest.param([], "there is no channel named 'fax'", id="unknown"),
    ],
)
def test_plugin_problems_are_permanent(
    installed: list[EntryPoint], points: list[tuple[str, str]], message: str
) -> None:
    installed.extend(point(name, value) for name, value in points)
    with pytest.raises(DeliveryError, match=message) as caught:
        registry.channel_for("fax")
    assert caught.value.permanent


class Pigeon:
    """A plugin channel that can deliver without sending, and counts what it sends."""

    def __init__(self, offline: str | None) -> None:
        self.note, self.sent = offline, 0

    def offline(self, target: object, ctx: object) -> str | None:
        return self.note

    def deliver(self, target: object, ctx: object) -> str:
        self.sent += 1
        return "sent"


@pytest.mark.parametrize(("offline", "note", "sent"), [("kept", "kept", 0), (None, "sent", 1)])
def test_a_channel_may_deliver_offline_instead_of_sending(
    monkeypatch: pytest.MonkeyPatch, make_ctx: MakeCtx, offline: str | None, note: str, sent: int
) -> None:
    pigeon = Pigeon(offline)
    monkeypatch.setitem(registry.BUILTIN, "email", lambda: pigeon)
    item = delivery(email={"to": ["buyer@acme.example"]})
    assert registry.deliver(item, make_ctx()) == note
    assert pigeon.sent == sent
