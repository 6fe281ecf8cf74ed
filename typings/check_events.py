"""Typing cases for events. Type-checked, never run."""

from __future__ import annotations

from typing_extensions import assert_type

from sse import JSONValue, SSEComment, SSEEvent

event = SSEEvent(data="x")
assert_type(event.event, str)
assert_type(event.data, str)
assert_type(event.id, str)
assert_type(event.retry, int | None)
assert_type(event.json(), JSONValue)
assert_type(SSEComment("ping").text, str)

value = event.json()
if isinstance(value, dict):
    member: JSONValue = value["key"]
    keys: list[str] = list(value)

# -- must be rejected --------------------------------------------------------------
event.data = "y"  # type: ignore[misc]
SSEEvent(data=1)  # type: ignore[arg-type]
SSEEvent(retry="5")  # type: ignore[arg-type]
SSEEvent(typ="x")  # type: ignore[call-arg]
SSEComment()  # type: ignore[call-arg]


class Louder(SSEEvent):  # type: ignore[misc]
    pass
