"""TV mode at every size: each tile whole, with its figures and its status in words.

A wall display nobody touches cannot scroll to a tile drawn half off the screen or
cut inside. At 80x24 and 100x30 the tiles once showed empty borders or lost their
ALERT line; at 200x50 with 40 queues the big numerals lost their bottom row.
"""

from __future__ import annotations

import pytest
from textual.widgets import Digits, Label

from tests.board_data import Clocks, fixed_settings, fixed_snapshot
from tests.test_board_pilot import board_ready
from wallboard.core.views.tv_layout import TileGrid, big_figures_width, tv_grid
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp
from wallboard.ui.widgets.queue_tile import QueueTile

CASES = {  # size, queues
    "80x24": ((80, 24), 6),
    "100x30": ((100, 30), 6),
    "160x45": ((160, 45), 6),
    "200x50-40-queues": ((200, 50), 40),
    "80x24-40-queues": ((80, 24), 40),
}


def tv_board(queues: int, **settings) -> WallboardApp:
    clocks = Clocks()
    return WallboardApp(
        fixed_settings(tv=True, theme="wallboard-tv", start_tab="queues", **settings),
        snapshot=fixed_snapshot(queues=queues),
        wall=clocks.wall,
        mono=clocks.mono,
        theme_dirs=[bundled_themes_dir()],
    )


async def tiles_placed(app, pilot) -> None:
    await board_ready(app, pilot)
    board = app.board.queue_board
    for _ in range(200):
        if not board.filling and board.tv_grid is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause()


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def text_in(lines: list[str], region) -> str:
    return " ".join(line[region.x : region.right].strip() for line in lines[region.y : region.bottom])


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_every_tile_is_whole_with_its_figures_and_status_in_words(case):
    size, queues = CASES[case]
    app = tv_board(queues)
    async with app.run_test(size=size) as pilot:
        await tiles_placed(app, pilot)
        board = app.board.queue_board
        grid = board.tv_grid
        lines = screen_lines(app)
        shown = [tile for tile in board.ordered_tiles() if tile.display]
        assert len(shown) == grid.shown and len(board.ordered_tiles()) == queues
        statuses = 0
        for tile in shown:
            assert board.region.contains_region(tile.region), f"{tile.queue_id} drawn half: {tile.region} in {board.region}"
            inside = tile.content_region
            status = tile.query_one(".status", Label)
            assert inside.contains_region(status.region), "the status line is inside the tile"
            words = " ".join(tile.status_text.split())
            assert " ".join(text_in(lines, status.region).split()) == words, "the status in words, whole"
            statuses += words.startswith(("▲ ALERT", "△ WARNING"))
            if grid.big:
                for digits in tile.query(Digits):
                    if digits.display and digits.parent.display:
                        assert digits.region.height == 3 and inside.contains_region(digits.region), "numerals whole"
            else:
                figures = text_in(lines, tile.query_one(".waiting-word", Label).region)
                assert figures.startswith("waiting ") and "longest " in figures
                assert text_in(lines, tile.query_one(".sla", Label).region).startswith("SLA ")
        assert statuses >= 1, "the data has a queue in alert: its reason shows"
        more = board.query_one("#more")
        if grid.hidden:
            assert more.display and text_in(lines, more.region).startswith(f"+{grid.hidden} more queues")
        else:
            assert not more.has_class("-shown")


async def test_when_not_all_fit_the_tiles_in_trouble_are_kept():
    app = tv_board(40)
    async with app.run_test(size=(80, 24)) as pilot:
        await tiles_placed(app, pilot)
        board = app.board.queue_board
        tiles = board.ordered_tiles()
        troubled = [tile for tile in tiles if tile.level]
        assert troubled and all(tile.display for tile in troubled)
        assert board.tv_grid.hidden == len(tiles) - sum(1 for tile in tiles if tile.display) > 0


async def test_leaving_tv_mode_restores_the_scrolling_grid():
    app = tv_board(40)
    async with app.run_test(size=(80, 24)) as pilot:
        await tiles_placed(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        board = app.board.queue_board
        assert board.tv_grid is None and all(tile.display for tile in board.ordered_tiles())
        assert not board.query_one("#more").has_class("-shown")
        await pilot.press("t")
        await pilot.pause()
        assert board.tv_grid is not None


def test_the_grid_prefers_fitting_everything_then_numerals_then_more_lines():
    big = big_figures_width((("0", "waiting"), ("0:00", "longest wait"), ("100", "SLA % · target 80%")))
    assert tv_grid(158, 44, 6, big, 22) == TileGrid(3, 2, 22, True, 5, 1, 6, 0)
    assert tv_grid(98, 29, 6, big, 22).big, "100x30: numerals"
    small = tv_grid(78, 23, 6, big, 22)
    assert not small.big and small.shown == 6 and small.tile_height * small.rows <= 23
    many = tv_grid(198, 49, 40, big, 22)
    assert many.shown == 40 and many.tile_lines <= many.tile_height
    crowded = tv_grid(78, 23, 40, big, 22)
    assert crowded.hidden == 40 - crowded.shown > 0 and crowded.rows * crowded.tile_height + 1 <= 23
    wrapped = tv_grid(78, 23, 6, big, 60)
    assert wrapped.status_lines == 2, "a long reason wraps onto a second line rather than being cut"
