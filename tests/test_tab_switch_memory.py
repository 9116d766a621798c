"""Switching tabs must not leave anything behind: a TV board rotates its tabs for days.

Textual's ``Footer`` kept every key widget it ever made (Textualize/textual#6666), about
0.2 MB a switch; the board now draws its key hints itself
(:class:`~wallboard.ui.widgets.key_hints.KeyHints`). This test makes 500 switches through
all three tabs, the way the number keys and the TV rotation do, and measures the
process's resident memory after a collection (and, with glibc, after handing freed
memory back to the system): what a person watching the box would see grow.
``tracemalloc`` would be exact but slows the board fivefold; a leak of the old size
shows here as a hundred MB.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from pathlib import Path

import pytest

from tests.helpers.board import make_app
from tests.helpers.data import fixed_snapshot
from wallboard.ui.widgets.key_hints import KeyHints

SWITCHES = 500
WARM_UP = 30
GROWTH_LIMIT = 5 * 1024 * 1024
STATM = Path("/proc/self/statm")

pytestmark = [pytest.mark.skipif(not STATM.exists(), reason="reads the resident size from /proc"), pytest.mark.virtual_time]


def _trim() -> None:
    """Give freed heap back to the system where the C library can (glibc)."""
    name = ctypes.util.find_library("c")
    if name:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
        if trim is not None:
            trim(0)


def resident() -> int:
    gc.collect()
    _trim()
    pages = int(STATM.read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


async def test_500_tab_switches_leave_memory_flat():
    app = make_app(snapshot=fixed_snapshot(agents=8, queues=2))
    app.animation_level = "none"  # the tab underline's slide is not what is measured
    tabs = ("queues", "historical", "agents")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        async def switch(count: int) -> None:
            for index in range(count):
                app.board.action_show_tab(tabs[index % len(tabs)])
                await pilot.pause(0)

        await switch(WARM_UP)  # the Historical pane is made once; caches fill
        before = resident()
        await switch(SWITCHES)
        growth = resident() - before
        assert app.board.tabs.active in tabs
        hints = app.board.query_one(KeyHints)
        assert hints.hints, "the key hints are still drawn"
    print(f"\n{SWITCHES} tab switches: resident memory grew by {growth / 1024 / 1024:.2f} MiB")
    assert growth < GROWTH_LIMIT, f"{SWITCHES} tab switches grew the board by {growth / 1024 / 1024:.1f} MiB"
