"""Wall-clock to instant: the one place that owns the DST gap and overlap rules.

Every form enumerates naive local datetimes; this module turns each into the UTC instants at
which it fires, so the gap/overlap behaviour cannot drift between forms.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


def localize(
    naive: datetime, zone: ZoneInfo, fixed: bool
) -> tuple[datetime | None, tuple[datetime, ...]]:
    """Map a wall-clock reading to `(key, instants)` under the gap/overlap rules.

    `instants` are the UTC instants at which the reading fires, in order:
    - an ordinary reading fires once;
    - in an overlap (the reading happens twice) a fixed-time schedule fires at the first
      occurrence only, a `*` cron at both;
    - in a gap (the reading does not exist) a fixed-time schedule fires once at the transition
      instant (the first instant after the gap), a `*` cron not at all.
    `key` is a lower bound of the instants that never decreases as `naive` increases (the first
    occurrence, or the transition instant for a gap); it is None for a `*` cron's gap reading,
    which has no instant at all.
    """
    offset = naive.replace(tzinfo=zone, fold=0).utcoffset()
    later = naive.replace(tzinfo=zone, fold=1).utcoffset()
    assert offset is not None
    assert later is not None
    first = (naive - offset).replace(tzinfo=UTC)
    if offset == later:
        return first, (first,)
    if offset > later:  # overlap: fold=0 is the first occurrence, fold=1 the second
        if fixed:
            return first, (first,)
        return first, (first, (naive - later).replace(tzinfo=UTC))
    if not fixed:  # gap, `*` cron: the reading simply has no instant
        return None, ()
    # Gap: fold=1 reads the time with the post-transition offset, which lands before the
    # transition; fold=0 uses the pre-transition offset and lands after it.
    moment = transition_between(naive - later, naive - offset, zone)
    return moment, (moment,)


def first_instant(naive: datetime, zone: ZoneInfo) -> datetime:
    """The single instant a fixed-time reading fires at (first occurrence or gap end)."""
    key, _ = localize(naive, zone, fixed=True)
    assert key is not None
    return key


@lru_cache(maxsize=1024)
def _transition_cached(zone: ZoneInfo, low: int, high: int) -> int:
    """Smallest UTC second in (low, high] whose offset differs from the offset at `low`."""
    before = datetime.fromtimestamp(low, zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high


def transition_between(low: datetime, high: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant between two naive UTC readings of a gap, found by bisection."""
    low_s = int(low.replace(tzinfo=UTC).timestamp())
    high_s = int(high.replace(tzinfo=UTC).timestamp())
    return datetime.fromtimestamp(_transition_cached(zone, low_s, high_s), UTC)


def local_naive(instant: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock reading of an aware instant in `zone`, without tzinfo."""
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


__all__ = ["first_instant", "local_naive", "localize", "transition_between"]
