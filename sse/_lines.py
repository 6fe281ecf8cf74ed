"""A sans-IO line splitter for the built-in responses' ``iter_lines()`` / ``aiter_lines()``.

It decodes and splits exactly as the parser does (UTF-8 with replacement; CRLF, LF and
CR, a CR ending a chunk ending its line at once), for callers who want lines rather
than events. The clients never use it: they feed raw bytes to the parser.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from typing_extensions import final

_LINE_END = re.compile("\r\n|\r|\n")


@final
class LineSplitter:
    __slots__ = ("_after_cr", "_decode", "_pending")

    def __init__(self) -> None:
        self._decode = codecs.getincrementaldecoder("utf-8")("replace").decode
        self._pending: list[str] = []
        self._after_cr = False

    def feed(self, data: bytes) -> list[str]:
        """The lines that ``data`` completes."""
        text = self._decode(data)
        if not text:  # nothing decoded: whatever came before still holds
            return []
        if self._after_cr and text[0] == "\n":
            text = text[1:]  # the rest of a CRLF whose CR ended the last chunk
        self._after_cr = text[-1:] == "\r"
        if not text:
            return []
        if "\r" not in text and "\n" not in text:
            self._pending.append(text)
            return []
        lines = _LINE_END.split(text)
        if self._pending:
            self._pending.append(lines[0])
            lines[0] = "".join(self._pending)
            self._pending = []
        tail = lines.pop()
        if tail:
            self._pending.append(tail)
        return lines


def iter_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    splitter = LineSplitter()
    for chunk in chunks:
        yield from splitter.feed(chunk)


async def aiter_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    splitter = LineSplitter()
    async for chunk in chunks:
        for line in splitter.feed(chunk):
            yield line
