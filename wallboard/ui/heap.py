"""Keeping Python's full garbage collections off a key press, on a board that runs for days.

A large tenant replaces thousands of records every refresh; they live across a refresh,
so Python's collector promotes them to its oldest generation and, every refresh or two,
runs a full collection. A full collection walks every container the process holds,
Textual's own included (the screens, styles and caches built at start-up), and at 10,000
agents it held the event loop for 30–100 ms, one to two times a refresh: a key press that
met one waited that long.

Two steps, both only in the real board (``WallboardApp(freeze_heap=True)``, as the
command line makes it: a test process runs hundreds of boards, and freezing in each would
keep every earlier board's cycles):

* Once the first data is on screen, the objects built so far are the board's furniture:
  they live as long as the process. :func:`freeze_start_up` collects once and moves them
  out of the collector's sight (:func:`gc.freeze`), so later full collections walk only
  what was made since. Reference counting still frees frozen objects; only a reference
  cycle among them, should one become garbage later, would stay.
* From then on the collector's youngest two generations run as Python runs them (they
  are cheap, and free most cycles), but full collections are no longer started by the
  collector, at whatever moment an allocation tips it: :class:`QuietCollector` runs one
  every :data:`FULL_EVERY` seconds at a moment when no key was pressed for
  :data:`QUIET_FOR` seconds, and at the latest after :data:`FULL_AT_LEAST_EVERY`. The
  records themselves hold no cycles (reference counting frees them at once), so what
  waits for a full collection is little, and never waits long.
"""

from __future__ import annotations

import gc
from typing import Callable

FREEZE_AFTER = 2.0
"""Seconds after the first agents arrive: the frame that shows them is on the terminal by
then, and the one collection (about 0.1 s at 10,000 agents) never holds it back."""

FULL_EVERY = 30.0
"""Seconds between full collections when the keyboard is quiet (a TV board's always is)."""

QUIET_FOR = 1.0
"""A full collection waits until no key was pressed for this long..."""

FULL_AT_LEAST_EVERY = 120.0
"""...but never more than this since the last one, whoever is typing."""

NOT_BY_ITSELF = 1_000_000
"""The oldest generation's threshold once frozen: a million collections of the middle one,
so the collector never starts a full collection on its own."""


def freeze_start_up() -> None:
    """Collect what start-up left behind, exclude the survivors from later collections,
    and leave full collections to :class:`QuietCollector`."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NOT_BY_ITSELF)


class QuietCollector:
    """Decides, once a second, whether now is the moment for a full collection."""

    def __init__(self, now: float, collect: Callable[[], object] = gc.collect) -> None:
        self.last_full = now
        self.collect = collect
        self.collections = 0

    def tick(self, now: float, last_key: float | None) -> bool:
        """Collect if one is due at ``now`` (``last_key``: when a key was last pressed,
        on the same clock, or ``None``); say whether it did."""
        since = now - self.last_full
        quiet = last_key is None or now - last_key >= QUIET_FOR
        if since < FULL_EVERY or (not quiet and since < FULL_AT_LEAST_EVERY):
            return False
        self.collect()
        self.last_full = now
        self.collections += 1
        return True
