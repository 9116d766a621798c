"""The clock the board measures ages on: monotonic, and still running while the machine sleeps.

``time.monotonic`` never jumps with NTP or a clock set by hand, but on Linux and macOS it
stops while the machine is suspended. A board on a laptop that slept for eight hours
would then call its data a few seconds old after waking, and keep ticking agents' times
in state from where they were. The board would look live while showing last night.

So where the platform has one, ages are measured on a monotonic clock that includes
suspended time: ``CLOCK_BOOTTIME`` on Linux, ``CLOCK_MONOTONIC`` on macOS (which, unlike
Python's ``time.monotonic`` there, keeps counting during sleep). Elsewhere it is
``time.monotonic``. Only differences of this clock mean anything.
"""

from __future__ import annotations

import sys
import time
from typing import Callable


def _choose() -> tuple[str, Callable[[], float]]:
    if sys.platform.startswith("linux") and hasattr(time, "CLOCK_BOOTTIME"):
        boottime = time.CLOCK_BOOTTIME
        try:
            time.clock_gettime(boottime)
        except OSError:  # a kernel or sandbox without it
            pass
        else:
            return "CLOCK_BOOTTIME", lambda: time.clock_gettime(boottime)
    if sys.platform == "darwin" and hasattr(time, "CLOCK_MONOTONIC"):
        monotonic = time.CLOCK_MONOTONIC
        return "CLOCK_MONOTONIC", lambda: time.clock_gettime(monotonic)
    return "time.monotonic", time.monotonic


SOURCE, monotonic = _choose()
"""``SOURCE`` names the clock in use; ``monotonic()`` reads it, in seconds."""
