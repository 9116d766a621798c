"""TV mode at the four sizes a floor uses, with 4, 12 and 40 queues (issue 15).

80x24 and 100x30: every tile whole with its figures and its status in words. 200x50 and
240x67 (a 1080p TV at a readable font): block numerals at least a third of each tile's
height, and pages of fewer, larger tiles when there are many queues (the header says
"page 1 of N"). The committed SVGs are the product: look at them when they change.
"""

from __future__ import annotations

import pytest

from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp

SIZES = {"80x24": (80, 24), "100x30": (100, 30), "200x50": (200, 50), "240x67": (240, 67)}
COUNTS = (4, 12, 40)


def tv_board(queues: int, **settings) -> WallboardApp:
    clocks = Clocks()
    return WallboardApp(
        fixed_settings(**{"tv": True, "theme": "wallboard-tv", "start_tab": "queues", "rotate": 0, **settings}),
        snapshot=fixed_snapshot(queues=queues, agents=max(30, queues * 3)),
        wall=clocks.wall,
        mono=clocks.mono,
        theme_dirs=[bundled_themes_dir()],
    )


async def tiles_placed(pilot) -> None:
    board = pilot.app.board.queue_board
    summary = pilot.app.board.tab("queues").summary
    for _ in range(500):  # every tile mounted, the summary above them drawn, the plan made
        if not board.filling and board.tv_grid is not None and summary.outer_size.height >= 4:
            break
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize("queues", COUNTS, ids=lambda n: f"{n}q")
@pytest.mark.parametrize("size", SIZES, ids=str)
def test_tv_queues(snap_compare, size, queues):
    assert snap_compare(tv_board(queues), terminal_size=SIZES[size], run_before=tiles_placed)
