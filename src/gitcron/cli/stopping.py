"""Stopping a command between runs on SIGINT (Ctrl-C) or SIGTERM, as the tick does.

The command's handler asks the work to stop (`engine.phases.Stop`): no new run starts, the runs
in progress finish and are recorded, and the command ends with what was recorded, exiting
128 + the signal's number (130, 143). Before the first run (`Stop.started`), nothing was
written, so it stops at once. `gitcron run` (a tick or a shard) and `gitcron trigger` share it.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from gitcron.engine.phases import Stop


@contextmanager
def stoppable(stop: Stop, on: bool) -> Iterator[None]:
    """While the work runs, SIGINT and SIGTERM ask it to stop; the handlers that were there
    before come back after. Only the main thread may install handlers; elsewhere, none is. A
    signal the process was started ignoring (`nohup`, a background job) stays ignored."""
    if not on or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if not stop.started:  # loading, planning or waiting for the lock: nothing written yet
            if signum == signal.SIGINT:
                signal.default_int_handler(signum, frame)  # Ctrl-C as anywhere else
            _say(f"{signal.Signals(signum).name}: stopped before any run started; nothing ran")
            raise SystemExit(128 + signum)
        again = stop.requested
        stop.request(signum)
        _note(signum, again)

    heard = [s for s in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(s) != signal.SIG_IGN]
    before = {s: signal.signal(s, handler) for s in heard}
    try:
        yield
    finally:
        for signum, previous in before.items():
            signal.signal(signum, signal.SIG_DFL if previous is None else previous)


def _note(signum: int, again: bool) -> None:
    """Say at once that the signal was heard. Written straight to the file descriptor: the
    handler may have interrupted the main thread in the middle of a buffered write."""
    name = signal.Signals(signum).name
    if again:
        text = f"{name} again: not waiting for the runs in progress; they are not recorded"
    else:
        how = "press Ctrl-C" if signum == signal.SIGINT else f"send {name}"
        text = f"{name}: stopping; no new run starts, the runs in progress finish ({how} again"
        text += " to stop without waiting)"
    _say(text)


def _say(text: str) -> None:
    with suppress(OSError):  # no standard error to tell: the exit code still says it
        os.write(2, f"gitcron: {text}\n".encode())
