"""How ``SSEClient.close()``, called from another thread, interrupts a connection that
the built-in sync transport is still opening (connecting, TLS, waiting for the head).

A sync transport is a plain callable, with no way to cancel it. So the client puts a
:class:`ConnectAttempt` in a context variable around the call, and the built-in
transport registers each socket it opens with it; ``close()`` then shuts that socket
down, which wakes whatever call is blocked on it. A transport that knows nothing of
this is interrupted when it returns. (The async client needs none of this: it cancels
the task that awaits the transport.)
"""

from __future__ import annotations

import contextlib
import socket
import threading
from contextvars import ContextVar

from typing_extensions import final


@final
class ConnectAttempt:
    """One connection being opened, which :meth:`abort` may end from another thread."""

    __slots__ = ("_aborted", "_lock", "_sock")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._aborted = False

    def track(self, sock: socket.socket) -> None:
        """Register the socket now in use; raise if the attempt was already aborted.

        Raises:
            ConnectionAbortedError: :meth:`abort` came first.
        """
        with self._lock:
            if self._aborted:
                raise ConnectionAbortedError("closed while connecting")
            self._sock = sock

    def abort(self) -> None:
        """End the attempt: a blocked connect, handshake or read fails at once."""
        with self._lock:
            self._aborted = True
            sock = self._sock
        shut_down(sock)


def shut_down(sock: object) -> None:
    """Shut ``sock`` down if it is a socket (not connected yet or already closed is
    fine): a connect, handshake or read blocked on it in another thread fails at once,
    which is the one way to interrupt one."""
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


current_attempt: ContextVar[ConnectAttempt | None] = ContextVar("sse_connect_attempt", default=None)
"""The attempt of the client calling the transport in this context, if any."""
