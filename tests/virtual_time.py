"""An asyncio event loop on a virtual clock, for exact tests of code that sleeps.

Whenever the loop would wait for its next timer, the clock jumps straight to it instead,
so a poller that sleeps for ten minutes of cache cycles runs in milliseconds, and every
moment it sees is exact. It must not wait on real I/O (sockets, threads): there is
nothing to jump to, and a test using one fails with a clear error instead of hanging.
"""

from __future__ import annotations

import asyncio
import selectors


class _JumpingSelector:
    """A selector that never blocks: it moves the loop's clock by the timeout instead."""

    def __init__(self, selector: selectors.BaseSelector, loop: "VirtualTimeLoop") -> None:
        self._selector = selector
        self._loop = loop

    def select(self, timeout: float | None = None):
        events = self._selector.select(0)
        if events:
            return events
        if timeout is None:
            raise RuntimeError("the virtual-time loop has nothing scheduled: it would wait forever")
        self._loop.now += max(0.0, timeout)
        return []

    def __getattr__(self, name: str):
        return getattr(self._selector, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self, start: float = 0.0) -> None:
        super().__init__()
        self.now = start
        self._selector = _JumpingSelector(self._selector, self)  # type: ignore[assignment]

    def time(self) -> float:
        return self.now


def run_virtual(main, start: float = 0.0):
    """Run ``main(loop)`` (a coroutine function) to completion on a fresh virtual-time loop."""
    loop = VirtualTimeLoop(start)
    try:
        return loop.run_until_complete(main(loop))
    finally:
        loop.close()
