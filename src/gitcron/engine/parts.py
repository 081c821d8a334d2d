"""Delivering a bursting report: each part to each target is a delivery of its own.

A part's delivery is recorded under its target's key and the part's value
(`email:parts#north`), so a retry re-sends only the parts that failed, and it carries the part
in its idempotency id (`RunInfo.delivery_id`). An email goes to the part's own recipients only;
a part whose data named an address outside `burst.allow`, or that has no one to go to, is
refused for email (recorded failed, permanently, and sent to no one) while the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from gitcron.catalog.view import target_key
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.registry import deliver
from gitcron.config.burst import Burst
from gitcron.core.artifact import Part
from gitcron.core.redact import Redactor
from gitcron.state import Delivery

if TYPE_CHECKING:  # the model itself is only built where a file is read
    from gitcron.schedule import Delivery as Item

PartContext = Callable[[Part], DeliveryContext]  # one part's delivery context


def part_key(key: str, value: str) -> str:
    """How records name one part's delivery to one target: `email:parts#north`."""
    return f"{key}#{value}"


def attempt(key: str, item: Item, ctx: DeliveryContext, redact: Redactor) -> Delivery:
    """Deliver to one target; what happened, as its record says it (never raises)."""
    try:
        note = deliver(item, ctx)
    except DeliveryError as error:
        return Delivery(key, "failed", redact(str(error)), permanent=error.permanent)
    except Exception as error:  # a channel bug fails this delivery only
        return Delivery(key, "failed", redact(f"internal error: {type(error).__name__}: {error}"))
    return Delivery(key, "succeeded", note=redact(note) if note else None)


def part_deliveries(
    items: Sequence[Item],
    burst: Burst,
    parts: Sequence[Part],
    context: PartContext,
    wanted: Collection[str],
    redact: Redactor,
    passed: str,
) -> list[Delivery]:
    """Every part to every target, part by part (a part's storage links go to its own email).
    `wanted` holds whole targets (every part) or parts of targets, as a retry lists them."""
    keys = [target_key(item.channel, item.target()) for item in items]
    done: list[Delivery] = []
    for part in parts:
        sending = _sending(items, keys, part.value, wanted)
        ctx = context(part)
        for item, key, send in zip(items, keys, sending, strict=True):
            own = part_key(key, part.value)
            if not send:
                done.append(Delivery(own, "skipped", note=passed))
            elif item.email is not None:
                done.append(_email(own, item, part, burst, ctx, redact))
            else:
                done.append(attempt(own, item, ctx, redact))
    return done


def _sending(
    items: Sequence[Item], keys: list[str], value: str, wanted: Collection[str]
) -> list[bool]:
    """Which targets this part goes to: those wanted, and the link-making storage before a
    wanted target that carries links (as the executor does for whole files)."""
    send = [key in wanted or part_key(key, value) in wanted for key in keys]
    for index, item in enumerate(items):
        if item.needs_links and send[index]:
            for before, earlier in enumerate(items[:index]):
                if earlier.storage is not None and earlier.storage.link_expires is not None:
                    send[before] = True
    return send


def _email(
    key: str, item: Item, part: Part, burst: Burst, ctx: DeliveryContext, redact: Redactor
) -> Delivery:
    """The part by email to its recipients only; refused when its data named someone else."""
    if part.refused:
        listed = ", ".join(part.refused)
        return Delivery(
            key,
            "failed",
            redact(
                f"part {part.value}: {listed} (from the column {burst.to_column}) is not in"
                " burst.allow, so this part was sent to no one; fix the data, or add the address"
                " or its domain to burst.allow in the schedule, then gitcron resend the run"
            ),
            permanent=True,
        )
    if not part.recipients:
        return Delivery(
            key,
            "failed",
            redact(
                f"part {part.value}: no one to send it to (burst.to has no '{part.value}' and"
                " its rows give no allowed address); add it under burst.to in the schedule"
            ),
            permanent=True,
        )
    assert item.email is not None
    email = item.email.model_copy(update={"to": list(part.recipients)})
    return attempt(key, item.model_copy(update={"email": email}), ctx, redact)
