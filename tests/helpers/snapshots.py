"""Snapshots taken of a settled screen, never of one caught mid-change.

``snap_compare`` (pytest-textual-snapshot) presses its keys and takes the picture after a
couple of event-loop turns. On a busy machine that can be too soon: a tab shown by a key
press mounts its tiles and lays them out over several turns, and the picture caught one
of them in between (a blank line above the queue tiles, once, on a loaded CI run). So
every snapshot test here waits, after its own preparation and key presses, until two
pictures taken in a row are the same: the clocks are fixed, so a screen that stopped
changing has settled.
"""

from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable, Iterable

from textual.pilot import Pilot

STEP = 0.02
LIMIT = 10.0
"""Seconds a screen may take to settle before the picture is taken as it is (and then
differs from the stored one, so the test says what it saw)."""


async def settled(pilot: Pilot) -> None:
    """Wait until the screen is the same in two pictures taken ``STEP`` apart."""
    await pilot.wait_for_scheduled_animations()
    previous = pilot.app.export_screenshot()
    waited = 0.0
    while waited < LIMIT:
        await pilot.pause(STEP)
        waited += STEP
        await pilot.wait_for_scheduled_animations()
        picture = pilot.app.export_screenshot()
        if picture == previous:
            return
        previous = picture


def settling(compare: Callable[..., bool]) -> Callable[..., bool]:
    """``snap_compare`` that runs ``run_before``, presses ``press``, then waits to settle."""

    def snap(app: Any, press: Iterable[str] = (), run_before: Callable[[Pilot], Awaitable[None] | None] | None = None, **options: Any) -> bool:
        keys = tuple(press)

        async def prepare(pilot: Pilot) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            await pilot.pause()
            if keys:
                await pilot.press(*keys)
            await settled(pilot)

        return compare(app, run_before=prepare, **options)

    return snap
