"""Named points where a test may kill gitcron with SIGKILL, to prove what a crash there leaves.

Only tests set `GITCRON_TEST_KILL_AT` (`point` or `point:N`, the N-th time the point is passed;
N defaults to 1). Unset, `reached` is one dictionary lookup. The points are where a tick's
guarantees change hands: before and after its claims are pushed, between its deliveries, after
them and before its outcomes are pushed, while a replay folds records (docs/commit.md), and
between storing history archives and removing their days (docs/tick.md).
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "GITCRON_TEST_KILL_AT"
POINTS = ("before-claim-push", "after-claim-push", "mid-delivery", "before-outcome-push",
          "mid-replay", "after-archive-write")  # fmt: skip

_passed: dict[str, int] = {}
_count = threading.Lock()


def reached(point: str) -> None:
    """Kill this process here if a test asked for it."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, times = wanted.partition(":")
    if name != point:
        return
    with _count:
        _passed[point] = _passed.get(point, 0) + 1
        if _passed[point] == int(times or "1"):
            os.kill(os.getpid(), signal.SIGKILL)
