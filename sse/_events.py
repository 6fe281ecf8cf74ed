"""The values the parser produces: frozen, final, cheap to build."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeAlias, cast

import attrs
from typing_extensions import final, override

from sse._json import JSONValue, loads

_REPR_DATA_LIMIT = 50


@final
@attrs.frozen(repr=False)
class SSEEvent:
    """One dispatched Server-Sent Event.

    Attributes:
        event: The event type: the last ``event:`` field of the block, or ``"message"``
            when there was none or it was empty.
        data: The payload. Several ``data:`` lines are joined with ``"\\n"``.
        id: The last event ID at the moment of dispatch (the spec's ``lastEventId``): the
            most recent ``id:`` field of this stream, from this block or an earlier one,
            until the server changes or empties it.
        retry: The reconnection time in milliseconds set by a valid ``retry:`` field of
            this event's block, or ``None`` when the block had none.
    """

    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None

    @override
    def __repr__(self) -> str:
        data = self.data[:_REPR_DATA_LIMIT] + "..." if len(self.data) > _REPR_DATA_LIMIT else self.data
        return f"<SSEEvent event={self.event!r} data={data!r} id={self.id!r}>"

    def json(self) -> JSONValue:
        """Decode :attr:`data` as JSON.

        Raises:
            json.JSONDecodeError: ``data`` is not a JSON document (for example the
                ``[DONE]`` sentinel that ends OpenAI-style token streams).
        """
        return loads(self.data)


@final
@attrs.frozen()
class SSEComment:
    """A comment line (one starting with ``:``), delivered only to callers who ask for comments.

    Servers send comments as heartbeats to keep idle connections open.

    Attributes:
        text: The line after its leading colon, unchanged: ``": ping"`` gives ``" ping"``.
    """

    text: str


EVENT_FIELDS = ("event", "data", "id", "retry")
"""SSEEvent's fields in order (a test holds this to ``attrs.fields``)."""

_SlotSetter: TypeAlias = Callable[[SSEEvent, "str | int | None"], None]


def build_event_factory() -> tuple[
    Callable[[type[SSEEvent]], SSEEvent], _SlotSetter, _SlotSetter, _SlotSetter, _SlotSetter
]:
    """``object.__new__`` and the setters of SSEEvent's slots, in field order.

    The parser builds events with them instead of calling ``SSEEvent(...)``: the
    result is the same frozen instance (no field has a default factory, validator or
    converter), at three quarters of the cost of the ``__init__`` that attrs writes.
    """
    slots = cast("Mapping[str, _SlotDescriptor]", SSEEvent.__dict__)
    event, data, id_, retry = (slots[name].__set__ for name in EVENT_FIELDS)
    return object.__new__, event, data, id_, retry


class _SlotDescriptor(Protocol):
    def __set__(self, instance: SSEEvent, value: str | int | None, /) -> None: ...
