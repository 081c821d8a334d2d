"""In-tick retries: transient errors are tried again with bounded waits, permanent ones never."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.retrying import with_retries
from gitcron.config.settings import Settings


def context(make_ctx, retry: dict[str, object]) -> tuple[DeliveryContext, list[float]]:
    slept: list[float] = []
    conf = Settings.model_validate(
        {
            "datasets": {"products": {"sample": "products", "params": ["customer"]}},
            "channels": {"retry": retry},
        }
    )
    return replace(make_ctx(conf=conf), sleep=slept.append), slept


def failing(*errors: DeliveryError):
    queue = list(errors)
    calls: list[int] = []

    def call() -> str:
        calls.append(1)
        if queue:
            raise queue.pop(0)
        return "arrived"

    return call, calls


def test_a_transient_error_is_tried_again_after_a_jittered_wait(make_ctx) -> None:
    ctx, slept = context(make_ctx, {"attempts": 2, "initial": "2s", "within": "1m"})
    call, calls = failing(DeliveryError("503"))
    assert with_retries(call, ctx) == ("arrived", 2)
    assert len(calls) == 2
    assert len(slept) == 1
    assert 0 <= slept[0] <= 2  # full jitter: anywhere up to the first bound


def test_a_permanent_error_is_never_retried(make_ctx) -> None:
    ctx, slept = context(make_ctx, {"attempts": 5})
    call, calls = failing(DeliveryError("401", permanent=True))
    with pytest.raises(DeliveryError, match=r"^401$"):
        with_retries(call, ctx)
    assert (len(calls), slept) == (1, [])


def test_retry_after_is_honoured_within_the_budget(make_ctx) -> None:
    ctx, slept = context(make_ctx, {"attempts": 3, "initial": "1s", "within": "1m"})
    call, _ = failing(DeliveryError("429", retry_after=30))
    assert with_retries(call, ctx) == ("arrived", 2)
    assert slept == [30]


def test_a_wait_beyond_the_budget_is_left_to_a_later_tick(make_ctx) -> None:
    ctx, slept = context(make_ctx, {"attempts": 3, "within": "1m"})
    call, calls = failing(DeliveryError("503", retry_after=3600))
    with pytest.raises(DeliveryError, match="503"):
        with_retries(call, ctx)
    assert (len(calls), slept) == (1, [])


def test_attempts_bound_the_tries_and_the_error_says_how_many(make_ctx) -> None:
    ctx, slept = context(make_ctx, {"attempts": 2, "initial": "1s"})
    call, calls = failing(*(DeliveryError("timed out") for _ in range(5)))
    with pytest.raises(DeliveryError, match=r"^timed out \(after 3 tries\)$"):
        with_retries(call, ctx)
    assert len(calls) == 3
    assert len(slept) == 2


def test_no_attempts_means_one_try(make_ctx) -> None:
    ctx, _ = context(make_ctx, {"attempts": 0})
    call, calls = failing(DeliveryError("503"))
    with pytest.raises(DeliveryError, match=r"^503$"):
        with_retries(call, ctx)
    assert len(calls) == 1
