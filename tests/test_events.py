from __future__ import annotations

import json
import pickle

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
    from sse._events import EVENT_FIELDS
    from sse._parser import SSEParser

    assert tuple(field.name for field in attrs.fields(SSEEvent)) == EVENT_FIELDS
    (built,) = SSEParser().feed(b"event: e\nid: 7\nretry: 9\ndata: d\n\n")
    made = SSEEvent("e", "d", "7", 9)
    assert built == made
    assert hash(built) == hash(made)
    assert repr(built) == repr(made)
    assert type(built) is SSEEvent
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.data = "x"  # type: ignore[misc]
