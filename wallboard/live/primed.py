"""A source whose first answers were asked for before the board was built.

Starting the board means importing Textual and building the screens (about half a
second), while the first answers mean a round trip to 8x8 and, for a large tenant, the
server's own time to produce a few megabytes (another half second). The two do not
depend on each other, so ``wallboard run`` asks for both feeds first
(:meth:`PrimedSource.asking`) and builds the board while they are in flight; the poller's
first request of each feed then takes the answer already on its way instead of asking
again. Every later request goes to the client itself, and anything the poller or the
board asks of the source other than the two feeds is the client's.

An answer nobody took (the board failed to start) is dropped by :meth:`discard`, its
error with it: it was never shown, so it must not be printed at exit either.
"""

from __future__ import annotations

import asyncio
from typing import Any

from wallboard.live.poller import FEEDS, Source


class PrimedSource:
    """``source``, with the first answer of each feed already asked for."""

    def __init__(self, source: Source, first: dict[str, asyncio.Future]) -> None:
        self.source = source
        self._first = first

    @classmethod
    def asking(cls, source: Source) -> "PrimedSource":
        """Ask ``source`` for both feeds now (call it inside the running loop)."""
        return cls(source, {name: asyncio.ensure_future(getattr(source, name)()) for name in FEEDS})

    async def agents(self):
        return await self._take("agents")

    async def queues(self):
        return await self._take("queues")

    async def _take(self, name: str):
        early = self._first.pop(name, None)
        if early is None:
            return await getattr(self.source, name)()
        return await early

    def discard(self) -> None:
        """Drop the answers nobody took (cancelled if still in flight, errors unseen)."""
        for early in self._first.values():
            if early.done():
                if not early.cancelled():
                    early.exception()  # retrieved: no "exception was never retrieved" at exit
            else:
                early.cancel()
        self._first.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)
