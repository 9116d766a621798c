"""The clock ages are measured on: monotonic, and counting while the machine sleeps."""

import sys
import time

import pytest

from wallboard.live import clock
from wallboard.live.poller import Poller
from wallboard.ui.app import WallboardApp


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux has CLOCK_BOOTTIME")
def test_linux_uses_the_clock_that_includes_suspend():
    assert clock.SOURCE == "CLOCK_BOOTTIME"
    before, boottime, after = clock.monotonic(), time.clock_gettime(time.CLOCK_BOOTTIME), clock.monotonic()
    assert before <= boottime <= after


def test_it_never_goes_back():
    readings = [clock.monotonic() for _ in range(1000)]
    assert readings == sorted(readings)


def test_the_board_and_the_poller_measure_ages_on_it():
    import inspect

    for function in (Poller.__init__, WallboardApp.__init__):
        assert inspect.signature(function).parameters["mono"].default is clock.monotonic
