"""Retries inside one tick: transient delivery errors tried again after a full-jitter wait.

The waits are bounded by `channels.retry` in gitcron.yaml. A receiver asking for a longer pause
(Retry-After) than the budget allows gets it from a later tick instead: the run's record says
`failed`, the schedule's `retry:` takes over, and nothing sleeps through a tick.

tenacity is imported when a delivery is first tried: a tick with nothing due never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from gitcron.channels.base import DeliveryContext, DeliveryError

if TYPE_CHECKING:
    from tenacity import RetryCallState

T = TypeVar("T")


def transient(error: BaseException) -> bool:
    """Worth another try in this tick: a delivery error not marked permanent."""
    return isinstance(error, DeliveryError) and not error.permanent


def with_retries(call: Callable[[], T], ctx: DeliveryContext) -> tuple[T, int]:
    """`call()`'s result and how many tries it took; the last error when every try failed."""
    from tenacity import Retrying, retry_if_exception, wait_random_exponential

    policy = ctx.settings.channels.retry
    budget = policy.within.total_seconds()
    jitter = wait_random_exponential(multiplier=policy.initial.total_seconds(), max=budget)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = getattr(error, "retry_after", None) or 0.0
        return max(float(jitter(state)), float(asked))

    def stop(state: RetryCallState) -> bool:
        over_budget = state.idle_for + (state.upcoming_sleep or 0.0) > budget
        return state.attempt_number > policy.attempts or over_budget

    retrying = Retrying(
        retry=retry_if_exception(transient),
        wait=wait,
        stop=stop,
        sleep=ctx.sleep,
        reraise=True,
    )
    tries = 0

    def counted() -> T:
        nonlocal tries
        tries += 1
        return call()

    try:
        return retrying(counted), tries
    except DeliveryError as error:
        if tries > 1:
            error.message = f"{error.message} (after {tries} tries)"
        raise
