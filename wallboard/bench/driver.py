"""A terminal driver for measurements: renders every frame as a real terminal would, counts bytes.

Textual's headless driver skips turning frames into escape sequences; this one reports
itself as a terminal, so the app does all the work of a real session, and the bytes it
would have sent are counted instead of written.
"""

from __future__ import annotations

from typing import Callable

from textual.drivers.headless_driver import HeadlessDriver


class CountingDriver(HeadlessDriver):
    """Counts frames and UTF-8 bytes; ``on_write(nbytes)`` hears of each frame."""

    on_write: Callable[[int], None] | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bytes = 0
        self.frames = 0
        self.kept: list[str] | None = None  # set to a list to keep what was written

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        size = len(data.encode("utf-8", errors="replace"))
        self.bytes += size
        self.frames += 1
        if self.kept is not None:
            self.kept.append(data)
        if self.on_write is not None:
            self.on_write(size)

    def flush(self) -> None:
        pass


def counting(app) -> None:
    """Make ``app`` run on a :class:`CountingDriver` (``run_test(headless=False)``)."""
    app.driver_class = CountingDriver


def driver_of(app) -> CountingDriver:
    driver = app._driver
    assert isinstance(driver, CountingDriver), "run the app with counting(app) and run_test(headless=False)"
    return driver
