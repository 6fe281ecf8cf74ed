"""The exceptions of :mod:`sse`, rooted at :class:`SSEError`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from typing_extensions import final

if TYPE_CHECKING:
    from sse._events import SSEComment, SSEEvent


class SSEError(Exception):
    """Base exception for SSE errors."""


@final
class EventTooLargeError(SSEError):
    """The stream sent a line or an event larger than the parser's ``max_event_size``.

    Raised instead of buffering without bound, so that a hostile or broken server
    cannot exhaust memory. The parser is left ended; call ``reset()`` to reuse it.

    Attributes:
        limit: The ``max_event_size`` that was exceeded, in characters.
        completed: What the same call completed before the excess, in order, so that
            nothing before it is lost whatever the chunking. The sources deliver these
            before they raise.
    """

    def __init__(self, limit: int, completed: Sequence[SSEEvent | SSEComment] = ()) -> None:
        self.limit: int = limit
        self.completed: tuple[SSEEvent | SSEComment, ...] = tuple(completed)
        super().__init__(
            f"SSE event exceeds max_event_size={limit} characters "
            "(a line or the data of one event is too large)"
        )
