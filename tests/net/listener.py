"""A real socket listening on 127.0.0.1 that tells whether anything connected to it.

A refused delivery must never reach it: `reached()` checks with select, after the attempt, that
no connection is waiting to be accepted. With `hang_up=True` it accepts and closes every
connection at once (so a client allowed through fails fast) and counts them.
"""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Listener:
    def __init__(self, server: socket.socket, hang_up: bool) -> None:
        self.server = server
        self.port = int(server.getsockname()[1])
        self.accepted = 0
        self._hang_up = hang_up

    def reached(self, wait: float = 0.2) -> bool:
        """Whether a connection arrived: accepted and hung up, or waiting to be accepted."""
        if self._hang_up:
            return self.accepted > 0
        ready, _, _ = select.select([self.server], [], [], wait)
        return bool(ready)

    def serve(self, stop: threading.Event) -> None:
        while not stop.is_set():
            ready, _, _ = select.select([self.server], [], [], 0.05)
            if ready:
                connection, _ = self.server.accept()
                self.accepted += 1  # counted before the client can see the hang-up
                connection.close()


@contextmanager
def listening(hang_up: bool = False) -> Iterator[Listener]:
    """A Listener on a free loopback port; closed at the end."""
    with socket.create_server(("127.0.0.1", 0), backlog=8) as server:
        listener = Listener(server, hang_up)
        stop = threading.Event()
        thread = threading.Thread(target=listener.serve, args=(stop,), daemon=True)
        if hang_up:
            thread.start()
        try:
            yield listener
        finally:
            stop.set()
            if hang_up:
                thread.join()
