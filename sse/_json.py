"""JSON values, typed: the one place where the standard library's ``Any`` is narrowed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeAlias, cast

JSONValue: TypeAlias = dict[str, "JSONValue"] | list["JSONValue"] | str | int | float | bool | None
"""What :meth:`sse.SSEEvent.json` returns: any value a JSON document can hold."""

# json.loads is typed as returning Any; a document can only hold a JSONValue.
loads = cast("Callable[[str], JSONValue]", json.loads)
