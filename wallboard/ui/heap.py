"""Keeping Python's full garbage collections short on a board that runs for days.

A large tenant replaces thousands of records every refresh; they live across a refresh,
so Python's collector promotes them to its oldest generation and, every refresh or two,
runs a full collection. A full collection walks every container the process holds,
Textual's own included (the screens, styles and caches built at start-up), and at 10,000
agents it held the event loop for 60–100 ms: a key press that met one waited that long.

Once the first data is on screen, the objects built so far are the board's furniture:
they live as long as the process. :func:`freeze_start_up` collects once and moves them
out of the collector's sight (:func:`gc.freeze`), so later full collections walk only
what was made since (about half the time here). Reference counting still frees frozen
objects; only a reference cycle among them, should one become garbage later, would
stay. That is why it happens once, after start-up, and only in the real board
(``WallboardApp(freeze_heap=True)``, as the command line makes it): a test process runs
hundreds of boards, and freezing in each would keep every earlier board's cycles.
"""

from __future__ import annotations

import gc

FREEZE_AFTER = 2.0
"""Seconds after the first agents arrive: the frame that shows them is on the terminal by
then, and the one collection (about 0.1 s at 10,000 agents) never holds it back."""


def freeze_start_up() -> None:
    """Collect what start-up left behind, then exclude the survivors from later collections."""
    gc.collect()
    gc.freeze()
