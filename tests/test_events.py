from __future__ import annotations

import json
import pickle
import weakref

import attrs
import pytest

from sse import SSEComment, SSEEvent


def test_defaults_match_the_seed() -> None:
    event = SSEEvent()
    assert (event.event, event.data, event.id, event.retry) == ("message", "", "", None)


def test_positional_and_keyword_construction() -> None:
    assert SSEEvent("update", "x", "7", 10) == SSEEvent(event="update", data="x", id="7", retry=10)


def test_repr_is_the_seeds() -> None:
    assert repr(SSEEvent(data="hi", id="1")) == "<SSEEvent event='message' data='hi' id='1'>"
    long = "a" * 51
    assert repr(SSEEvent(data=long)) == f"<SSEEvent event='message' data={'a' * 50 + '...'!r} id=''>"
    assert repr(SSEEvent(data="a" * 50)) == f"<SSEEvent event='message' data={'a' * 50!r} id=''>"


def test_frozen_hashable_and_picklable() -> None:
    event = SSEEvent(data="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.data = "y"  # type: ignore[misc]
    assert {event, SSEEvent(data="x")} == {event}
    assert pickle.loads(pickle.dumps(event)) == event
    assert attrs.evolve(event, data="y") == SSEEvent(data="y")


def test_json_decodes_data() -> None:
    assert SSEEvent(data='{"choices": [{"delta": {"content": "Hi"}}]}').json() == {
        "choices": [{"delta": {"content": "Hi"}}]
    }
    assert SSEEvent(data="[1, 2.5, null, true]").json() == [1, 2.5, None, True]


def test_json_raises_on_the_done_sentinel() -> None:
    with pytest.raises(json.JSONDecodeError):
        SSEEvent(data="[DONE]").json()


def test_comment() -> None:
    assert SSEComment(" ping").text == " ping"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        SSEComment("x").text = "y"  # type: ignore[misc]


def test_the_parsers_fast_construction_matches_the_constructor() -> None:
    from sse._events import EVENT_FIELDS, EventSlots
    from sse._parser import SSEParser

    assert tuple(field.name for field in attrs.fields(SSEEvent)) == EVENT_FIELDS
    # The parser fills an EventSlots and makes it an SSEEvent: that needs SSEEvent to
    # add no storage of its own, and every field to live in the shared slots.
    assert SSEEvent.__dict__["__slots__"] == ()  # SSEEvent.__slots__ would find the base's
    assert set(EventSlots.__slots__) == {*EVENT_FIELDS, "__weakref__"}
    assert SSEEvent.__basicsize__ == EventSlots.__basicsize__
    (built,) = SSEParser().feed(b"event: e\nid: 7\nretry: 9\ndata: d\n\n")
    made = SSEEvent("e", "d", "7", 9)
    assert built == made
    assert hash(built) == hash(made)
    assert repr(built) == repr(made)
    assert type(built) is SSEEvent
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.data = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(built)) == made
    assert attrs.evolve(built, data="y") == SSEEvent("e", "y", "7", 9)
    reference = weakref.ref(built)
    assert reference() is built
    del built
    assert reference() is None  # freed like any other event: nothing keeps it alive


def test_parsed_events_of_every_shape_equal_constructed_ones() -> None:
    from sse._parser import SSEParser

    stream = b"data: a\n\nevent: x\nid: 1\ndata: b\ndata: c\n\nretry: 5\ndata:\n\nid\ndata: d\n\n"
    assert SSEParser().feed(stream) == [
        SSEEvent("message", "a", "", None),
        SSEEvent("x", "b\nc", "1", None),
        SSEEvent("message", "", "1", 5),
        SSEEvent("message", "d", "", None),
    ]
