"""The built-in responses' line splitter agrees with the standard's line splitting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from hypothesis import given, settings
from hypothesis import strategies as st

from spec_tests import replay
from spec_tests.reference import split_lines
from spec_tests.test_reference_model import bodies
from sse._lines import aiter_lines, iter_lines


@settings(max_examples=500, deadline=None)
@given(body=bodies, cuts=st.lists(st.integers(0, 400), max_size=20))
def test_lines_match_the_standard_under_any_chunking(body: bytes, cuts: list[int]) -> None:
    chunks = replay.at(body, [cut % (len(body) + 1) for cut in cuts])
    assert list(iter_lines(chunks)) == split_lines(body.decode("utf-8", errors="replace"))


def test_async_lines() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for chunk in (b"a\r", b"\nb\rc", b"\n\xe2\x82", b"\xac\n", b"tail"):
            yield chunk

    async def collect() -> list[str]:
        return [line async for line in aiter_lines(chunks())]

    assert asyncio.run(collect()) == ["a", "b", "c", "\u20ac"]
