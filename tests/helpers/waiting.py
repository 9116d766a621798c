"""Waiting for the app: on events, never on the machine's pace.

:func:`until` pauses the app until a condition holds, on the event loop's own clock. On
the virtual-time loop (tests marked ``virtual_time``) that clock is virtual, so the wait
is exact and a ``timeout`` is a real assertion about the board ("within 3 s of board
time"). On a real loop the timeout only guards against a hang: make it long, so a busy
machine is slow, never wrong.
"""

from __future__ import annotations

import asyncio
from typing import Callable

HANG = 60.0
"""The default timeout: long, so that on a real loop only a hang reaches it."""


async def until(pilot, condition: Callable[[], object], timeout: float = HANG, what: str = "", app=None, step: float = 0.05) -> float:
    """Pause the app in steps of ``step`` seconds until ``condition()`` holds; return the
    seconds it took on the loop's clock. Fails (saying what it waited for, and the
    board's header and banner when ``app`` is given) after ``timeout`` seconds. With
    ``pilot`` None (no app), it sleeps instead of pausing an app."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not condition():
        if loop.time() - started > timeout:
            raise AssertionError(f"waited {timeout:g}s for {what or condition}{_describe(app)}")
        await (pilot.pause(step) if pilot is not None else asyncio.sleep(step))
    return loop.time() - started


def _describe(app) -> str:
    if app is None:
        return ""
    from tests.helpers.board import banner, header

    try:
        return f"\n screen: {type(app.screen).__name__}\n header: {header(app)!r}\n banner: {banner(app)!r}"
    except Exception as error:  # the board may be gone: say what we can
        return f"\n screen: ({type(error).__name__})"
