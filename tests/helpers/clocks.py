"""Clocks tests control: fixed, moved by hand, or read from the (virtual) event loop."""

from __future__ import annotations

import asyncio

EPOCH = 1_763_900_000.0  # 2025-11-23 12:13:20 UTC: a fixed "now" for deterministic data
MONO = 5000.0
"""The monotonic time at which the fixed board data arrived."""
VIRTUAL_START = 10_000.0
"""Where the virtual clock starts (any moment will do; not 0, which reads as "never")."""


class FakeClock:
    """A clock tests move by hand; callable like ``time.time``."""

    def __init__(self, now: float = EPOCH) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Clocks:
    """Wall and monotonic clocks a test moves together (3 s after the fixed data arrived)."""

    def __init__(self, offset: float = 3.0) -> None:
        self.offset = offset

    def wall(self) -> float:
        return EPOCH + self.offset

    def mono(self) -> float:
        return MONO + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class LoopClocks:
    """Wall and monotonic clocks that follow the running event loop's clock (on the
    virtual-time loop: the virtual clock), with the wall clock at :data:`EPOCH` when the
    loop's clock read ``start`` (by default :data:`VIRTUAL_START` on the virtual-time loop,
    so every instance agrees, and now on a real one). Offsets model what the loop cannot:
    NTP stepping the wall clock, a suspend moving the monotonic one."""

    def __init__(self, start: float | None = None) -> None:
        from tests.helpers.virtual_time import VirtualTimeLoop

        if start is None:
            start = VIRTUAL_START if isinstance(asyncio.get_running_loop(), VirtualTimeLoop) else self.loop_time()
        self.start = start
        self.wall_offset = 0.0
        self.mono_offset = 0.0

    @staticmethod
    def loop_time() -> float:
        return asyncio.get_running_loop().time()

    def wall(self) -> float:
        return EPOCH + self.loop_time() - self.start + self.wall_offset

    def mono(self) -> float:
        return self.loop_time() + self.mono_offset
